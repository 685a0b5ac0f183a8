package dev.chainer.operator.bench;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.JobPhase;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.Set;
import java.util.function.IntSupplier;

/** Waits for a benchmark's jobs (those of one run label) to get somewhere, failing on a timeout or a dead operator. */
final class Waiting {
  private final Benchmark.Options options;
  private final OperatorUnderTest operator;
  private final KubernetesClient client;
  private final String namespace;
  private final String run;
  private final int jobs;

  Waiting(Benchmark.Options options, OperatorUnderTest operator, KubernetesClient client, String namespace, String run,
      int jobs) {
    this.options = options;
    this.namespace = namespace;
    this.operator = operator;
    this.client = client;
    this.run = run;
    this.jobs = jobs;
  }

  /** Until the count reaches the number of jobs. */
  void until(IntSupplier count, String what) throws InterruptedException {
    Instant deadline = Instant.now().plus(options.timeout);
    // Listing every job is itself load on the API server: poll less often the more jobs there are.
    long pause = Math.max(50, jobs / 2);
    Instant report = Instant.now().plusSeconds(30);
    int reached;
    while ((reached = count.getAsInt()) < jobs) {
      operator.checkAlive();
      if (Instant.now().isAfter(report)) { // a long run says how far it got, should it be stopped
        System.err.println("benchmark: " + reached + " of " + jobs + " for " + what);
        report = Instant.now().plusSeconds(30);
      }
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("benchmark timed out after " + options.timeout + " waiting for " + what);
      }
      Thread.sleep(pause);
    }
  }

  void untilJobs(Set<JobPhase> phases, String what) throws InterruptedException {
    until(() -> jobsIn(phases), what);
  }

  int jobsIn(Set<JobPhase> phases) {
    return (int) client.resources(ChainerJob.class).inNamespace(namespace).withLabel(Benchmark.RUN_LABEL, run)
        .list().getItems().stream()
        .filter(j -> j.getStatus() != null && j.getStatus().getPhase() != null
            && phases.contains(j.getStatus().getPhase()))
        .count();
  }
}
