package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.api.ResumedFrom;
import dev.chainer.operator.api.TrainingProgress;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.render.ScriptArguments;
import dev.chainer.operator.spec.EffectiveOutputs;
import dev.chainer.operator.spec.JobContext;
import dev.chainer.operator.spec.JobNames;
import dev.chainer.operator.status.JobConditions;
import dev.chainer.operator.status.ProgressEstimator;
import dev.chainer.operator.status.ProgressParser;
import dev.chainer.operator.status.ProgressReading;
import dev.chainer.operator.status.ResumeLine;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads a running job's progress from the tail of its launcher's log (rank 0's output reaches it through
 * mpirun), at most once per interval. Only the operator reads, with one read-only permission
 * (pods/log get): no sidecar, and no extra rights for the training pods.
 */
final class ProgressReader {
  /** How long after a job ended its launcher's log is read once more, for the last epoch it reported. */
  static final Duration LAST_READ = Duration.ofSeconds(60);

  private final OperatorConfig config;
  private final LogReads logs = new LogReads();

  ProgressReader(OperatorConfig config) {
    this.config = config;
  }

  Duration interval() {
    return Duration.ofSeconds(config.getProgressIntervalSeconds());
  }

  boolean applies(ChainerJobStatus status) {
    return config.getProgressIntervalSeconds() > 0 && status.getPhase() == JobPhase.Running
        && status.getLauncher() != null && status.getLauncher().getPodName() != null;
  }

  /**
   * Whether an ended job's launcher (kept for its logs) is read once more, so that its progress shows the last epoch
   * the script reported and not the reading before: until a reading newer than the end is had, or a minute passes. A
   * job that ended before any reading (a run shorter than the interval) gets its one reading now: its log's tail is
   * read after the end once, and not again when it says nothing.
   */
  boolean lastReadDue(JobContext running, ChainerJobStatus status, Instant now) {
    if (config.getProgressIntervalSeconds() <= 0 || status.getPhase() == null || !status.getPhase().isTerminal()
        || status.getCompletionTime() == null || status.getLauncher() == null
        || status.getLauncher().getPodName() == null || "Removed".equals(status.getLauncher().getState())) {
      return false;
    }
    Instant ended = Instant.parse(status.getCompletionTime());
    if (!now.isBefore(ended.plus(LAST_READ))) {
      return false;
    }
    if (status.getProgress() == null) {
      String tail = tailUri(running.names().namespace(), status.getLauncher().getPodName());
      // Due until a read asked after the end is had, and then once more to take it when it says something.
      return logs.<LogTail>peek(tail).filter(r -> !r.asked().isBefore(ended))
          .map(r -> !r.value().reading().isEmpty()).orElse(true);
    }
    String read = status.getProgress().getLastUpdateTime();
    return read == null || Instant.parse(read).isBefore(ended);
  }

  /**
   * Launchers whose log head was read for a resume line and had none (a fresh start): not read again. Losing it in a
   * restart costs one more read of 16 KiB.
   */
  private final Map<String, Boolean> startedFresh = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int HEAD_BYTES = 16384;

  /** What the head of a launcher's log says: PrintReport's header ("" before it), and the resume step's line. */
  record LogHead(String header, Optional<ResumedFrom> resumed, boolean startedFresh) {
    static LogHead of(String text, int attempt) {
      return new LogHead(ProgressParser.lastHeader(text).orElse(""), ResumeLine.parse(text, attempt),
          ResumeLine.startedFresh(text));
    }
  }

  /** What the tail of a launcher's log says, and whether it held PrintReport's header itself. */
  record LogTail(ProgressReading reading, boolean hadHeader) {
    static LogTail of(String header, String text) {
      return new LogTail(ProgressParser.parse(header + "\n" + text), ProgressParser.lastHeader(text).isPresent());
    }
  }

  /**
   * Once per attempt of a job that resumes from checkpoints: what its launcher resumed from, from the line the
   * resume step printed at the head of its log (status.resumedFrom), with a Normal Event. The head is read by
   * {@link #update} while this is wanted, within the launcher's one read per interval.
   */
  Optional<JobEvent> resumedFrom(JobContext job, ChainerJobStatus status) {
    String pod = status.getLauncher().getPodName();
    int attempt = status.currentAttempt();
    if (!resumeWanted(job, status)) {
      return Optional.empty();
    }
    Optional<LogHead> head = logs.<LogHead>peek(headUri(job.names().namespace(), pod)).map(LogReads.Read::value);
    if (head.isEmpty() || head.get().resumed().isEmpty() && !head.get().startedFresh()) {
      return Optional.empty(); // not read yet, or the step has not run yet (the launcher waits for its workers)
    }
    if (head.get().resumed().isEmpty()) {
      if (startedFresh.size() > 10000) {
        startedFresh.clear();
      }
      startedFresh.put(job.job().getMetadata().getUid() + "/" + pod, true);
      status.setResumedFrom(null);
      return Optional.empty();
    }
    ResumedFrom resumed = head.get().resumed().get(); // of this attempt: each attempt has a launcher of its own
    status.setResumedFrom(resumed);
    return Optional.of(JobEvent.normal("Resumed", "attempt " + attempt + " resumed from " + resumed.getPath()
        + " (iteration " + resumed.getIteration() + ")"));
  }

