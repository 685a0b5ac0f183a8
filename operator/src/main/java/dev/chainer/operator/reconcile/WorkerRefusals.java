package dev.chainer.operator.reconcile;

import dev.chainer.operator.spec.JobContext;
import dev.chainer.operator.status.JobObjects;
import dev.chainer.operator.status.Refusal;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.Optional;

/**
 * Refusals of the worker pods, which the StatefulSet controller creates: the server's word reaches only a
 * FailedCreate Event on the StatefulSet (the controller retries, its status does not change, no pod appears). Read
 * only while the attempt has fewer worker pods than its StatefulSet wants, and only Events of that StatefulSet (by
 * uid) seen lately, so a refusal that has cleared is not reported again.
 */
final class WorkerRefusals {
  /** An Event older than this is taken as cleared: the controller records another while it keeps failing. */
  private static final Duration RECENT = Duration.ofMinutes(2);

  private WorkerRefusals() {}

  static Optional<Refusal> read(JobContext job, JobObjects objects, KubernetesClient client, Instant now) {
    Optional<StatefulSet> workers = objects.workers(job.attempt());
    if (workers.isEmpty() || job.job().getStatus() != null && job.job().getStatus().getPhase() != null
        && job.job().getStatus().getPhase().isTerminal()) {
      return Optional.empty();
    }
    StatefulSet set = workers.get();
    Integer wanted = set.getSpec() == null ? null : set.getSpec().getReplicas();
    if (wanted == null || objects.workerPods(job.attempt()).size() >= wanted) {
      return Optional.empty();
    }
    String uid = set.getMetadata().getUid();
    return client.v1().events().inNamespace(set.getMetadata().getNamespace())
        .withField("involvedObject.name", set.getMetadata().getName()).list().getItems().stream()
        .filter(e -> e.getInvolvedObject() != null && "StatefulSet".equals(e.getInvolvedObject().getKind())
            && uid != null && uid.equals(e.getInvolvedObject().getUid()))
        .filter(e -> lastSeen(e).map(t -> t.isAfter(now.minus(RECENT))).orElse(false))
        .max(Comparator.comparing(e -> lastSeen(e).orElse(Instant.EPOCH)))
        .flatMap(Refusal::ofEvent);
  }

  private static Optional<Instant> lastSeen(Event e) {
    String t = e.getLastTimestamp() != null ? e.getLastTimestamp()
        : e.getEventTime() != null && e.getEventTime().getTime() != null ? e.getEventTime().getTime()
        : e.getMetadata().getCreationTimestamp();
    try {
      return Optional.ofNullable(t).map(Instant::parse);
    } catch (java.time.format.DateTimeParseException ex) {
      return Optional.empty();
    }
  }
}
