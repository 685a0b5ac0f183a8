package dev.chainer.operator.runtime;

import dev.chainer.operator.runtime.OperatorHealth.Lease;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/** Follows this replica's leader Lease through the election's callbacks, for the liveness probe. */
public final class LeaseTracker {
  private final AtomicReference<Lease> lease;

  public LeaseTracker(boolean electing) {
    this.lease = new AtomicReference<>(electing ? Lease.WAITING : Lease.NOT_NEEDED);
  }

  public Lease lease() {
    return lease.get();
  }

  /** The same election, with callbacks that record the Lease before calling the configured ones. */
  public LeaderElectionConfiguration tracking(LeaderElectionConfiguration election) {
    Optional<LeaderCallbacks> given = election.getLeaderCallbacks();
    LeaderCallbacks callbacks = new LeaderCallbacks(() -> {
      lease.set(Lease.HELD);
      given.ifPresent(LeaderCallbacks::onStartLeading);
    }, () -> {
      lease.set(Lease.LOST);
      given.ifPresent(LeaderCallbacks::onStopLeading);
    }, leader -> given.ifPresent(c -> c.onNewLeader(leader)));
    return new LeaderElectionConfiguration(election.getLeaseName(), election.getLeaseNamespace().orElse(null),
        election.getLeaseDuration(), election.getRenewDeadline(), election.getRetryPeriod(),
        election.getIdentity().orElse(null), callbacks, election.isExitOnStopLeading());
  }
}
