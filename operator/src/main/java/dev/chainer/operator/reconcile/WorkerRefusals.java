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
 * first once it has lacked pods for {@link #EVERY}, then ever less often while no refusal is found (up to once a
 * minute); reconciles in between use what the last list found. A job whose pods are still being made (the usual
 * case, for a moment after its StatefulSet is created) costs no list, where it cost one per reconcile: at 1,000
 * jobs on the in-process server, 33 lists of Events per job, each a scan of every Event of the namespace, were the
 * operator's largest cost.
 */
final class WorkerRefusals {
  /** An Event older than this is taken as cleared: the controller records another while it keeps failing. */
  private static final Duration RECENT = Duration.ofMinutes(2);
  /** As often as the planner looks again at a StatefulSet that lacks pods (JobPlanner.MISSING_PODS_RETRY). */
  static final Duration EVERY = JobPlanner.MISSING_PODS_RETRY;
  /** The longest wait between two lists of one StatefulSet's Events while they find no refusal. */
  static final Duration AT_MOST_EVERY = Duration.ofMinutes(1);
  private static final int MAX_REMEMBERED = 10_000;

  /** How many lists that find nothing are made {@link #EVERY} apart before the pause starts doubling. */
  static final int STEADY_LISTS = 3;

  /**
   * What the last list of a StatefulSet's Events found, when, how many lists in a row found nothing, and how long
   * until the next: {@link #EVERY} for the first {@link #STEADY_LISTS} that find nothing (on a loaded cluster the
   * controller's first Event can come late, and a refusal should still be told within seconds), then doubled after
   * each (a controller slow to make pods on a busy cluster is not a refusal), back to {@link #EVERY} after one that
   * found one, so that its clearing is seen soon.
   */
  private record Listed(Instant at, Optional<Refusal> refusal, int empty, Duration pause) {
    Listed next(Instant now, Optional<Refusal> found) {
      if (found.isPresent()) {
        return new Listed(now, found, 0, EVERY);
      }
      Duration doubled = empty + 1 < STEADY_LISTS ? EVERY : pause.multipliedBy(2);
      return new Listed(now, found, empty + 1, doubled.compareTo(AT_MOST_EVERY) > 0 ? AT_MOST_EVERY : doubled);
    }
  }

  private final Map<String, Listed> listed = new ConcurrentHashMap<>();

  Optional<Refusal> read(JobContext job, JobObjects objects, KubernetesClient client, Instant now) {
    Optional<StatefulSet> workers = objects.workers(job.attempt());
    if (workers.isEmpty() || job.job().getStatus() != null && job.job().getStatus().getPhase() != null
        && job.job().getStatus().getPhase().isTerminal()) {
      return Optional.empty();
    }
    StatefulSet set = workers.get();
    Integer wanted = set.getSpec() == null ? null : set.getSpec().getReplicas();
    String uid = set.getMetadata().getUid();
    if (wanted == null || objects.workerPods(job.attempt()).size() >= wanted) {
      listed.remove(uid); // all made: pods missing later are a new story
      return Optional.empty();
    }
    Listed last = listed.get(uid);
    if (last != null && now.isBefore(last.at().plus(last.pause()))) {
      return last.refusal();
    }
    if (listed.size() > MAX_REMEMBERED) {
      listed.clear();
    }
    if (last == null) {
      // Just seen lacking pods: the controller is most likely still making them. Listed only if that lasts.
      listed.put(uid, new Listed(now, Optional.empty(), 0, EVERY));
      return Optional.empty();
    }
    Optional<Refusal> refusal = list(set, uid, client, now);
    listed.put(uid, last.next(now, refusal));
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
