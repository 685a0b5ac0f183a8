package dev.chainer.operator.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this operator last did something to each object, by uid (wrote a job's status, deleted a pod), remembered for
 * {@code window}: a time older than that is not told, and is dropped (a scan of them all, so at most every 10 s).
 * Lost in a restart, which costs at most one write or deletion sooner than the window would have allowed.
 */
final class RecentTimes {
  private static final Duration PRUNE_EVERY = Duration.ofSeconds(10);
  private final Duration window;
  private final Map<String, Instant> times = new ConcurrentHashMap<>();
  private volatile Instant pruned = Instant.EPOCH;

  RecentTimes(Duration window) {
    this.window = window;
  }

  /** When it last happened to {@code uid}, if within the window. */
  Optional<Instant> last(String uid, Instant now) {
    return Optional.ofNullable(uid == null ? null : times.get(uid)).filter(t -> now.isBefore(t.plus(window)));
  }

  void happened(String uid, Instant now) {
    if (uid == null) {
      return;
    }
    times.put(uid, now);
    if (now.isAfter(pruned.plus(PRUNE_EVERY))) {
      pruned = now;
      times.values().removeIf(t -> !now.isBefore(t.plus(window)));
    }
  }

  int size() {
    return times.size();
  }
}
