package dev.chainer.operator.bench;

import dev.chainer.operator.api.ChainerJob;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Where a benchmark run lives on a cluster, and its clean-up. By default a namespace of its own
 * ({@code chainer-bench-<run>}), deleted at the end; in a namespace given to it, only what carries its run label
 * (its jobs, whose objects the garbage collector removes, and its baseline's objects), so that it never touches
 * anything it did not create. The clean-up also runs when the benchmark is interrupted (a shutdown hook), and waits
 * (at most {@link #DRAIN}) until the namespace's pods are gone while the simulated kubelet still ends them; then the
 * kubelet is stopped.
 */
final class BenchNamespace implements AutoCloseable {
  static final String GENERATED_PREFIX = "chainer-bench-";
  private static final Duration DRAIN = Duration.ofSeconds(60);
  private final KubernetesClient client;
  private final String name;
  private final List<String> runs;
  private final boolean owned;
  private final boolean remote;
  private final AutoCloseable afterwards;
  private final Thread onInterrupt;
  private boolean cleaned;

  private BenchNamespace(KubernetesClient client, String name, List<String> runs, boolean owned, boolean remote,
      AutoCloseable afterwards) {
    this.client = client;
    this.name = name;
    this.runs = runs;
    this.owned = owned;
    this.remote = remote;
    this.afterwards = afterwards;
    this.onInterrupt = new Thread(this::cleanUp, "bench-clean-up");
    if (remote) {
      Runtime.getRuntime().addShutdownHook(onInterrupt);
    }
  }

  /**
   * The namespace of a run: the one given (created if missing, and then the run's own), else a new one named after
   * the run. {@code afterwards} (the simulated kubelet) is closed after the clean-up.
   */
  static BenchNamespace claim(KubernetesClient client, String given, String run, List<String> runLabels,
      boolean remote, AutoCloseable afterwards) {
    String name = given != null ? given : GENERATED_PREFIX + run;
    boolean exists = client.namespaces().withName(name).get() != null;
    if (!exists) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
          .addToLabels(Benchmark.RUN_LABEL, run).endMetadata().build()).create();
    }
    return new BenchNamespace(client, name, runLabels, !exists, remote, afterwards);
  }

  String name() {
    return name;
  }

  private synchronized void cleanUp() {
    if (cleaned) {
      return;
    }
    cleaned = true;
    try {
      if (remote) {
        removeWhatTheRunMade();
        awaitPodsGone();
      }
    } catch (RuntimeException e) {
      System.err.println("benchmark: clean-up of namespace " + name + " failed: " + e);
    } finally {
      try {
        afterwards.close();
      } catch (Exception e) {
        System.err.println("benchmark: " + e);
      }
    }
  }

  private void removeWhatTheRunMade() {
    if (owned) {
      client.namespaces().withName(name).delete();
      return;
    }
    for (String run : runs) {
      client.resources(ChainerJob.class).inNamespace(name).withLabel(Benchmark.RUN_LABEL, run).delete();
      client.apps().statefulSets().inNamespace(name).withLabel(Benchmark.RUN_LABEL, run)
          .withPropagationPolicy(DeletionPropagation.BACKGROUND).delete();
      client.services().inNamespace(name).withLabel(Benchmark.RUN_LABEL, run).delete();
      client.configMaps().inNamespace(name).withLabel(Benchmark.RUN_LABEL, run).delete();
      client.secrets().inNamespace(name).withLabel(Benchmark.RUN_LABEL, run).delete();
    }
  }

  /** While the kubelet still runs: the pods it bound end gracefully, and the namespace can go. */
  private void awaitPodsGone() {
    Instant deadline = Instant.now().plus(DRAIN);
    while (Instant.now().isBefore(deadline)) {
      boolean gone = owned ? client.namespaces().withName(name).get() == null
          : runs.stream().allMatch(run -> client.resources(ChainerJob.class).inNamespace(name)
              .withLabel(Benchmark.RUN_LABEL, run).list().getItems().isEmpty());
      if (gone) {
        return;
      }
      try {
        Thread.sleep(500);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
    System.err.println("benchmark: namespace " + name + " still has objects after " + DRAIN.toSeconds() + " s");
  }

  @Override
  public void close() {
    cleanUp();
    if (remote) {
      try {
        Runtime.getRuntime().removeShutdownHook(onInterrupt);
      } catch (IllegalStateException e) {
        // already shutting down: the hook is running
      }
    }
  }
}
