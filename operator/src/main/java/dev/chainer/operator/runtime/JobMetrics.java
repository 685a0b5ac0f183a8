package dev.chainer.operator.runtime;

import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.status.JobTransitions;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The jobs' own metrics, per namespace: counters of jobs created, succeeded, failed (by reason), restarted and
 * canceled; histograms of the time they queued, started up and ran; and how many are in each phase now. Served in
 * the Prometheus text format with the operator's counters.
 */
public final class JobMetrics {
  /** Seconds: from a few seconds of start-up to a day of training. */
  static final double[] BUCKETS = {1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 7200, 21600, 86400};
  private final Map<String, Long> counters = new ConcurrentHashMap<>();
  private final Map<String, Histogram> histograms = new ConcurrentHashMap<>();
  /** The namespace and phase of every job this operator has seen, by uid; a deleted job leaves it. */
  private final Map<String, String[]> phases = new HashMap<>();
  /**
   * The uids of the jobs deleted last: a reconcile that was running when its job was deleted ends after the
   * deletion, and its phase must not bring the job back. Only such reconciles need them, so the newest suffice.
   */
  private final Set<String> deleted = Collections.newSetFromMap(new LinkedHashMap<>() {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
      return size() > KEPT_DELETIONS;
    }
  });
  private static final int KEPT_DELETIONS = 10_000;

  /** Records what one reconcile changed of one job. */
  public void record(String namespace, String uid, JobTransitions t, JobPhase phase) {
    if (t.created()) {
      count("chainer_jobs_created_total", labels("namespace", namespace));
    }
    if (t.restarted()) {
      count("chainer_jobs_restarted_total", labels("namespace", namespace));
    }
    if (t.disrupted()) {
      count("chainer_jobs_disrupted_total", labels("namespace", namespace));
    }
    t.ended().ifPresent(p -> {
      switch (p) {
        case Completed -> count("chainer_jobs_succeeded_total", labels("namespace", namespace));
        case Failed -> count("chainer_jobs_failed_total", labels("namespace", namespace) + ",reason=\""
            + (t.reason() == null ? "Unknown" : t.reason()) + "\"");
        case Canceled -> count("chainer_jobs_canceled_total", labels("namespace", namespace));
        default -> { }
      }
    });
    t.queued().ifPresent(d -> observe("chainer_job_queued_seconds", namespace, d));
    t.startup().ifPresent(d -> observe("chainer_job_startup_seconds", namespace, d));
    t.run().ifPresent(d -> observe("chainer_job_run_seconds", namespace, d));
    if (phase != null) {
      synchronized (phases) {
        if (!deleted.contains(uid)) {
          phases.put(uid, new String[] {namespace, phase.name()});
        }
      }
    }
  }

  /** A job was deleted: it is no longer in any phase, whatever a reconcile still running records of it. */
  public void forget(String uid) {
    synchronized (phases) {
      deleted.add(uid);
      phases.remove(uid);
    }
  }

  private void count(String name, String labels) {
    counters.merge(name + "{" + labels + "}", 1L, Long::sum);
  }

  private void observe(String name, String namespace, Duration d) {
    histograms.computeIfAbsent(name + "{" + labels("namespace", namespace) + "}", k -> new Histogram())
        .observe(d.toMillis() / 1000.0);
  }

  private static String labels(String key, String value) {
    return key + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** The metrics in the Prometheus text exposition format. */
  public String prometheus() {
    StringBuilder out = new StringBuilder();
    family(out, "chainer_jobs_created_total", "counter", "ChainerJobs seen for the first time.");
    family(out, "chainer_jobs_succeeded_total", "counter", "ChainerJobs that completed.");
    family(out, "chainer_jobs_failed_total", "counter", "ChainerJobs that failed, by reason.");
    family(out, "chainer_jobs_restarted_total", "counter", "Restarts of ChainerJobs after a failed attempt.");
    family(out, "chainer_jobs_disrupted_total", "counter", "Restarts of ChainerJobs after the cluster took a pod "
        + "away (preemption, eviction, a lost node): not counted against backoffLimit.");
    family(out, "chainer_jobs_canceled_total", "counter", "ChainerJobs canceled.");
    histogram(out, "chainer_job_queued_seconds", "From a job's start (submission, admission or resume) to all "
        + "of its workers Ready, for its first attempt.");
    histogram(out, "chainer_job_startup_seconds", "From all workers Ready to the launcher Running.");
    histogram(out, "chainer_job_run_seconds", "From the launcher Running to its end (success, failure or stop).");
    out.append("# HELP chainer_jobs ChainerJobs in each phase.\n# TYPE chainer_jobs gauge\n");
    Map<String, Long> perPhase = new TreeMap<>();
    List<String[]> now;
    synchronized (phases) {
      now = List.copyOf(phases.values());
    }
    now.forEach(p -> perPhase.merge(labels("namespace", p[0]) + "," + labels("phase", p[1]), 1L,
        Long::sum));
    perPhase.forEach((labels, n) -> out.append("chainer_jobs{").append(labels).append("} ").append(n).append('\n'));
    return out.toString();
  }

  private void family(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(' ').append(type).append('\n');
    new TreeMap<>(counters).forEach((series, value) -> {
      if (series.startsWith(name + "{")) {
        out.append(series).append(' ').append(value).append('\n');
      }
    });
  }

  private void histogram(StringBuilder out, String name, String help) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" histogram\n");
    new TreeMap<>(histograms).forEach((series, h) -> {
      if (series.startsWith(name + "{")) {
        h.write(out, name, series.substring(name.length() + 1, series.length() - 1));
      }
    });
  }

  /** Cumulative buckets, sum and count, as Prometheus histograms are. */
  private static final class Histogram {
    private final long[] buckets = new long[BUCKETS.length];
    private long count;
    private double sum;

    synchronized void observe(double seconds) {
      for (int i = 0; i < BUCKETS.length; i++) {
        if (seconds <= BUCKETS[i]) {
          buckets[i]++;
        }
      }
      count++;
      sum += seconds;
    }

    synchronized void write(StringBuilder out, String name, String labels) {
      for (int i = 0; i < BUCKETS.length; i++) {
        out.append(name).append("_bucket{").append(labels).append(",le=\"").append(format(BUCKETS[i]))
            .append("\"} ").append(buckets[i]).append('\n');
      }
      out.append(name).append("_bucket{").append(labels).append(",le=\"+Inf\"} ").append(count).append('\n')
          .append(name).append("_sum{").append(labels).append("} ").append(sum).append('\n')
          .append(name).append("_count{").append(labels).append("} ").append(count).append('\n');
    }

    private static String format(double bound) {
      return bound == Math.rint(bound) ? Long.toString((long) bound) : Double.toString(bound);
    }
  }
}
