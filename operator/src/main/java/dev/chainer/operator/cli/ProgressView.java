package dev.chainer.operator.cli;

import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.LauncherStatus;
import dev.chainer.operator.api.TrainingProgress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What `watch` shows of a job's status, as text: a one-line summary (phase, attempt, workers, progress bar, epoch,
 * iteration, percent, time left, latest metrics, restarts) and the lines worth keeping when something happens (a
 * restart and why, the end). Pure: the same status gives the same text.
 */
public final class ProgressView {
  private static final int BAR_WIDTH = 20;

  private ProgressView() {}

  /** The summary: one line for a log, the first of the live block on a terminal. */
  public static String summary(ChainerJobStatus s) {
    TrainingProgress p = s.getProgress();
    String metrics = p == null ? "" : metrics(p.getMetrics());
    return header(s) + (p == null ? "" : "  " + progress(p)) + (metrics.isEmpty() ? "" : "  " + metrics);
  }

  /** The live block on a terminal: the header, the progress bar, the metrics (the last two once there is progress). */
  public static List<String> block(ChainerJobStatus s) {
    List<String> lines = new ArrayList<>(List.of(header(s)));
    if (s.getProgress() != null) {
      lines.add("  " + progress(s.getProgress()));
      String metrics = metrics(s.getProgress().getMetrics());
      if (!metrics.isEmpty()) {
        lines.add("  " + metrics);
      }
    }
    return lines;
  }

  static String header(ChainerJobStatus s) {
    List<String> parts = new ArrayList<>();
    parts.add(s.getPhase() == null ? "Submitted" : s.getPhase().name());
    if (s.getReason() != null) {
      parts.add("(" + s.getReason() + ")");
    }
    parts.add("attempt " + s.currentAttempt());
    if (s.getTotalWorkers() != null) {
      parts.add("workers " + (s.getReadyWorkers() == null ? 0 : s.getReadyWorkers()) + "/" + s.getTotalWorkers());
    }
    int restarts = count(s.getRestartCount()) + count(s.getDisruptionCount());
    if (restarts > 0) {
      parts.add("restarts " + count(s.getRestartCount()) + (count(s.getDisruptionCount()) > 0
          ? " disruptions " + count(s.getDisruptionCount()) : ""));
    }
    return String.join("  ", parts);
  }

  /** The progress bar with percent, epoch, iteration and time left. */
  static String progress(TrainingProgress p) {
    List<String> parts = new ArrayList<>();
    if (p.getPercent() != null) {
      parts.add(bar(p.getPercent()) + " " + p.getPercent() + "%");
    }
    if (p.getEpoch() != null) {
      parts.add("epoch " + p.getEpoch() + (p.getTotalEpochs() == null ? "" : "/" + p.getTotalEpochs()));
    }
    if (p.getIteration() != null) {
      parts.add("iteration " + p.getIteration() + (p.getTotalIterations() == null ? "" : "/" + p.getTotalIterations()));
    }
    if (p.getEstimatedSecondsRemaining() != null) {
      parts.add(duration(p.getEstimatedSecondsRemaining()) + " left");
    }
    return String.join("  ", parts);
  }

  static String bar(int percent) {
    int filled = Math.max(0, Math.min(BAR_WIDTH, percent * BAR_WIDTH / 100));
    return "[" + "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled) + "]";
  }

  static String metrics(Map<String, String> metrics) {
    if (metrics == null) {
      return "";
    }
    List<String> out = new ArrayList<>();
    metrics.forEach((k, v) -> out.add(k + "=" + v));
    return String.join(" ", out);
  }

  /** 75 -> "1m15s", 3725 -> "1h02m05s". */
  static String duration(long seconds) {
    long h = seconds / 3600;
    long m = seconds % 3600 / 60;
    long sec = seconds % 60;
    return h > 0 ? String.format("%dh%02dm%02ds", h, m, sec) : m > 0 ? String.format("%dm%02ds", m, sec)
        : sec + "s";
  }

  /**
   * Lines to keep in the scrollback for what happened between two statuses: a new attempt and why the last one
   * ended (the operator's Restarting message), and the job's end with its reason.
   */
  public static List<String> happenings(ChainerJobStatus before, ChainerJobStatus now) {
    List<String> out = new ArrayList<>();
    ChainerJobStatus was = before == null ? new ChainerJobStatus() : before;
    if (now.currentAttempt() > was.currentAttempt()) {
      boolean restartMessage = "Restarting".equals(now.getReason()) && now.getMessage() != null;
      out.add("attempt " + now.currentAttempt() + " begins" + (restartMessage ? ": " + now.getMessage() : ""));
    }
    if (now.getPhase() != null && now.getPhase().isTerminal() && now.getPhase() != was.getPhase()) {
      out.add(end(now));
    }
    return out;
  }

  static String end(ChainerJobStatus s) {
    StringBuilder line = new StringBuilder(s.getPhase().name());
    if (s.getReason() != null) {
      line.append(" (").append(s.getReason()).append(')');
    }
    LauncherStatus launcher = s.getLauncher();
    if (launcher != null && launcher.getExitCode() != null) {
      line.append(": launcher exit code ").append(launcher.getExitCode());
    }
    if (s.getMessage() != null && !Objects.equals(s.getMessage(), s.getReason())) {
      line.append(" - ").append(s.getMessage());
    }
    return line.toString();
  }

  private static int count(Integer n) {
    return n == null ? 0 : n;
  }
}
