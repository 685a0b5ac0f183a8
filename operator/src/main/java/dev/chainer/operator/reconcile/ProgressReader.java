package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.api.TrainingProgress;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.render.ScriptArguments;
import dev.chainer.operator.spec.JobNames;
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
    String uri = "/api/v1/namespaces/" + encode(namespace) + "/pods/" + encode(pod) + "/log?container="
        + JobNames.LAUNCHER_CONTAINER + "&tailLines=" + config.getProgressLogLines() + "&limitBytes="
        + config.getProgressLogBytes();
    try {
      return Optional.ofNullable(client.raw(uri));
    } catch (KubernetesClientException e) {
      LOG.debug("no log from {}/{}: {}", namespace, pod, e.getMessage());
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
