package dev.chainer.operator.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Measures the operator's API cost, throughput, launcher latency and memory (see BENCHMARKS.md). */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmark the operator: N ChainerJobs (by default 2 workers x 4 MPI processes) at once, driven to "
        + "Completed, against the in-process API server with a simulated kubelet or a cluster (--kubeconfig). "
        + "Prints a Markdown report.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = {"--jobs", "--sizes"}, split = ",", defaultValue = "10,100,1000",
      description = "Job counts, each measured on its own (default ${DEFAULT-VALUE}).")
  List<Integer> jobs;

  @Option(names = "--from", split = ",", description = "Make the report and plot from these saved results (the .json "
      + "written beside each --out report) instead of measuring: e.g. a 10,000-job run joined to smaller ones.")
  List<Path> from;

  @Option(names = "--in-process", description = "Run the operator in this JVM (memory figures then include the "
      + "API server); by default it runs as `run` in a JVM of its own.")
  boolean inProcess;

  @Option(names = "--out", description = "Also write the report to this file, its results beside it as JSON (for "
      + "--from) and, with several job counts, a plot of cost against the job count as SVG (report.md: report.json, "
      + "report.svg).")
  Path out;

  @Option(names = "--kubeconfig", description = "Run against the cluster of this kubeconfig (its current context) "
      + "instead of the in-process API server. The ChainerJob CRD must be installed; the operator runs here, with "
      + "these credentials. The cluster runs the pods: give --job a job its nodes can run, or --simulate-kubelet.")
  Path kubeconfig;

  @Option(names = "--simulate-kubelet", description = "With --kubeconfig: play the kubelet here (one node of its own, "
      + "registered for the run, tainted NoSchedule; pods are bound to it through pods/binding), for a cluster without "
      + "nodes that can run the jobs (kube-apiserver and kube-controller-manager: the cluster's StatefulSet controller "
      + "and garbage collector do their own work).")
  boolean simulateKubelet;

  @Option(names = "--namespace", description = "Namespace of the jobs; default: a new one per run "
      + "(chainer-bench-<run id>), deleted at the end. A namespace given is created if missing; in an existing one only "
      + "the run's own objects (label chainer.dev/benchmark=<run id>) are removed.")
  String namespace;

  @Option(names = "--resync-seconds", defaultValue = "2", description = "The operator's resync period; the idle "
      + "window is three of them (default ${DEFAULT-VALUE}: every job is reconciled that often, which at thousands of "
      + "jobs is most of the operator's work; the chart's default is 600).")
  long resyncSeconds;

  @Option(names = "--operator-heap", defaultValue = "128m",
      description = "The operator process's -Xmx (default ${DEFAULT-VALUE}; the chart's 384Mi limit gives the JVM about "
          + "270m).")
  String operatorHeap;

  @Option(names = "--job", description = "ChainerJob YAML to submit N copies of (name and namespace replaced); "
      + "default: 2 workers x 4 MPI processes, framework 7.0.0, userManaged.")
  Path job;

  @Option(names = "--separate-cpus", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "With the in-process API server: run the operator on a CPU of its own (the last one) and the "
          + "API server, kubelet and clients on the others, as on a cluster (default on; needs taskset and 2 CPUs).")
  boolean separateCpus;

  @Option(names = "--operator-config", description = "The operator's configuration YAML (as `run --config`).")
  Path operatorConfig;

  @Option(names = "--operator-log", description = "Keep the operator's output in this file.")
  Path operatorLog;

  @Option(names = "--timeout-minutes", defaultValue = "30",
      description = "Give up on a job count after this long (default ${DEFAULT-VALUE}).")
  long timeoutMinutes;

  @Option(names = "--fork", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Measure each job count in a fresh JVM, as JMH forks (default on): what one count leaves "
          + "behind (compiled code, heap) otherwise slows the next (1,000 jobs after 100: 25 s instead of 13-15 s to "
          + "create every job's workers).")
  boolean fork;

  @Option(names = "--result-json", hidden = true, description = "Write the results as JSON (used by --fork).")
  Path resultJson;

  private static final ObjectMapper JSON = new ObjectMapper().registerModule(new JavaTimeModule());

  /** The entry point of a forked measurement: this command alone, with the options it was given. */
  public static void main(String[] args) {
    System.exit(new picocli.CommandLine(new BenchCommand()).execute(args));
  }

  @Override
  public Integer call() throws Exception {
    List<Benchmark.Result> results = from == null ? measure() : saved(from);
    if (resultJson != null) {
      JSON.writeValue(resultJson.toFile(), results);
    }
    String report = BenchReport.markdown(results);
    System.out.println(report);
    if (out != null) {
      Files.writeString(out, report);
      JSON.writerWithDefaultPrettyPrinter().writeValue(beside(out, ".json").toFile(), results);
      if (results.size() > 1) {
        Files.writeString(beside(out, ".svg"), CostPlot.svg(results));
      }
    }
    return 0;
  }

  /** report.md -> report.json, report.svg */
  static Path beside(Path report, String extension) {
    String name = report.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return report.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + extension);
  }

  private static List<Benchmark.Result> saved(List<Path> files) throws java.io.IOException {
    List<Benchmark.Result> out = new ArrayList<>();
    for (Path file : files) {
      out.addAll(List.of(JSON.readValue(file.toFile(), Benchmark.Result[].class)));
    }
    out.sort(java.util.Comparator.comparingInt(Benchmark.Result::jobs));
    return out;
  }

  private List<Benchmark.Result> measure() throws Exception {
    List<Benchmark.Result> results = new ArrayList<>();
    for (int n : jobs) {
      if (resultJson == null) {
        System.err.println("benchmark: " + n + " jobs ...");
      }
      results.add(fork && jobs.size() > 1 ? forked(n) : Benchmark.run(options(n)));
    }
    return results;
  }

  private Benchmark.Options options(int n) {
    Benchmark.Options options = Benchmark.Options.of(n).timeout(Duration.ofMinutes(timeoutMinutes))
        .namespace(namespace).jobFile(job).operatorLog(operatorLog).operatorConfig(operatorConfig)
        .separateCpus(separateCpus).operatorHeap(operatorHeap).resync(Duration.ofSeconds(resyncSeconds));
    if (!inProcess) {
      options.inChildProcess();
    }
    if (kubeconfig != null) {
      options.onCluster(kubeconfig, simulateKubelet);
    }
    return options;
  }

  /** One job count measured by this command in a JVM of its own, with the same options. */
  private Benchmark.Result forked(int n) throws Exception {
    Path json = Files.createTempFile("chainer-bench-", ".json");
    try {
      List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
          .toString(), "-cp", System.getProperty("java.class.path"), BenchCommand.class.getName(),
          "--jobs", Integer.toString(n), "--no-fork", "--result-json", json.toString(),
          "--timeout-minutes", Long.toString(timeoutMinutes), "--operator-heap", operatorHeap,
          "--resync-seconds", Long.toString(resyncSeconds),
          separateCpus ? "--separate-cpus" : "--no-separate-cpus"));
      if (namespace != null) {
        command.addAll(List.of("--namespace", namespace));
      }
      addPath(command, "--kubeconfig", kubeconfig);
      addPath(command, "--job", job);
      addPath(command, "--operator-log", operatorLog);
      addPath(command, "--operator-config", operatorConfig);
      if (simulateKubelet) {
        command.add("--simulate-kubelet");
      }
      if (inProcess) {
        command.add("--in-process");
      }
      Process p = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
          .redirectError(ProcessBuilder.Redirect.INHERIT).start();
      if (p.waitFor() != 0) {
        throw new IllegalStateException("the benchmark of " + n + " jobs failed (exit " + p.exitValue() + ")");
      }
      return JSON.readValue(json.toFile(), Benchmark.Result[].class)[0];
    } finally {
      Files.deleteIfExists(json);
    }
  }

  private static void addPath(List<String> command, String option, Path value) {
    if (value != null) {
      command.addAll(List.of(option, value.toAbsolutePath().toString()));
    }
  }
}
