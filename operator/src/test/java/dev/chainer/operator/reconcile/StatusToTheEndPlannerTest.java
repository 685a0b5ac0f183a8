package dev.chainer.operator.reconcile;

import static dev.chainer.operator.reconcile.PlannerFixtures.T0;
import static dev.chainer.operator.reconcile.PlannerFixtures.plan;
import static dev.chainer.operator.reconcile.PlannerFixtures.running;
import static dev.chainer.operator.reconcile.PlannerFixtures.started;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.testing.Observations;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Once a job has ended, its status keeps following its pods as they go: no ready count of pods long gone. */
class StatusToTheEndPlannerTest {
  @Test
  void aFailedJobsReadyCountsAndLauncherFollowThePodsRemoval() {
    ChainerJob job = started(mpi("maxRunDurationSeconds: 60"), T0);
    // The deadline passes while everything runs: the job fails and its pods are asked to go.
    Plan failed = plan(job, running(job, true, Optional.of("Running")), null, T0.plusSeconds(61));
    assertEquals(JobPhase.Failed, failed.status().getPhase());
    job.setStatus(failed.status());
    // Later the pods are gone.
    Plan after = plan(job, Observations.nothing(), null, T0.plusSeconds(90));
    ChainerJobStatus status = after.status();
    assertEquals(JobPhase.Failed, status.getPhase(), "terminal stays terminal");
    assertEquals("DeadlineExceeded", status.getReason());
    assertEquals("0/2", status.getReady());
    assertEquals(0, status.getReadyWorkers());
    assertEquals("False", status.getConditions().stream().filter(c -> c.getType().equals("WorkersReady"))
        .findFirst().orElseThrow().getStatus());
    assertEquals("Removed", status.getLauncher().getState(), "not Running long after it was removed");
    job.setStatus(status);
    assertEquals(status, plan(job, Observations.nothing(), null, T0.plusSeconds(120)).status(),
        "and nothing more to write afterwards");
  }
}
