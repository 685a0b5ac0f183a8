package dev.chainer.operator.reconcile;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When this operator last wrote each job's status, for {@link WaitingStatus}: only the last {@link WaitingStatus#HOLD}
 * matters, so older entries are dropped (at most every 10 s) and the map holds the jobs written lately. Lost in a
 * restart, which only means the next change is written at once.
 */
final class StatusWrites {
  private static final Duration PRUNE_EVERY = Duration.ofSeconds(10);
  private final Map<String, Instant> written = new ConcurrentHashMap<>();
  private volatile Instant pruned = Instant.EPOCH;

  Optional<Instant> last(String uid) {
    return uid == null ? Optional.empty() : Optional.ofNullable(written.get(uid));
  }

  void wrote(String uid, Instant now) {
    if (uid == null) {
      return;
    }
    written.put(uid, now);
    if (now.isAfter(pruned.plus(PRUNE_EVERY))) {
      pruned = now;
      written.values().removeIf(t -> !now.isBefore(t.plus(WaitingStatus.HOLD)));
    }
  }

  int size() {
    return written.size();
  }
}
