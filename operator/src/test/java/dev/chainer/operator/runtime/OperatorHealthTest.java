package dev.chainer.operator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.runtime.OperatorHealth.Lease;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the probes answer for each state the operator can be in. */
class OperatorHealthTest {
  @Test
  void startingIsAliveButNotReady() {
    OperatorHealth starting = new OperatorHealth(false, List.of(), Lease.NOT_NEEDED);
    assertTrue(starting.live());
    assertFalse(starting.ready());
    assertEquals("caches not synced yet\n", starting.describe(true));
    assertEquals("ok\n", starting.describe(false));
  }

  @Test
  void startedWithHealthyInformersIsBoth() {
    for (Lease lease : List.of(Lease.NOT_NEEDED, Lease.WAITING, Lease.HELD)) {
      OperatorHealth h = new OperatorHealth(true, List.of(), lease);
      assertTrue(h.live() && h.ready(), lease.name());
      assertEquals("ok\n", h.describe(true));
    }
  }

  @Test
  void anUnhealthyInformerFailsBothAndIsNamed() {
    OperatorHealth h = new OperatorHealth(true, List.of("chainerjob/pods"), Lease.HELD);
    assertFalse(h.live());
    assertFalse(h.ready());
    assertEquals("unhealthy: chainerjob/pods\n", h.describe(false));
  }

  @Test
  void aLostLeaseFailsBoth() {
    OperatorHealth h = new OperatorHealth(true, List.of(), Lease.LOST);
    assertFalse(h.live());
    assertFalse(h.ready());
    assertEquals("lost the leader Lease\n", h.describe(false));
  }

  @Test
  void theTrackerFollowsTheElectionAndStillCallsTheConfiguredCallbacks() {
    List<String> called = new ArrayList<>();
    LeaseTracker tracker = new LeaseTracker(true);
    var election = tracker.tracking(LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration("lock")
        .withLeaseNamespace("ops").withLeaderCallbacks(new LeaderCallbacks(() -> called.add("start"),
            () -> called.add("stop"), leader -> called.add("leader " + leader))).build());
    assertEquals(Lease.WAITING, tracker.lease());
    assertEquals("lock", election.getLeaseName());
    assertEquals("ops", election.getLeaseNamespace().orElseThrow());
    LeaderCallbacks callbacks = election.getLeaderCallbacks().orElseThrow();
    callbacks.onStartLeading();
    assertEquals(Lease.HELD, tracker.lease());
    callbacks.onNewLeader("me");
    callbacks.onStopLeading();
    assertEquals(Lease.LOST, tracker.lease());
    assertEquals(List.of("start", "leader me", "stop"), called);
    assertEquals(Lease.NOT_NEEDED, new LeaseTracker(false).lease());
  }
}
