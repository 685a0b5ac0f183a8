package dev.chainer.operator.demo;

import dev.chainer.operator.render.JobLabels;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Plays the parts of a cluster the Fabric8 mock server lacks, for the demo and the tests: the
 * StatefulSet controller (creates worker pods, removes them when their StatefulSet goes, as garbage
 * collection would), the scheduler and the kubelet (pods start, run their init steps, become Ready; the
 * launcher runs for a while and exits with a chosen code). It only touches the operator's own objects.
 */
public final class SimulatedKubelet implements AutoCloseable {
  private final KubernetesClient client;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "simulated-kubelet");
    t.setDaemon(true);
    return t;
  });
  private final java.util.concurrent.ExecutorService workers = Executors.newFixedThreadPool(8, r -> {
    Thread t = new Thread(r, "simulated-kubelet-worker");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Instant> launcherStarted = new java.util.concurrent.ConcurrentHashMap<>();
  /** When each pod last changed state, so that every state lasts at least {@link #stepDelay}. */
  private final Map<String, Instant> lastStep = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Duration stepDelay = Duration.ZERO;
  private volatile Duration launcherRunTime = Duration.ofMillis(500);
  private volatile int launcherExitCode = 0;
  private volatile boolean scheduling = true;
  private volatile Consumer<String> log = s -> { };
  /** What launchers print while they run, spread evenly over their run time, and where it goes. */
  private volatile List<String> launcherOutput = List.of();
  private volatile LogSink logSink = (ns, pod, text) -> { };
  private final Map<String, Integer> linesPrinted = new java.util.concurrent.ConcurrentHashMap<>();

  /** Receives what a container prints. */
  public interface LogSink {
    void append(String namespace, String pod, String text);
  }

  public SimulatedKubelet(KubernetesClient client) {
    this.client = client;
  }

  /** Watches instead of lists: with thousands of pods, listing them every tick would swamp the API server. */
  private io.fabric8.kubernetes.client.informers.SharedIndexInformer<StatefulSet> setInformer;
  private io.fabric8.kubernetes.client.informers.SharedIndexInformer<Pod> podInformer;

  public SimulatedKubelet start() {
    setInformer = client.apps().statefulSets().inAnyNamespace().withLabel(JobLabels.MANAGED_BY, JobLabels.OPERATOR)
        .inform();
    podInformer = client.pods().inAnyNamespace().withLabel(JobLabels.MANAGED_BY, JobLabels.OPERATOR).inform();
    loop.scheduleWithFixedDelay(this::tickSafely, 0, 50, TimeUnit.MILLISECONDS);
    return this;
  }

  /** How long a launcher runs before it exits. */
  public SimulatedKubelet launcherRunTime(Duration d) {
    this.launcherRunTime = d;
    return this;
  }

  /** The least time a pod spends in each state (unscheduled, initializing), so every phase can be seen. */
  public SimulatedKubelet stepDelay(Duration d) {
    this.stepDelay = d;
    return this;
  }

  /** The exit code of launchers that end from now on. */
  public SimulatedKubelet launcherExitCode(int code) {
    this.launcherExitCode = code;
    return this;
  }

  /** false: new pods stay Pending and unscheduled (no node fits). */
  public SimulatedKubelet scheduling(boolean on) {
    this.scheduling = on;
    return this;
  }

  /** Lines every launcher prints over the first three quarters of its run, e.g. a Chainer trainer's report. */
  public SimulatedKubelet launcherOutput(List<String> lines, LogSink sink) {
    this.launcherOutput = List.copyOf(lines);
    this.logSink = sink;
    return this;
  }

  public SimulatedKubelet log(Consumer<String> log) {
    this.log = log;
    return this;
  }

  private void tickSafely() {
    try {
      tick();
    } catch (KubernetesClientException e) {
      // The next tick sees the world afresh; conflicts with the operator are expected.
    } catch (RuntimeException e) {
      log.accept("simulated kubelet: " + e);
    }
  }

  void tick() {
    List<StatefulSet> sets = setInformer.getStore().list();
    List<Pod> pods = podInformer.getStore().list();
    collectOrphans(sets, pods);
    Set<String> existing = pods.stream().map(p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName())
        .collect(Collectors.toSet());
    for (StatefulSet set : sets) {
      try {
        createWorkerPods(set, existing);
      } catch (KubernetesClientException e) {
        // Already created (the cache lags behind): nothing to do.
      }
    }
    // Like many kubelets, pods advance in parallel; a tick ends when all have been looked at.
    List<java.util.concurrent.Future<?>> steps = new ArrayList<>();
    for (Pod pod : pods) {
      steps.add(workers.submit(() -> {
        try {
          advance(pod);
        } catch (KubernetesClientException e) {
          // A stale copy (409) or a pod just deleted: the next tick sees it afresh.
        }
      }));
    }
    for (var step : steps) {
      try {
        step.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        log.accept("simulated kubelet: " + e.getCause());
      }
    }
  }

  private void collectOrphans(List<StatefulSet> sets, List<Pod> pods) {
    Set<String> owners = sets.stream().map(s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getUid())
        .collect(Collectors.toSet());
    for (Pod pod : pods) {
      boolean orphan = pod.getMetadata().getOwnerReferences().stream()
          .filter(o -> "StatefulSet".equals(o.getKind()))
          .anyMatch(o -> !owners.contains(pod.getMetadata().getNamespace() + "/" + o.getUid()));
      if (orphan) {
        client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName()).delete();
      }
    }
  }

  private void createWorkerPods(StatefulSet set, Set<String> existing) {
    String ns = set.getMetadata().getNamespace();
    for (int i = 0; i < set.getSpec().getReplicas(); i++) {
      String name = set.getMetadata().getName() + "-" + i;
      if (!existing.contains(ns + "/" + name)) {
        client.pods().inNamespace(ns).resource(new PodBuilder()
            .withNewMetadata().withName(name).withNamespace(ns)
            .withLabels(set.getSpec().getTemplate().getMetadata().getLabels())
            .withAnnotations(set.getSpec().getTemplate().getMetadata().getAnnotations())
            .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("StatefulSet")
                .withName(set.getMetadata().getName()).withUid(set.getMetadata().getUid()).withController(true)
                .build())
            .endMetadata()
            .withSpec(set.getSpec().getTemplate().getSpec())
            .editSpec().withHostname(name).withSubdomain(set.getSpec().getServiceName()).endSpec()
            .withStatus(new PodStatusBuilder().withPhase("Pending").build())
            .build()).create();
        log.accept("kubelet: created pod " + name);
      }
    }
  }

  private void advance(Pod pod) {
    String phase = pod.getStatus() == null ? "Pending" : pod.getStatus().getPhase();
    boolean launcher = JobLabels.ROLE_LAUNCHER.equals(pod.getMetadata().getLabels().get(JobLabels.ROLE));
    String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    if ("Pending".equals(phase) || phase == null) {
      Instant since = lastStep.computeIfAbsent(key, k -> Instant.now());
      if (!scheduling || Duration.between(since, Instant.now()).compareTo(stepDelay) < 0) {
        return;
      }
      lastStep.put(key, Instant.now());
      boolean initializing = pod.getStatus() != null && pod.getStatus().getInitContainerStatuses() != null
          && !pod.getStatus().getInitContainerStatuses().isEmpty();
      if (!pod.getSpec().getInitContainers().isEmpty() && !initializing) {
        setStatus(pod, initializingStatus(pod));
        return;
      }
      setStatus(pod, runningStatus(pod, !launcher));
      if (launcher) {
        launcherStarted.put(key, Instant.now());
      }
      log.accept("kubelet: pod " + pod.getMetadata().getName() + " is running");
    } else if ("Running".equals(phase) && launcher) {
      Instant started = launcherStarted.computeIfAbsent(key, k -> Instant.now());
      print(pod, key, Duration.between(started, Instant.now()));
      if (Duration.between(started, Instant.now()).compareTo(launcherRunTime) >= 0) {
        int code = launcherExitCode;
        setStatus(pod, exitedStatus(pod, code));
        log.accept("kubelet: launcher " + pod.getMetadata().getName() + " exited " + code);
      }
    }
  }

  private void print(Pod pod, String key, Duration running) {
    List<String> output = launcherOutput;
    if (output.isEmpty()) {
      return;
    }
    // Everything is printed by three quarters of the run, as a trainer's last report precedes its exit.
    double done = Math.min(1.0, running.toMillis() / (0.75 * Math.max(1, launcherRunTime.toMillis())));
    int due = (int) Math.ceil(done * output.size());
    int printed = linesPrinted.getOrDefault(key, 0);
    if (due > printed) {
      logSink.append(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
          String.join("\n", output.subList(printed, due)) + "\n");
      linesPrinted.put(key, due);
    }
  }

  private void setStatus(Pod pod, PodStatus status) {
    Pod updated = new PodBuilder(pod).withStatus(status).build();
    client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(updated).updateStatus();
  }

  private static PodStatus initializingStatus(Pod pod) {
    List<ContainerStatus> init = new ArrayList<>();
    pod.getSpec().getInitContainers().forEach(c -> init.add(new ContainerStatusBuilder().withName(c.getName())
        .withNewState().withNewRunning().withStartedAt(Instant.now().toString()).endRunning().endState()
        .withRestartCount(0).build()));
    return new PodStatusBuilder().withPhase("Pending").withConditions(condition("PodScheduled", true))
        .withInitContainerStatuses(init).build();
  }

  private static PodStatus runningStatus(Pod pod, boolean ready) {
    List<ContainerStatus> containers = new ArrayList<>();
    pod.getSpec().getContainers().forEach(c -> containers.add(new ContainerStatusBuilder().withName(c.getName())
        .withReady(ready).withRestartCount(0).withNewState().withNewRunning()
        .withStartedAt(Instant.now().toString()).endRunning().endState().build()));
    return new PodStatusBuilder().withPhase("Running").withPodIP("10.0.0.1")
        .withConditions(condition("PodScheduled", true), condition("Ready", ready))
        .withContainerStatuses(containers).build();
  }

  private static PodStatus exitedStatus(Pod pod, int code) {
    List<ContainerStatus> containers = new ArrayList<>();
    pod.getSpec().getContainers().forEach(c -> containers.add(new ContainerStatusBuilder().withName(c.getName())
        .withReady(false).withRestartCount(0).withNewState().withNewTerminated().withExitCode(code)
        .withReason(code == 0 ? "Completed" : "Error").withFinishedAt(Instant.now().toString()).endTerminated()
        .endState().build()));
    return new PodStatusBuilder().withPhase(code == 0 ? "Succeeded" : "Failed")
        .withConditions(condition("PodScheduled", true), condition("Ready", false))
        .withContainerStatuses(containers).build();
  }

  private static PodCondition condition(String type, boolean value) {
    return new PodConditionBuilder().withType(type).withStatus(value ? "True" : "False").build();
  }

  @Override
  public void close() {
    if (setInformer != null) {
      setInformer.close();
      podInformer.close();
    }
    loop.shutdownNow();
    workers.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