  private boolean resumeWanted(JobContext job, ChainerJobStatus status) {
    if (status.getPhase() == null || status.getPhase().isTerminal()) {
      return false;
    }
    int attempt = status.currentAttempt();
    boolean resumes = job.job().getSpec() != null && job.outputs().filter(EffectiveOutputs::resume).isPresent();
    boolean known = status.getResumedFrom() != null && status.getResumedFrom().getAttempt() != null
        && status.getResumedFrom().getAttempt() == attempt;
    return resumes && !known && !startedFresh.containsKey(job.job().getMetadata().getUid() + "/"
        + status.getLauncher().getPodName());
  }

  /**
   * Sets the status's progress from the latest reading of the launcher's log when it says something new (the
   * reading itself happens off this thread: see {@link LogReads}). Each launcher costs at most one read per
   * interval, of 16 KiB of its head (while PrintReport's header or the resume step's line is still to be learnt,
   * every other interval) or of its bounded tail. An ended job's progress is its last reading, at 100 % when it
   * completed. A log that cannot be read leaves the progress as it was, and the job says so (condition
   * ProgressRead) until a read succeeds.
   */
  void update(KubernetesClient client, JobContext running, ChainerJobStatus status, Instant now) {
    ChainerJob job = running.job();
    TrainingProgress previous = status.getProgress();
    boolean ended = status.getPhase() != null && status.getPhase().isTerminal();
    // Once it ended, only a read asked for after the end tells the last epoch.
    Instant since = ended ? Instant.parse(status.getCompletionTime()) : Instant.MIN;
    Duration every = ended ? Duration.ofSeconds(1) : interval();
    String ns = job.getMetadata().getNamespace();
    String pod = status.getLauncher().getPodName();
    String launcher = ns + "/" + pod;
    // PrintReport prints its header once, at the start: a script that prints a lot between its reports pushes it
    // out of the tail, so the header is learnt from the head of the log and read before the tail's rows.
    String headUri = headUri(ns, pod);
    String tailUri = tailUri(ns, pod);
    Optional<LogReads.Read<LogHead>> head = logs.peek(headUri);
    Optional<LogReads.Read<LogTail>> tail = logs.peek(tailUri);
    String header = head.map(r -> r.value().header()).orElse("");
    boolean headWanted = resumeWanted(running, status)
        || header.isEmpty() && tail.filter(t -> t.value().hadHeader()).isEmpty();
    boolean headTurn = headWanted && (head.isEmpty() || tail.isPresent() && !head.get().asked().isAfter(tail.get()
        .asked()));
    if (headTurn) {
      int attempt = status.currentAttempt();
      logs.request(client, launcher, headUri, text -> LogHead.of(text, attempt), every, now);
    } else {
      logs.request(client, launcher, tailUri, text -> LogTail.of(header, text), every, now);
    }
    if (!ended) {
      logs.failure(launcher).ifPresent(why -> status.setConditions(JobConditions.withProgressNotRead(
          status.getConditions(), "progress not read: " + why + "; read again every " + every.toSeconds() + "s",
          job.getStatus() == null ? null : job.getStatus().getConditions(), now)));
    }
    Optional<ProgressReading> reading = tail.filter(r -> !r.asked().isBefore(since))
        .map(r -> r.value().reading());
    if (reading.isEmpty()) {
      return;
    }
    TrainingProgress next = ProgressEstimator.estimate(reading.get(), epochsFromArguments(job),
        status.getStartTime() == null ? null : Instant.parse(status.getStartTime()), now);
    if (next != null && status.getPhase() == JobPhase.Completed) {
      next.setPercent(100);
      next.setEstimatedSecondsRemaining(0L);
    }
    if (next != null && (ended || !next.sameReadingAs(previous))) {
      status.setProgress(next);
    }
  }

  /** The head of the log, where the resume step and PrintReport's header are. */
  private static String headUri(String namespace, String pod) {
    return "/api/v1/namespaces/" + encode(namespace) + "/pods/" + encode(pod) + "/log?container="
        + JobNames.LAUNCHER_CONTAINER + "&limitBytes=" + HEAD_BYTES;
  }

  /**
   * The log's tail, as much as the configuration allows. Fabric8's getLog() would first wait for the pod to be ready
   * with a list and a watch of pods; the launcher is known to have started here, so that is skipped.
   */
  private String tailUri(String namespace, String pod) {
    return "/api/v1/namespaces/" + encode(namespace) + "/pods/" + encode(pod) + "/log?container="
        + JobNames.LAUNCHER_CONTAINER + "&tailLines=" + config.getProgressLogLines() + "&limitBytes="
        + config.getProgressLogBytes();
  }

  private static String encode(String pathSegment) {
    return java.net.URLEncoder.encode(pathSegment, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** The run's length in epochs from its own arguments (--epoch N, --epochs N, -e N), if it says. */
  static Long epochsFromArguments(ChainerJob job) {
    List<String> argv = ScriptArguments.of(job.getSpec(), Map.of());
    for (int i = 0; i + 1 < argv.size(); i++) {
      if (List.of("--epoch", "--epochs", "-e").contains(argv.get(i)) && argv.get(i + 1).matches("\\d+")) {
        return Long.parseLong(argv.get(i + 1));
      }
    }
    return null;
  }
}
