package dev.chainer.operator.runtime;

import java.util.List;

/**
 * What the operator knows of its own health, and what its probes answer. Liveness fails only for what a restart
 * mends: an informer that no longer lists or watches (its cache goes stale, so jobs are reconciled on old facts or
 * not at all), or a leader Lease this replica held and lost. Readiness also waits until every cache has synced.
 *
 * @param started whether the operator has started: every informer listed and its cache synced
 * @param unhealthy the event sources (informers, timers) that are not running, not synced or not watching
 * @param lease where this replica stands with the leader Lease
 */
public record OperatorHealth(boolean started, List<String> unhealthy, Lease lease) {
  public OperatorHealth {
    unhealthy = List.copyOf(unhealthy);
  }

  /** Where a replica stands with the leader Lease. */
  public enum Lease {
    /** Leader election is off: one replica, run by hand or in tests. */
    NOT_NEEDED,
    /** A standby replica, its caches synced, waiting to lead. */
    WAITING,
    HELD,
    /** Held once and lost: another replica may be reconciling. */
    LOST
  }

  public boolean live() {
    return lease != Lease.LOST && unhealthy.isEmpty();
  }

  public boolean ready() {
    return started && live();
  }

  /** The probe's body: "ok", or every reason it is not. */
  public String describe(boolean readiness) {
    StringBuilder out = new StringBuilder();
    if (readiness && !started) {
      out.append("caches not synced yet\n");
    }
    if (lease == Lease.LOST) {
      out.append("lost the leader Lease\n");
    }
    unhealthy.forEach(source -> out.append("unhealthy: ").append(source).append('\n'));
    return out.length() == 0 ? "ok\n" : out.toString();
  }
}
