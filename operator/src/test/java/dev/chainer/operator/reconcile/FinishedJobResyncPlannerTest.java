package dev.chainer.operator.reconcile;

import static dev.chainer.operator.reconcile.PlannerFixtures.T0;
import static dev.chainer.operator.reconcile.PlannerFixtures.plan;
import static dev.chainer.operator.reconcile.PlannerFixtures.running;
import static dev.chainer.operator.reconcile.PlannerFixtures.started;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.testing.Observations;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A finished job with nothing left of it to watch is not looked at every resync period: only an event can change
 * it. One whose pods are still going, or that waits for its TTL, is looked at when that is due.
 */
class FinishedJobResyncPlannerTest {
  private static ChainerJob finished(String extra) {
    ChainerJob job = started(mpi(extra), T0);
    Plan failed = plan(job, running(job, true, Optional.of("Running")), null, T0.plusSeconds(61));
    assertEquals(JobPhase.Failed, failed.status().getPhase());
    job.setStatus(failed.status());
    return job;
  }

  @Test
  void aFinishedJobWhosePodsAreGoneWaitsForEventsNotResyncs() {
    ChainerJob job = finished("maxRunDurationSeconds: 60");
    Plan idle = plan(job, Observations.nothing(), null, T0.plusSeconds(90));
    assertEquals(Optional.of(JobPlanner.FINISHED_RESYNC), idle.requeueAfter());
    assertTrue(idle.deletions().isEmpty());
  }

  @Test
  void aFinishedJobWhosePodsStillGoIsResyncedAsUsual() {
    ChainerJob job = finished("maxRunDurationSeconds: 60");
    Plan going = plan(job, running(job, true, Optional.of("Running")), null, T0.plusSeconds(62));
    assertTrue(going.requeueAfter().filter(d -> d.equals(JobPlanner.FINISHED_RESYNC)).isEmpty(),
        "pods left to remove: " + going.requeueAfter());
  }

  @Test
  void aFinishedJobWithATtlIsLookedAtWhenItExpires() {
    ChainerJob job = finished("maxRunDurationSeconds: 60\nrunPolicy:\n  ttlSecondsAfterFinished: 100");
    Plan waiting = plan(job, Observations.nothing(), null, T0.plusSeconds(91));
    assertEquals(Optional.of(Duration.ofSeconds(70)), waiting.requeueAfter(), "61 + 100 - 91");
  }
}
