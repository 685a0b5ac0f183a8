package dev.chainer.operator.reconcile;

import static dev.chainer.operator.reconcile.PlannerFixtures.T0;
import static dev.chainer.operator.reconcile.PlannerFixtures.plan;
import static dev.chainer.operator.reconcile.PlannerFixtures.running;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.status.JobConditions;
import dev.chainer.operator.testing.Observations;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An operator restarted with a configuration under which a job's spec is no longer valid. */
class ConfigurationChangePlannerTest {
  /** The operator's configuration without framework version 7.0.0, which the test jobs use. */
  private static OperatorConfig without700() {
    OperatorConfig config = OperatorConfig.defaults();
    config.setFrameworkVersions(Map.of("5.1.0", config.getFrameworkVersions().get("5.1.0")));
    return config;
  }

  /** The job as the operator last wrote it: accepted at generation 1. */
  private static ChainerJob with(ChainerJobStatus status) {
    ChainerJob job = mpi("");
    status.setObservedGeneration(1L);
    job.setStatus(status);
    return job;
  }

  @Test
  void aFinishedJobIsNeverValidatedAgainNorRewritten() {
    for (JobPhase phase : new JobPhase[] {JobPhase.Completed, JobPhase.Failed, JobPhase.Canceled}) {
      ChainerJob done = mpi("");
      Plan first = plan(done, Observations.nothing(), null, T0);
      ChainerJobStatus finished = first.status();
      finished.setPhase(phase);
      finished.setReason(phase == JobPhase.Completed ? "Succeeded" : "LauncherFailed");
      finished.setCompletionTime(T0.toString());
      finished.setConditions(JobConditions.of(finished, true, false, 1, null, T0));
      done.setStatus(finished);
      Plan p = plan(done, Observations.nothing(), null, T0.plusSeconds(60), without700());
      assertEquals(finished, p.status(), phase + " stays as it was");
      assertTrue(p.events().isEmpty(), phase + ": " + p.events());
    }
  }

  @Test
  void aWaitingJobWaitsStalledAndCarriesOnWhenTheConfigurationComesBack() {
    ChainerJobStatus queued = new ChainerJobStatus();
    queued.setPhase(JobPhase.Queued);
    queued.setStartTime(T0.toString());
    ChainerJob job = with(queued);
    Plan p = plan(job, Observations.nothing(), null, T0.plusSeconds(1), without700());
    assertEquals(JobPhase.Queued, p.status().getPhase());
    assertEquals("RefusedByConfiguration", p.status().getReason());
    assertTrue(p.status().getMessage().contains("spec.frameworkVersion"), p.status().getMessage());
    assertTrue(p.status().getConditions().stream().anyMatch(c -> c.getType().equals("Stalled")
        && c.getStatus().equals("True")));
    assertFalse(p.createWorkers() || p.createInfrastructure(), "nothing is made for a job that cannot run");
    assertEquals("RefusedByConfiguration", p.events().get(0).reason());

    job.setStatus(p.status());
    Plan back = plan(job, Observations.nothing(), null, T0.plusSeconds(2));
    assertTrue(back.createWorkers(), "the configuration runs it again");
    assertFalse("RefusedByConfiguration".equals(back.status().getReason()));
  }

  @Test
  void anEditThatMakesTheSpecInvalidStillFailsIt() {
    ChainerJobStatus queued = new ChainerJobStatus();
    queued.setPhase(JobPhase.Queued);
    queued.setObservedGeneration(0L); // the status describes an older spec
    ChainerJob job = mpi("shmSize: lots");
    job.setStatus(queued);
    Plan p = plan(job, running(job, false, Optional.empty()), null, T0);
    assertEquals(JobPhase.Failed, p.status().getPhase());
    assertEquals("InvalidSpec", p.status().getReason());
  }
}
