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
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Refusals of the worker pods, which the StatefulSet controller creates: the server's word reaches only a
 * FailedCreate Event on the StatefulSet (the controller retries, its status does not change, no pod appears). Read
 * only while the attempt has fewer worker pods than its StatefulSet wants, and only Events of that StatefulSet (by
 * uid) seen lately, so a refusal that has cleared is not reported again. The Events of one StatefulSet are listed
 * at most once per {@link #EVERY}, and first only once it has lacked pods for that long; reconciles in between use
 * what the last list found. A job whose pods are still being made (the usual case, for a moment after its
 * StatefulSet is created) costs no list, where it cost one per reconcile: at 1,000 jobs on the in-process server,
 * 33 lists of Events per job, each a scan of every Event of the namespace, were the operator's largest cost.
 */
final class WorkerRefusals {
  /** An Event older than this is taken as cleared: the controller records another while it keeps failing. */
  private static final Duration RECENT = Duration.ofMinutes(2);
  /** As often as the planner looks again at a StatefulSet that lacks pods (JobPlanner.MISSING_PODS_RETRY). */
  static final Duration EVERY = JobPlanner.MISSING_PODS_RETRY;
  private static final int MAX_REMEMBERED = 10_000;

  /** What the last list of a StatefulSet's Events found, and when, by the StatefulSet's uid. */
  private record Listed(Instant at, Optional<Refusal> refusal) {}

  private final Map<String, Listed> listed = new ConcurrentHashMap<>();

  Optional<Refusal> read(JobContext job, JobObjects objects, KubernetesClient client, Instant now) {
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
    Listed last = listed.get(uid);
    if (last != null && now.isBefore(last.at().plus(EVERY))) {
      return last.refusal();
    }
    if (listed.size() > MAX_REMEMBERED) {
      listed.clear();
    }
    if (last == null) {
      // Just seen lacking pods: the controller is most likely still making them. Listed only if that lasts.
      listed.put(uid, new Listed(now, Optional.empty()));
      return Optional.empty();
    }
    Optional<Refusal> refusal = list(set, uid, client, now);
    listed.put(uid, new Listed(now, refusal));
    return refusal;
  }

  private static Optional<Refusal> list(StatefulSet set, String uid, KubernetesClient client, Instant now) {
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
