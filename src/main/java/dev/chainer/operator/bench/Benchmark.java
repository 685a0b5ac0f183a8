package dev.chainer.operator.bench;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.cli.JobFiles;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.demo.LocalApiServer;
import dev.chainer.operator.demo.SimulatedKubelet;
import dev.chainer.operator.reconcile.ApiRequests;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.render.JobLabels;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.render.SshKeyPair;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Measures the operator on N MPI jobs (2 workers x 4 processes) submitted at once and driven to
 * Completed by the simulated kubelet: API requests by phase, time to create every job's workers against a
 * bare client creating the same objects, latency from the last worker Ready to the launcher, memory,
 * reconciles per job.
 */
public final class Benchmark {
  static final int WORKERS = 2;

  /**
   * Writes a correct MPI job of 2 workers cannot do without: 5 creations (Service, ConfigMap, Secret,
   * StatefulSet, launcher Pod), 1 deletion (the workers, cleanPodPolicy Running), one status write per
   * phase a user must see in this run (Queued, Starting, Running, Finalizing, Completed) and one per
   * ready-worker count the status shows on the way (1/2; 0/2 and 2/2 come with Queued and Starting).
   */
  public static final int MINIMUM_WRITES_PER_JOB = 5 + 1 + 5 + (WORKERS - 1);
  static final String NAMESPACE = "bench";

  public record Options(int jobs, boolean childProcess, Duration resync, Duration launcherRunTime, Duration timeout) {
    public static Options of(int jobs) {
      return new Options(jobs, false, Duration.ofSeconds(2), Duration.ofSeconds(1), Duration.ofMinutes(10));
    }

    public Options inChildProcess() {
      return new Options(jobs, true, resync, launcherRunTime, timeout);
    }
  }

  /** Requests by "verb resource" for each phase, and the measurements. */
  public record Result(int jobs, Map<String, Map<String, Long>> requestsByPhase, Duration toWorkersCreated,
      Duration toCompleted, Duration baseline, List<Long> launcherLatencyMillis, long heapAfterGc, long rss,
      long reconciliations) {

    public long writes(String phase) {
      return requestsByPhase.get(phase).entrySet().stream().filter(e -> ApiRequests.isWrite(e.getKey()))
          .mapToLong(Map.Entry::getValue).sum();
    }

    public double writesPerJob() {
      return (writes("creation") + writes("run") + writes("finish")) / (double) jobs;
    }

    /** Bare client time over operator time for the same objects: 1 means as fast, above 1 faster. */
    public double throughputRatio() {
      return baseline.toNanos() / (double) toWorkersCreated.toNanos();
    }

    public long latencyPercentile(double p) {
      List<Long> sorted = launcherLatencyMillis.stream().sorted().toList();
      return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
  }

  private Benchmark() {}

  public static Result run(Options o) throws Exception {
    try (LocalApiServer api = LocalApiServer.start()) {
      KubernetesClient client = api.client();
      client.namespaces().resource(new io.fabric8.kubernetes.api.model.NamespaceBuilder().withNewMetadata()
          .withName(NAMESPACE).endMetadata().build()).create();
      Map<String, Map<String, Long>> phases = new TreeMap<>();
      Duration toWorkers;
      Duration toCompleted;
      List<Long> latencies;
      long heap;
      long rss;
      long reconciles;
      Duration baseline;
      try (OperatorUnderTest operator = o.childProcess() ? new ChildOperator(api, o.resync(), "128m")
              : new InProcessOperator(api, o.resync());
          SimulatedKubelet kubelet = new SimulatedKubelet(client).launcherRunTime(o.launcherRunTime()).start();
          AddedWatch launchers = AddedWatch.on(client.pods().inNamespace(NAMESPACE)
              .withLabel(JobLabels.ROLE, JobLabels.ROLE_LAUNCHER));
          AddedWatch workers = AddedWatch.on(client.apps().statefulSets().inNamespace(NAMESPACE))) {
        Map<String, Long> start = operator.requests();
        Instant t0 = Instant.now();
        for (int i = 0; i < o.jobs(); i++) {
          client.resource(job(i)).create();
        }
        // Counted as they appear: with many jobs, early ones finish (and lose their workers) before the last start.
        awaitCount(o, () -> workers.added().size(), n -> n >= o.jobs(), "every job's workers");
        toWorkers = Duration.between(t0, Instant.now());
        Map<String, Long> created = operator.requests();
        awaitJobs(o, client, p -> p == JobPhase.Finalizing || p == JobPhase.Completed, "every launcher done");
        Map<String, Long> ran = operator.requests();
        awaitJobs(o, client, p -> p == JobPhase.Completed, "every job Completed");
        toCompleted = Duration.between(t0, Instant.now());
        Map<String, Long> finished = settled(operator);
        heap = operator.heapAfterGc();
        rss = operator.rss();
        Thread.sleep(o.resync().multipliedBy(3).toMillis());
        Map<String, Long> idle = operator.requests();
        reconciles = operator.reconciliations();
        phases.put("creation", diff(start, created));
        phases.put("run", diff(created, ran));
        phases.put("finish", diff(ran, finished));
        phases.put("idle", diff(finished, idle));
        latencies = latencies(o.jobs(), kubelet, launchers);
        // Under the same load (the simulated kubelet polling the API server) as the operator had.
        baseline = baseline(client, o.jobs());
      }
      return new Result(o.jobs(), phases, toWorkers, toCompleted, baseline, latencies, heap, rss, reconciles);
    }
  }

  static ChainerJob job(int i) throws JobFiles.InvalidJobFile {
    return JobFiles.parse("apiVersion: chainer.dev/v1\nkind: ChainerJob\nmetadata:\n  name: " + name(i)
        + "\n  namespace: " + NAMESPACE + "\nspec:\n  sourceDirectory: /app\n  entryScript: train.py\n"
        + "  frameworkVersion: \"7.0.0\"\n  userManaged: true\n  nodeCount: 2\n  distributedTraining:\n"
        + "    mpi:\n      processCountPerNode: 4\n");
  }

  static String name(int i) {
    return String.format("bench-%04d", i);
  }

  /** The same objects the operator creates before a launcher, created one after another by a bare client. */
  private static Duration baseline(KubernetesClient client, int jobs) throws Exception {
    List<HasMetadata> objects = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      ChainerJob job = job(i);
      job.getMetadata().setNamespace("baseline");
      job.getMetadata().setUid("baseline-" + i);
      DesiredObjects d = JobRenderer.render(job, OperatorConfig.defaults(), SshKeyPair.generate(name(i)), null, 0);
      objects.addAll(d.all().stream().filter(x -> !(x instanceof Pod)).toList());
    }
    Instant t0 = Instant.now();
    for (HasMetadata object : objects) {
      client.resource(object).create();
    }
    return Duration.between(t0, Instant.now());
  }

