package dev.chainer.operator.cli;

import dev.chainer.operator.bench.BenchReport;
import dev.chainer.operator.bench.Benchmark;
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
    description = "Benchmark the operator against the in-process API server with a simulated kubelet: N MPI jobs "
        + "(2 workers x 4 processes) at once, driven to Completed. Prints a Markdown report.")
public final class BenchCommand implements Callable<Integer> {
  @Option(names = "--jobs", split = ",", defaultValue = "10,100,1000", description = "Job counts (default ${DEFAULT-VALUE}).")
  List<Integer> jobs;

  @Option(names = "--in-process", description = "Run the operator in this JVM (memory figures then include the "
      + "API server); by default it runs as `run` in a JVM of its own.")
  boolean inProcess;

  @Option(names = "--out", description = "Also write the report to this file.")
  Path out;

  @Override
  public Integer call() throws Exception {
    List<Benchmark.Result> results = new ArrayList<>();
    for (int n : jobs) {
      System.err.println("benchmark: " + n + " jobs ...");
      Benchmark.Options options = Benchmark.Options.of(n);
      options = new Benchmark.Options(n, !inProcess, options.resync(), options.launcherRunTime(),
          Duration.ofMinutes(30));
      results.add(Benchmark.run(options));
    }
    String report = BenchReport.markdown(results);
    System.out.println(report);
    if (out != null) {
      Files.writeString(out, report);
    }
    return 0;
  }
}
