package dev.chainer.operator.reconcile;

import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The last state of the operator's pods that left the pod informer's cache lately: what the cluster said of a pod
 * before it went. A pod can be gone before a reconcile reads it: the pod garbage collector marks the pod of a lost
 * node Failed with DisruptionTarget=True (DeletionByPodGC) and force-deletes it at once (gc_controller.go), the
 * StatefulSet controller deletes a failed worker and recreates it. The watch delivered that last state before the
 * deletion; without it the reconcile sees only an absence and calls a disruption a loss that counts against
 * backoffLimit.
 *
 * <p>Recorded the moment the informer's store drops the pod (a watch's DELETED, or a relist without it), so there
 * is no moment when a reconcile finds the pod neither in the cache nor here. Kept per pod uid for {@link #KEEP},
 * at most {@link #MAX} pods (the oldest go first): long enough for the job's next reconcile, small with any number
 * of jobs. Lost on a restart, which then sees only an absence, as before.
 */
final class VanishedPods {
  static final Duration KEEP = Duration.ofMinutes(5);
  static final int MAX = 2000;

  private record Vanished(Pod lastState, Instant at, String job) {}

  private final Clock clock;
  private final int max;
  /** Every pod remembered, oldest first. */
  private final Map<String, Vanished> byUid = new LinkedHashMap<>();
  /**
   * The same pods by job (namespace/name), each job's oldest first: a reconcile asks for one job's, and scanning all
   * of them for it cost the operator half its CPU at 1,000 jobs (2,000 pods scanned per reconcile, under one lock).
   */
  private final Map<String, Map<String, Pod>> byJob = new java.util.HashMap<>();

  VanishedPods(Clock clock) {
    this(clock, MAX);
  }

  VanishedPods(Clock clock, int max) {
    this.clock = clock;
    this.max = max;
  }

  /** A pod the cache dropped, as it last held it. */
  synchronized void vanished(Pod lastState) {
    if (lastState == null || lastState.getMetadata() == null || lastState.getMetadata().getUid() == null) {
      return;
    }
    String job = lastState.getMetadata().getLabels() == null ? null
        : lastState.getMetadata().getLabels().get(JobLabels.JOB_NAME);
    if (job == null) {
      return; // not a pod of a job: never asked for
    }
    Instant now = clock.instant();
    String uid = lastState.getMetadata().getUid();
    drop(uid);
    String key = key(lastState.getMetadata().getNamespace(), job);
    byUid.put(uid, new Vanished(lastState, now, key));
    byJob.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(uid, lastState);
    forget(now);
  }

  /** The last states of the job's pods that vanished lately, oldest first. */
  synchronized List<Pod> of(String namespace, String job) {
    forget(clock.instant());
    Map<String, Pod> pods = byJob.get(key(namespace, job));
    return pods == null ? List.of() : List.copyOf(pods.values());
  }

  private static String key(String namespace, String job) {
    return namespace + "/" + job;
  }

  private void drop(String uid) {
    Vanished gone = byUid.remove(uid);
    if (gone != null) {
      unindex(gone.job(), uid);
    }
  }

  private void unindex(String job, String uid) {
    Map<String, Pod> pods = byJob.get(job);
    pods.remove(uid);
    if (pods.isEmpty()) {
      byJob.remove(job);
    }
  }

  private void forget(Instant now) {
    Iterator<Map.Entry<String, Vanished>> oldest = byUid.entrySet().iterator();
    while (oldest.hasNext()) {
      Map.Entry<String, Vanished> v = oldest.next();
      if (byUid.size() <= max && !v.getValue().at().isBefore(now.minus(KEEP))) {
        return; // in insertion order: every later one is younger
      }
      oldest.remove();
      unindex(v.getValue().job(), v.getKey());
    }
  }

  /** The informer's store of pods, telling this memory of each pod it drops. */
  ItemStore<Pod> recording(ItemStore<Pod> store) {
    return new ItemStore<>() {
      @Override
      public Pod remove(String key) {
        Pod removed = store.remove(key);
        vanished(removed);
        return removed;
      }

      @Override
      public String getKey(Pod pod) {
        return store.getKey(pod);
      }

      @Override
      public Pod put(String key, Pod pod) {
        return store.put(key, pod);
      }

      @Override
      public Stream<String> keySet() {
        return store.keySet();
      }

      @Override
      public Stream<Pod> values() {
        return store.values();
      }

      @Override
      public int size() {
        return store.size();
      }

      @Override
      public Pod get(String key) {
        return store.get(key);
      }

      @Override
      public boolean isFullState() {
        return store.isFullState();
      }
    };
  }
}
