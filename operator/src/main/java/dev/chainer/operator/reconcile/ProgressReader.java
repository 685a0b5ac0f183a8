package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.api.TrainingProgress;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.render.ScriptArguments;
import dev.chainer.operator.api.ResumedFrom;
import dev.chainer.operator.spec.EffectiveOutputs;
import dev.chainer.operator.spec.JobContext;
import dev.chainer.operator.spec.JobNames;
import dev.chainer.operator.status.ResumeLine;
import dev.chainer.operator.status.ProgressEstimator;
import dev.chainer.operator.status.ProgressParser;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a running job's progress from the tail of its launcher's log (rank 0's output reaches it through
 * mpirun), at most once per interval. Only the operator reads, with one read-only permission
 * (pods/log get): no sidecar, and no extra rights for the training pods.
 */
final class ProgressReader {
  private static final Logger LOG = LoggerFactory.getLogger(ProgressReader.class);
  private final OperatorConfig config;

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
   * Launchers whose log head was read for a resume line and had none (a fresh start): not read again. Losing it in a
   * restart costs one more read of 16 KiB.
   */
  private final Map<String, Boolean> startedFresh = new java.util.concurrent.ConcurrentHashMap<>();
  private static final int HEAD_BYTES = 16384;

  /**
   * Once per attempt of a job that resumes from checkpoints: what its launcher resumed from, from the line the
   * resume step printed at the head of its log (status.resumedFrom), with a Normal Event.
   */
  Optional<JobEvent> resumedFrom(KubernetesClient client, JobContext job, ChainerJobStatus status) {
    String pod = status.getLauncher().getPodName();
    int attempt = status.currentAttempt();
    boolean resumes = job.job().getSpec() != null && job.outputs().filter(EffectiveOutputs::resume).isPresent();
    boolean known = status.getResumedFrom() != null && status.getResumedFrom().getAttempt() != null
        && status.getResumedFrom().getAttempt() == attempt;
    if (!resumes || known || startedFresh.containsKey(job.job().getMetadata().getUid() + "/" + pod)) {
      return Optional.empty();
    }
    String uri = "/api/v1/namespaces/" + encode(job.names().namespace()) + "/pods/" + encode(pod) + "/log?container="
        + JobNames.LAUNCHER_CONTAINER + "&limitBytes=" + HEAD_BYTES;
    Optional<String> head = read(client, uri);
    if (head.isEmpty()) {
      return Optional.empty();
    }
    Optional<ResumedFrom> resumed = ResumeLine.parse(head.get(), attempt);
    if (resumed.isEmpty() && !ResumeLine.startedFresh(head.get())) {
      return Optional.empty(); // the step has not run yet (the launcher waits for its workers first): look again
    }
    if (resumed.isEmpty()) {
      if (startedFresh.size() > 10000) {
        startedFresh.clear();
      }
      startedFresh.put(job.job().getMetadata().getUid() + "/" + pod, true);
      status.setResumedFrom(null);
      return Optional.empty();
    }
    status.setResumedFrom(resumed.get());
    return Optional.of(JobEvent.normal("Resumed", "attempt " + attempt + " resumed from " + resumed.get().getPath()
        + " (iteration " + resumed.get().getIteration() + ")"));
  }

  /** Updates the status's progress when it is due and the output says something new. */
  void update(KubernetesClient client, ChainerJob job, ChainerJobStatus status, Instant now) {
    TrainingProgress previous = status.getProgress();
    if (previous != null && previous.getLastUpdateTime() != null
        && now.isBefore(Instant.parse(previous.getLastUpdateTime()).plus(interval()))) {
      return;
    }
    Optional<String> log = tail(client, job.getMetadata().getNamespace(), status.getLauncher().getPodName());
    if (log.isEmpty()) {
      return;
    }
    TrainingProgress next = ProgressEstimator.estimate(ProgressParser.parse(log.get()),
        epochsFromArguments(job), status.getStartTime() == null ? null : Instant.parse(status.getStartTime()), now);
    if (next != null && !next.sameReadingAs(previous)) {
      status.setProgress(next);
    }
  }

  /**
   * One GET of the log's tail. Fabric8's getLog() would first wait for the pod to be ready with a list and
   * a watch of pods; the launcher is known to be running here, so that is skipped.
   */
  private Optional<String> tail(KubernetesClient client, String namespace, String pod) {
    return read(client, "/api/v1/namespaces/" + encode(namespace) + "/pods/" + encode(pod) + "/log?container="
        + JobNames.LAUNCHER_CONTAINER + "&tailLines=" + config.getProgressLogLines() + "&limitBytes="
        + config.getProgressLogBytes());
  }

  private static Optional<String> read(KubernetesClient client, String uri) {
    try {
      return Optional.ofNullable(client.raw(uri));
    } catch (KubernetesClientException e) {
      LOG.debug("no log at {}: {}", uri, e.getMessage());
      return Optional.empty();
    }
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
