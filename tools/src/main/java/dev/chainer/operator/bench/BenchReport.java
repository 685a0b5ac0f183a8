package dev.chainer.operator.bench;

import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** The benchmark's results as Markdown: ratios first (the machine is noisy), absolute figures second. */
public final class BenchReport {
  private static final List<String> PHASES = List.of("creation", "run", "finish", "idle");

  private BenchReport() {}

  public static String markdown(List<Benchmark.Result> results) {
    StringBuilder out = new StringBuilder();
    out.append("| jobs | failed | writes/job | minimum | ratio | idle writes | bare-client throughput ratio | "
        + "launcher latency p50 / p99 (ms) | reconciles/job |\n|---|---|---|---|---|---|---|---|---|\n");
    for (Benchmark.Result r : results) {
      out.append(String.format(java.util.Locale.ROOT, "| %d | %d | %.2f | %d | %.2f | %d | %.2f | %d / %d | %.1f |%n",
          r.jobs(), r.failed(), r.writesPerJob(), Benchmark.MINIMUM_WRITES_PER_JOB,
          r.writesPerJob() / Benchmark.MINIMUM_WRITES_PER_JOB, r.writes("idle"), r.throughputRatio(),
          r.latencyPercentile(0.5), r.latencyPercentile(0.99), r.reconciliations() / (double) r.jobs()));
    }
    out.append("\n| jobs | to all workers created | to all Completed | bare client, same work | API server "
        + "requests/s, operator / bare client | operator heap after GC | operator RSS |\n|---|---|---|---|---|---|---|\n");
    for (Benchmark.Result r : results) {
      out.append(String.format(java.util.Locale.ROOT, "| %d | %.2f s | %.2f s | %.2f s | %s | %s | %s |%n", r.jobs(),
          seconds(r.toWorkersCreated()), seconds(r.toCompleted()), seconds(r.baseline().time()),
          r.servedWhileCreating() < 0 ? "(not known on a cluster)" : String.format(java.util.Locale.ROOT,
              "%.0f / %.0f", r.servedWhileCreating() / seconds(r.toWorkersCreated()),
              r.baseline().served() / seconds(r.baseline().time())),
          mib(r.heapAfterGc()), mib(r.rss())));
    }
    for (Benchmark.Result r : results) {
      out.append("\nAPI requests per job, ").append(r.jobs()).append(" jobs:\n\n| request |");
      PHASES.forEach(p -> out.append(' ').append(p).append(" |"));
      out.append("\n|---|---|---|---|---|\n");
      TreeSet<String> keys = new TreeSet<>();
      r.requestsByPhase().values().forEach(m -> keys.addAll(m.keySet()));
      for (String key : keys) {
        out.append("| ").append(key).append(" |");
        for (String phase : PHASES) {
          Map<String, Long> counts = r.requestsByPhase().get(phase);
          out.append(String.format(java.util.Locale.ROOT, " %.2f |", counts.getOrDefault(key, 0L) / (double) r.jobs()));
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  private static double seconds(java.time.Duration d) {
    return Math.max(1, d.toMillis()) / 1000.0;
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "(shared with the benchmark)" : String.format(java.util.Locale.ROOT, "%.0f MiB",
        bytes / 1048576.0);
  }
}