  /** The request counts once the operator has stopped writing (clean-ups the informers report late). */
  private static Map<String, Long> settled(OperatorUnderTest operator) throws Exception {
    Map<String, Long> last = operator.requests();
    Instant quietSince = Instant.now();
    Instant deadline = Instant.now().plusSeconds(30);
    while (Duration.between(quietSince, Instant.now()).toMillis() < 1500 && Instant.now().isBefore(deadline)) {
      Thread.sleep(250);
      Map<String, Long> now = operator.requests();
      if (writes(now) != writes(last)) {
        quietSince = Instant.now();
      }
      last = now;
    }
    return last;
  }

  private static long writes(Map<String, Long> counts) {
    return counts.entrySet().stream().filter(e -> ApiRequests.isWrite(e.getKey())).mapToLong(Map.Entry::getValue).sum();
  }

  private static Map<String, Long> diff(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> out = new TreeMap<>();
    after.forEach((k, v) -> {
      long d = v - before.getOrDefault(k, 0L);
      if (d > 0) {
        out.put(k, d);
      }
    });
    return out;
  }

  private static List<Long> latencies(int jobs, SimulatedKubelet kubelet, AddedWatch launchers) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      Instant lastReady = null;
      for (int w = 0; w < 2; w++) {
        Instant t = kubelet.readyTimes().get(NAMESPACE + "/" + name(i) + "-worker-" + w);
        lastReady = t == null ? lastReady : lastReady == null || t.isAfter(lastReady) ? t : lastReady;
      }
      Instant created = launchers.added().get(name(i) + "-launcher");
      if (lastReady != null && created != null) {
        out.add(Math.max(0, Duration.between(lastReady, created).toMillis()));
      }
    }
    return out;
  }

  private static void awaitJobs(Options o, KubernetesClient client, Predicate<JobPhase> phase, String what)
      throws Exception {
    awaitCount(o, () -> (int) client.resources(ChainerJob.class).inNamespace(NAMESPACE).list().getItems().stream()
        .filter(j -> j.getStatus() != null && j.getStatus().getPhase() != null && phase.test(j.getStatus().getPhase()))
        .count(), n -> n >= o.jobs(), what);
  }

  private static void awaitCount(Options o, java.util.function.IntSupplier count, java.util.function.IntPredicate done,
      String what) throws Exception {
    Instant deadline = Instant.now().plus(o.timeout());
    // Listing every job is itself load on the API server: poll less often the more jobs there are.
    long pause = Math.max(50, o.jobs() / 2);
    while (!done.test(count.getAsInt())) {
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("benchmark timed out waiting for " + what);
      }
      Thread.sleep(pause);
    }
  }

  /** When each object of a watched kind appeared, as a watching client sees it. */
  private record AddedWatch(Watch watch, Map<String, Instant> added) implements AutoCloseable {
    static <T extends HasMetadata> AddedWatch on(io.fabric8.kubernetes.client.dsl.Watchable<T> kind) {
      Map<String, Instant> added = new ConcurrentHashMap<>();
      Watch watch = kind.watch(new Watcher<>() {
        @Override
        public void eventReceived(Action action, T object) {
          if (action == Action.ADDED) {
            added.putIfAbsent(object.getMetadata().getName(), Instant.now());
          }
        }

        @Override
        public void onClose(WatcherException cause) {
        }
      });
      return new AddedWatch(watch, added);
    }

    @Override
    public void close() {
      watch.close();
    }
  }
}
