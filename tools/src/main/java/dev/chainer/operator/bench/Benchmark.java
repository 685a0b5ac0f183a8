package dev.chainer.operator.bench;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.runtime.ApiRequests;
import dev.chainer.operator.validation.JobFiles;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Measures the operator on N jobs (by default MPI, 2 workers x 4 processes) submitted at once and driven to
 * Completed: API requests by phase, time to create every job's workers against a bare client doing the same
 * work ({@link Baseline}), latency from the last worker Ready to the launcher, memory, reconciles per job. On
 * the in-process API server with the simulated kubelet, or on a cluster ({@link BenchCluster}).
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

  /**
   * The least writes of a job like the template, on real-server semantics: {@link #MINIMUM_WRITES_PER_JOB} with one
   * status write per intermediate ready count of each further worker. A run comes in under it when a state is never
   * written: one that passed between two reconciles, or within the hold on a waiting job's status (Preparing and
   * ready counts less than 2 s after its last status write, see WaitingStatus).
   */
  static int minimumWrites(ChainerJob template) {
    return MINIMUM_WRITES_PER_JOB + Math.max(0, workerCount(template) - WORKERS);
  }

  /** Label on everything the benchmark creates itself (jobs, baseline objects), so that it can remove them. */
  static final String RUN_LABEL = "chainer.dev/benchmark";
  static final int WARM_UP_JOBS = 50;
  private static final String WARM_UP = "-warmup";

  /** What to measure and where; {@link #of} gives the in-process API server with the simulated kubelet. */
  public static final class Options {
    int jobs;
    boolean childProcess;
    Duration resync = Duration.ofSeconds(2);
    Duration launcherRunTime = Duration.ofSeconds(1);
    Duration timeout = Duration.ofMinutes(10);
    Path kubeconfig;
    boolean simulateKubelet = true;
    /** Null: a namespace of the run's own, {@code chainer-bench-<run>}. */
    String namespace;
    String operatorHeap = "128m";
    Path jobFile;
    Path operatorLog;
    Path operatorConfig;
    boolean separateCpus;

    public static Options of(int jobs) {
      Options o = new Options();
      o.jobs = jobs;
      return o;
    }

    /** The operator as deployed: `run` in a JVM of its own, so that its memory is its own. */
    public Options inChildProcess() {
      childProcess = true;
      return this;
    }

    public Options timeout(Duration d) {
      timeout = d;
      return this;
    }

    /** A real cluster instead of the in-process API server; the simulated kubelet only when asked. */
    public Options onCluster(Path kubeconfigFile, boolean simulate) {
      kubeconfig = kubeconfigFile;
      simulateKubelet = simulate;
      return this;
    }

    public Options namespace(String ns) {
      namespace = ns;
      return this;
    }

    /** Submits copies of this ChainerJob instead of the built-in one (names and namespace are replaced). */
    public Options jobFile(Path file) {
      jobFile = file;
      return this;
    }

    /** The operator's configuration (images, GPU resource, ...), as `run --config` takes it; defaults if null. */
    public Options operatorConfig(Path file) {
      operatorConfig = file;
      return this;
    }

    OperatorConfig config() throws java.io.IOException {
      return operatorConfig == null ? OperatorConfig.defaults() : OperatorConfig.load(operatorConfig);
    }

    /** With the in-process API server and the operator in a process of its own: see {@link CpuSplit}. */
    public Options separateCpus(boolean on) {
      separateCpus = on;
      return this;
    }

    /** The operator's resync period (default 2 s); the idle window is three of them. */
    public Options resync(Duration period) {
      resync = period;
      return this;
    }

    /** The operator process's -Xmx (default 128m). */
    public Options operatorHeap(String heap) {
      operatorHeap = heap;
      return this;
    }

    /** Keeps the operator process's output in this file. */
    public Options operatorLog(Path file) {
      operatorLog = file;
      return this;
    }
  }

  /**
   * Requests by "verb resource" for each phase, and the measurements.
   *
   * @param created the operator's objects that appeared for the measured jobs, by resource ("services", ...)
   * @param servedWhileCreating requests the in-process API server answered (from every client) until every job's
   *     workers existed; -1 on a real cluster, whose request counts are not readable here
   */
  public record Result(int jobs, int failed, Map<String, Map<String, Long>> requestsByPhase, Duration toWorkersCreated,
      Duration toCompleted, Baseline baseline, List<Long> launcherLatencyMillis, long heapAfterGc, long rss,
      long reconciliations, long servedWhileCreating, Map<String, Long> created, int minimumWrites,
      Memory before) {

    Result with(Baseline b) {
      return new Result(jobs, failed, requestsByPhase, toWorkersCreated, toCompleted, b, launcherLatencyMillis,
          heapAfterGc, rss, reconciliations, servedWhileCreating, created, minimumWrites, before);
    }

    /** Heap after GC and RSS growth from before the N jobs (after the warm-up) to their end, per 1,000 jobs. */
    public double heapGrowthPerThousand() {
      return before == null || before.heap() < 0 ? -1 : (heapAfterGc - before.heap()) * 1000.0 / jobs;
    }

    public double rssGrowthPerThousand() {
      return before == null || before.rss() < 0 ? -1 : (rss - before.rss()) * 1000.0 / jobs;
    }

    /** The operator's requests of one kind ("create services") over the whole run (creation, run and finish). */
    public long requests(String key) {
      return List.of("creation", "run", "finish").stream()
          .mapToLong(p -> requestsByPhase.getOrDefault(p, Map.of()).getOrDefault(key, 0L)).sum();
    }

    /** The operator's objects of a kind ("services") that appeared for the measured jobs. */
    public long objectsCreated(String kind) {
      return created == null ? 0 : created.getOrDefault(kind, 0L);
    }

    /** Create requests of the operator that made no object (AlreadyExists, or any other refusal), every kind. */
    public long refusedCreations() {
      return BenchReport.CREATED_KINDS.stream().mapToLong(k -> requests("create " + k) - objectsCreated(k)).sum();
    }

    /** The operator's own requests per second (reads included) until every job's workers existed. */
    public double operatorRequestsPerSecond() {
      long all = requestsByPhase.getOrDefault("creation", Map.of()).values().stream().mapToLong(Long::longValue).sum();
      return all / Math.max(0.001, toWorkersCreated.toMillis() / 1000.0);
    }

    public long writes(String phase) {
      return Benchmark.writes(requestsByPhase.get(phase));
    }

    public double writesPerJob() {
      return (writes("creation") + writes("run") + writes("finish")) / (double) jobs;
    }

    /** Bare client time over operator time for the same objects: 1 means as fast, above 1 faster. */
    public double throughputRatio() {
      return baseline.time().toNanos() / (double) toWorkersCreated.toNanos();
    }

    public long latencyPercentile(double p) {
      List<Long> sorted = launcherLatencyMillis.stream().sorted().toList();
      return sorted.isEmpty() ? -1 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }
  }

  /** The operator's heap after a full GC and its RSS, in bytes (-1: not its own to measure). */
  public record Memory(long heap, long rss) {}

  private Benchmark() {}

  public static Result run(Options o) throws Exception {
    String run = RunId.generate();
    try (BenchCluster cluster = o.kubeconfig == null ? BenchCluster.local() : BenchCluster.remote(o.kubeconfig)) {
      String namespace = o.namespace != null ? o.namespace : BenchNamespace.GENERATED_PREFIX + run;
      AutoCloseable kubelet = cluster.kubelet(o.simulateKubelet, namespace, run, o.launcherRunTime);
      try (BenchNamespace ns = BenchNamespace.claim(cluster.client(), o.namespace, run, List.of(run, run + WARM_UP),
          !cluster.isLocal(), kubelet)) {
        ChainerJob template = o.jobFile == null ? JobFiles.parse(DEFAULT_JOB) : JobFiles.read(o.jobFile);
        return measure(o, cluster, new Names(ns.name(), run), template);
      }
    }
  }

  /** The namespace and the names of one run's jobs: its run id in each, so that runs never collide. */
  record Names(String namespace, String run) {
    /** The prefix of the measured jobs' names, and of every object the operator names after them. */
    String prefix() {
      return PREFIX + run + "-";
    }

    String job(int i) {
      return prefix() + String.format("%05d", i);
    }

    String warmUp(int i) {
      return "warmup-" + run + "-" + String.format("%02d", i);
    }

    String baseline(int i) {
      return "baseline-" + run + "-" + String.format("%05d", i);
    }
  }

  private static Result measure(Options o, BenchCluster cluster, Names names, ChainerJob template) throws Exception {
    // The benchmark's own watches stay open through the baseline too: the same observers in both windows.
    try (Observers seen = Observers.open(cluster.client(), names);
        Creations created = Creations.watch(cluster.client(), names.namespace(), names.prefix())) {
      Optional<CpuSplit> cpus = o.separateCpus && o.childProcess && cluster.isLocal() ? CpuSplit.ofThisMachine()
          : Optional.empty();
      if (cpus.isPresent()) {
        cpus.get().pinThisProcess();
      }
      Result operated;
      try (OperatorUnderTest operator = o.childProcess
          ? new ChildOperator(cluster, o, names.namespace(), cpus.map(CpuSplit::operator).orElse(""))
          : new InProcessOperator(cluster, o.resync, o.config(), names.namespace())) {
        warmUp(o, operator, cluster.client(), template, names);
        operated = operate(o, cluster, operator, seen, created, template, names);
      }
      // With the operator stopped, so that the baseline's jobs stay inert records.
      return operated.with(Baseline.measure(cluster, template, o, names));
    }
  }

  /** Submits the N jobs and follows them to the end, reading the operator's request counts at each phase. */
  private static Result operate(Options o, BenchCluster cluster, OperatorUnderTest operator, Observers seen,
      Creations created, ChainerJob template, Names names) throws Exception {
    KubernetesClient client = cluster.client();
    Waiting wait = new Waiting(o, operator, client, names.namespace(), names.run(), o.jobs);
    Memory before = new Memory(operator.heapAfterGc(), operator.rss());
    Map<String, Long> start = operator.requests();
    long reconcilesAtStart = operator.reconciliations();
    long servedAtStart = cluster.requestsServed();
    Instant t0 = Instant.now();
    for (int i = 0; i < o.jobs; i++) {
      submit(client, job(template, names.namespace(), names.job(i), names.run()));
    }
    // Counted as they appear: with many jobs, early ones finish (and lose their workers) before the last start.
    wait.until(() -> seen.workers().seen().size(), "every job's workers");
    Duration toWorkers = Duration.between(t0, Instant.now());
    long served = servedAtStart < 0 ? -1 : cluster.requestsServed() - servedAtStart;
    Map<String, Long> atWorkers = operator.requests();
    wait.untilJobs(EnumSet.of(JobPhase.Finalizing, JobPhase.Completed, JobPhase.Failed), "every launcher done");
    Map<String, Long> ran = operator.requests();
    wait.untilJobs(EnumSet.of(JobPhase.Completed, JobPhase.Failed), "every job Completed or Failed");
    Duration toCompleted = Duration.between(t0, Instant.now());
    Map<String, Long> finished = settled(operator);
    long heap = operator.heapAfterGc();
    long rss = operator.rss();
    Thread.sleep(o.resync.multipliedBy(3).toMillis());
    Map<String, Map<String, Long>> phases = new TreeMap<>();
    phases.put("creation", diff(start, atWorkers));
    phases.put("run", diff(atWorkers, ran));
    phases.put("finish", diff(ran, finished));
    phases.put("idle", diff(finished, operator.requests()));
    return new Result(o.jobs, wait.jobsIn(EnumSet.of(JobPhase.Failed)), phases, toWorkers, toCompleted, null,
        seen.launcherLatencies(o.jobs, workerCount(template)), heap, rss,
        operator.reconciliations() - reconcilesAtStart, served, created.counts(), minimumWrites(template),
        before);
  }

  /** 2 workers x 4 processes, an MPI job; the simulated kubelet runs it without an image. */
  static final String DEFAULT_JOB = "apiVersion: chainer.dev/v1\nkind: ChainerJob\nmetadata:\n  name: bench\nspec:\n"
      + "  sourceDirectory: /app\n  entryScript: train.py\n  frameworkVersion: \"7.0.0\"\n  userManaged: true\n"
      + "  nodeCount: 2\n  distributedTraining:\n    mpi:\n      processCountPerNode: 4\n";

  static ChainerJob job(ChainerJob template, String namespace, String name, String run) {
    ChainerJob job = Serialization.clone(template);
    job.getMetadata().setName(name);
    job.getMetadata().setNamespace(namespace);
    job.getMetadata().setLabels(new java.util.HashMap<>(Optional.ofNullable(job.getMetadata().getLabels())
        .orElse(Map.of())));
    job.getMetadata().getLabels().put(RUN_LABEL, run);
    job.setStatus(null);
    return job;
  }

  static final String PREFIX = "bench-";

  /**
   * Runs a few jobs to completion before measuring, so that neither the operator nor this JVM (the API server,
   * the kubelet) spends the measured window compiling its code: a deployed operator is warm. Their requests
   * come before the first count is read; they stay in the namespace, Completed, and are removed with the rest.
   */
  private static void warmUp(Options o, OperatorUnderTest operator, KubernetesClient client, ChainerJob template,
      Names names) throws Exception {
    int count = Math.min(WARM_UP_JOBS, o.jobs);
    for (int i = 0; i < count; i++) {
      submit(client, job(template, names.namespace(), names.warmUp(i), names.run() + WARM_UP));
    }
    new Waiting(o, operator, client, names.namespace(), names.run() + WARM_UP, count)
        .untilJobs(EnumSet.of(JobPhase.Completed, JobPhase.Failed), "the warm-up jobs");
  }

  /**
   * Submits one of the run's jobs. When an answer is late (a loaded API server), the client sends the creation again
   * and meets its own first one: an AlreadyExists on a job that carries this run's label is that, and counts as
   * submitted (the 10,000-job run of 2026-12-07 died of it at job 1,312).
   */
  private static void submit(KubernetesClient client, ChainerJob job) {
    try {
      client.resource(job).create();
    } catch (io.fabric8.kubernetes.client.KubernetesClientException e) {
      String run = job.getMetadata().getLabels().get(RUN_LABEL);
      ChainerJob existing = e.getCode() != 409 ? null : client.resources(ChainerJob.class)
          .inNamespace(job.getMetadata().getNamespace()).withName(job.getMetadata().getName()).get();
      if (existing == null || existing.getMetadata().getLabels() == null
          || !run.equals(existing.getMetadata().getLabels().get(RUN_LABEL))) {
        throw e;
      }
    }
  }

  private static int workerCount(ChainerJob template) {
    Integer n = template.getSpec() == null ? null : template.getSpec().getNodeCount();
    return n == null ? 1 : n;
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

  static long writes(Map<String, Long> counts) {
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
}
