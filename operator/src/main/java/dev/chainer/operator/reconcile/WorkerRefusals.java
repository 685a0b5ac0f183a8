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
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Refusals of the worker pods, which the StatefulSet controller creates: the server's word reaches only a
 * FailedCreate Event on the StatefulSet (the controller retries, its status does not change, no pod appears). Looked
 * for only while the attempt has fewer worker pods than its StatefulSet wants, from {@link #EVERY} after the
 * StatefulSet was made (until then the controller is most likely still making them), and only in Events seen lately,
 * so a refusal that has cleared is not reported again.
 *
 * <p>One list serves a whole namespace: the FailedCreate Events of StatefulSets (a field selector the API server
 * applies), at most once per {@link #EVERY} while any of its jobs lacks pods, whatever their number. Listing each
 * StatefulSet's Events instead cost one list per waiting job, each a scan of every Event of the namespace by the
 * server: at 10,000 jobs, when the StatefulSet controller is slow to make pods, those lists took 92 % of the
 * in-process API server's CPU and brought submissions down to a few a second.
 */
final class WorkerRefusals {
  /** An Event older than this is taken as cleared: the controller records another while it keeps failing. */
  private static final Duration RECENT = Duration.ofMinutes(2);
  /** As often as the planner looks again at a StatefulSet that lacks pods (JobPlanner.MISSING_PODS_RETRY). */
  static final Duration EVERY = JobPlanner.MISSING_PODS_RETRY;
  /** Of two Events, the one seen last. */
  private static final Comparator<Event> LATEST = Comparator.comparing(e -> lastSeen(e).orElse(Instant.EPOCH));

  /** What the last list of a namespace found: the latest FailedCreate Event of each StatefulSet, by uid. */
  private record Listed(Instant at, Map<String, Event> latest) {}

  private final Map<String, Listed> listed = new ConcurrentHashMap<>();
  private final Map<String, Object> listing = new ConcurrentHashMap<>();

  Optional<Refusal> read(JobContext job, JobObjects objects, KubernetesClient client, Instant now) {
    Optional<StatefulSet> workers = objects.workers(job.attempt());
    if (workers.isEmpty() || job.job().getStatus() != null && job.job().getStatus().getPhase() != null
        && job.job().getStatus().getPhase().isTerminal()) {
      return Optional.empty();
    }
    StatefulSet set = workers.get();
    Integer wanted = set.getSpec() == null ? null : set.getSpec().getReplicas();
    String uid = set.getMetadata().getUid();
    if (uid == null || wanted == null || objects.workerPods(job.attempt()).size() >= wanted
        || now.isBefore(created(set).plus(EVERY))) {
      return Optional.empty();
    }
    return Optional.ofNullable(of(set.getMetadata().getNamespace(), client, now).latest().get(uid))
        .filter(e -> lastSeen(e).map(t -> t.isAfter(now.minus(RECENT))).orElse(false))
        .flatMap(Refusal::ofEvent);
  }

  /** The namespace's last list if it is recent, else a new one; one thread lists, the others take its result. */
  private Listed of(String namespace, KubernetesClient client, Instant now) {
    Listed known = listed.get(namespace);
    if (known != null && now.isBefore(known.at().plus(EVERY))) {
      return known;
    }
    synchronized (listing.computeIfAbsent(namespace, k -> new Object())) {
      known = listed.get(namespace);
      if (known != null && now.isBefore(known.at().plus(EVERY))) {
        return known;
      }
      Listed fresh = new Listed(now, client.v1().events().inNamespace(namespace).withField("reason", "FailedCreate")
          .withField("involvedObject.kind", "StatefulSet").list().getItems().stream()
          .filter(e -> e.getInvolvedObject() != null && e.getInvolvedObject().getUid() != null)
          .collect(Collectors.toMap(e -> e.getInvolvedObject().getUid(), Function.identity(),
              (a, b) -> LATEST.compare(a, b) >= 0 ? a : b)));
      listed.put(namespace, fresh);
      return fresh;
    }
  }

  /** When the API server made the StatefulSet; long ago when it does not say. */
  private static Instant created(StatefulSet set) {
    try {
      return Instant.parse(set.getMetadata().getCreationTimestamp());
    } catch (RuntimeException unknown) {
      return Instant.EPOCH;
    }
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
