package dev.chainer.operator.bench;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/** The benchmark's results as Markdown: ratios first (the machine is noisy), absolute figures second. */
public final class BenchReport {
  private static final List<String> PHASES = List.of("creation", "run", "finish", "idle");
  /** The kinds the operator creates for each job, as its request counts name them. */
  static final List<String> CREATED_KINDS = List.of("services", "configmaps", "secrets", "apps/statefulsets", "pods");

  private BenchReport() {}

  public static String markdown(List<Benchmark.Result> results) {
    StringBuilder out = new StringBuilder();
    out.append("| jobs | failed | writes/job | minimum | ratio | idle writes | bare-client throughput ratio | "
        + "launcher latency p50 / p99 (ms) | reconciles/job |\n|---|---|---|---|---|---|---|---|---|\n");
    for (Benchmark.Result r : results) {
      out.append(String.format(Locale.ROOT, "| %d | %d | %.2f | %d | %.2f | %d | %.2f | %d / %d | %.1f |%n",
          r.jobs(), r.failed(), r.writesPerJob(), r.minimumWrites(), r.writesPerJob() / r.minimumWrites(), r.writes("idle"), r.throughputRatio(),
          r.latencyPercentile(0.5), r.latencyPercentile(0.99), r.reconciliations() / (double) r.jobs()));
    }
    out.append("\n| jobs | to all workers created | to all Completed | bare client, same work | requests/s of each client"
        + " (its own), operator / bare client | API server requests/s (all clients), operator's window / bare client's"
        + " | operator heap after GC | operator RSS | heap / RSS growth per 1,000 jobs |\n|---|---|---|---|---|---|---|---|---|\n");
    for (Benchmark.Result r : results) {
      out.append(String.format(Locale.ROOT, "| %d | %.2f s | %.2f s | %.2f s | %.0f / %.0f | %s | %s | %s | %s |%n",
          r.jobs(), seconds(r.toWorkersCreated()), seconds(r.toCompleted()), seconds(r.baseline().time()),
          r.operatorRequestsPerSecond(), r.baseline().requests() / seconds(r.baseline().time()), served(r),
          mib(r.heapAfterGc()), mib(r.rss()), perThousand(r)));
    }
    out.append("\nCreations per job (each object once: requests = objects, no refused creation):\n\n| jobs |");
    CREATED_KINDS.forEach(k -> out.append(' ').append(k).append(" requests / objects |"));
    out.append(" refused creations (AlreadyExists) |\n|---|");
    CREATED_KINDS.forEach(k -> out.append("---|"));
    out.append("---|\n");
    for (Benchmark.Result r : results) {
      out.append("| ").append(r.jobs()).append(" |");
      for (String kind : CREATED_KINDS) {
        out.append(String.format(Locale.ROOT, " %.2f / %.2f |", r.requests("create " + kind) / (double) r.jobs(),
            r.objectsCreated(kind) / (double) r.jobs()));
      }
      out.append(' ').append(r.refusedCreations()).append(" |\n");
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
          out.append(String.format(Locale.ROOT, " %.2f |", counts.getOrDefault(key, 0L) / (double) r.jobs()));
        }
        out.append('\n');
      }
    }
    return out.toString();
  }

  /** The in-process server's count of every request it answered; a real one's is not readable from here. */
  private static String served(Benchmark.Result r) {
    if (r.servedWhileCreating() < 0 || r.baseline().served() < 0) {
      return "(not known on a cluster)";
    }
    return String.format(Locale.ROOT, "%.0f / %.0f", r.servedWhileCreating() / seconds(r.toWorkersCreated()),
        r.baseline().served() / seconds(r.baseline().time()));
  }

  /** From before the N jobs were submitted (the operator warm, idle) to their end, per 1,000 jobs. */
  private static String perThousand(Benchmark.Result r) {
    if (r.heapGrowthPerThousand() == -1 || r.rssGrowthPerThousand() == -1 || r.rss() < 0) {
      return "-";
    }
    return String.format(Locale.ROOT, "%.1f / %.1f MiB", r.heapGrowthPerThousand() / 1048576.0,
        r.rssGrowthPerThousand() / 1048576.0);
  }

  static double seconds(java.time.Duration d) {
    return Math.max(1, d.toMillis()) / 1000.0;
  }

  private static String mib(long bytes) {
    return bytes < 0 ? "(shared with the benchmark)" : String.format(Locale.ROOT, "%.0f MiB", bytes / 1048576.0);
  }
}
