package dev.chainer.operator.runtime;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.status.JobTransitions;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** chainer_jobs{namespace,phase}: every job the operator holds, once, in its phase; a deleted one in none. */
class JobPhaseGaugeTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

  private static void record(JobMetrics metrics, String uid, JobPhase phase) {
    ChainerJobStatus status = new ChainerJobStatus();
    status.setPhase(phase);
    metrics.record("team-a", uid, JobTransitions.between(status, status, NOW), phase);
  }

  @Test
  void eachJobCountsOnceInItsLatestPhase() {
    JobMetrics metrics = new JobMetrics();
    record(metrics, "u1", JobPhase.Queued);
    record(metrics, "u1", JobPhase.Running);
    record(metrics, "u2", JobPhase.Running);
    assertTrue(metrics.prometheus().contains("chainer_jobs{namespace=\"team-a\",phase=\"Running\"} 2\n"));
    assertFalse(metrics.prometheus().contains("phase=\"Queued\""));
  }

  @Test
  void aReconcileThatEndsAfterItsJobWasDeletedDoesNotBringItBack() {
    JobMetrics metrics = new JobMetrics();
    record(metrics, "u1", JobPhase.Running);
    metrics.forget("u1");
    record(metrics, "u1", JobPhase.Completed); // the reconcile that was running when the job went
    assertFalse(metrics.prometheus().contains("chainer_jobs{"), metrics.prometheus());
    record(metrics, "u2", JobPhase.Completed); // a new job of the same name has another uid
    assertTrue(metrics.prometheus().contains("chainer_jobs{namespace=\"team-a\",phase=\"Completed\"} 1\n"));
  }
}
