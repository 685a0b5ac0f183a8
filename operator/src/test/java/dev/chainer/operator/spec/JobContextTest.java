package dev.chainer.operator.spec;

import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.CleanPodPolicy;
import dev.chainer.operator.api.RunPolicy;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.testing.Rendered;
import dev.chainer.operator.validation.SpecValidator;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** One job as one reconcile sees it: names, attempt and effective spec derived once and shared. */
class JobContextTest {
  private static final OperatorConfig CONFIG = OperatorConfig.defaults();

  @Test
  void namesAndAttemptComeFromTheJobAndItsStatus() {
    ChainerJob job = mpi("");
    ChainerJobStatus status = new ChainerJobStatus();
    status.setAttempt(2);
    job.setStatus(status);
    JobContext context = JobContext.of(job, CONFIG);
    assertEquals(2, context.attempt());
    assertEquals(job.getMetadata().getName() + "-launcher-2", context.names().launcherPod(context.attempt()));
    assertEquals(3, context.atAttempt(3).attempt());
  }

  @Test
  void theEffectiveSpecIsComputedOnceAndSharedByTheValidatorAndTheRenderer() {
    JobContext context = JobContext.of(mpi(""), CONFIG);
    EffectiveSpec effective = context.effective();
    assertSame(effective, context.effective());
    assertSame(effective, context.atAttempt(1).effective(), "another attempt, the same spec");
    assertFalse(SpecValidator.hasErrors(SpecValidator.validate(context)));
    assertSame(effective, context.effective());
    assertEquals(Rendered.of(context.job()).objects().launcher().getMetadata().getName(),
        JobRenderer.render(context, Rendered.KEYS, "s3cret").launcher().getMetadata().getName());
    ChainerJob sameSpec = new ChainerJob();
    sameSpec.setMetadata(context.job().getMetadata());
    sameSpec.setSpec(context.job().getSpec());
    assertSame(effective, context.withJob(sameSpec).effective(), "the same spec object");
    ChainerJob otherSpec = new ChainerJob();
    otherSpec.setMetadata(context.job().getMetadata());
    otherSpec.setSpec(new ChainerJobSpec());
    assertNotSame(effective, context.withJob(otherSpec).effective(), "a run's own spec is read again");
  }

  @Test
  void runPolicyDefaultsLiveWithTheOtherDefaults() {
    EffectiveRunPolicy none = JobContext.of(mpi(""), CONFIG).effective().runPolicy();
    assertEquals(new EffectiveRunPolicy(0, 10, CleanPodPolicy.Running, Optional.empty(), false, false,
        none.schedulingPolicy()), none);
    RunPolicy set = new RunPolicy();
    set.setBackoffLimit(3);
    set.setCleanPodPolicy(CleanPodPolicy.None);
    set.setTtlSecondsAfterFinished(60L);
    set.setSuspend(true);
    EffectiveRunPolicy given = EffectiveRunPolicy.of(set);
    assertEquals(3, given.backoffLimit());
    assertEquals(CleanPodPolicy.None, given.cleanPodPolicy());
    assertEquals(Optional.of(60L), given.ttlSecondsAfterFinished());
    assertEquals(true, given.suspend());
    assertEquals(false, given.cancel());
  }
}
