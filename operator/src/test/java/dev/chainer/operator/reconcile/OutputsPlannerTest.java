package dev.chainer.operator.reconcile;

import static dev.chainer.operator.reconcile.PlannerFixtures.T0;
import static dev.chainer.operator.reconcile.PlannerFixtures.plan;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.status.JobConditions;
import dev.chainer.operator.testing.Observations;
import dev.chainer.operator.testing.TestJobs;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A job's outputs store before its pods start: created, or a stall that names the claim and the rule. */
class OutputsPlannerTest {
  private static final String USER_CLAIM = "outputs:\n  dataStore:\n    persistentVolumeClaim: results\n";

  private static PersistentVolumeClaim claim(String name, String phase, String... modes) {
    return new PersistentVolumeClaimBuilder().withNewMetadata().withName(name).withNamespace("team-a").endMetadata()
        .withNewSpec().withAccessModes(modes).endSpec().withNewStatus().withPhase(phase).endStatus().build();
  }

  private static Condition stalled(Plan p) {
    return p.status().getConditions().stream().filter(c -> c.getType().equals(JobConditions.STALLED)).findFirst()
        .orElseThrow();
  }

  @Test
  void aMissingClaimStallsTheJobBeforeAnyPodIsMade() {
    Plan p = plan(mpi(USER_CLAIM), Observations.nothing(), Optional.empty(), T0);
    assertEquals(JobPhase.Queued, p.status().getPhase());
    assertEquals("OutputsClaimMissing", p.status().getReason());
    assertTrue(p.status().getMessage().contains("PersistentVolumeClaim results"), p.status().getMessage());
    assertEquals("True", stalled(p).getStatus());
    assertEquals("OutputsClaimMissing", stalled(p).getReason());
    assertFalse(p.createWorkers());
    assertTrue(p.events().stream().anyMatch(e -> e.type().equals("Warning") && e.reason().equals("OutputsClaimMissing")));
    assertTrue(p.requeueAfter().isPresent(), "claims are not watched: the job looks again");
  }

  @Test
  void aReadWriteOnceClaimCannotServeTwoWorkers() {
    Plan p = plan(mpi(USER_CLAIM), Observations.nothing(), Optional.of(claim("results", "Bound", "ReadWriteOnce")),
        T0);
    assertEquals("OutputsClaimNotShared", p.status().getReason());
    assertTrue(p.status().getMessage().contains("ReadWriteMany"), p.status().getMessage());
    assertFalse(p.createWorkers());
    Plan shared = plan(mpi(USER_CLAIM), Observations.nothing(), Optional.of(claim("results", "Bound",
        "ReadWriteMany")), T0);
    assertTrue(shared.createWorkers());
    assertEquals("False", stalled(shared).getStatus());
    Plan one = plan(TestJobs.minimal(USER_CLAIM), Observations.nothing(), Optional.of(claim("results", "Bound",
        "ReadWriteOnce")), T0);
    assertTrue(one.createLauncher(), "one pod: ReadWriteOnce serves");
  }

  @Test
  void aClaimThatStaysUnboundIsSaidOnceTheWaitIsOverWhileThePodsWaitForIt() {
    ChainerJob job = mpi(USER_CLAIM);
    Plan early = plan(job, Observations.nothing(), Optional.of(claim("results", "Pending", "ReadWriteMany")), T0);
    assertTrue(early.createWorkers(), "a class that binds on first use needs the pods");
    assertEquals(JobPhase.Queued, early.status().getPhase());
    job.setStatus(early.status());
    Plan late = plan(job, Observations.nothing(), Optional.of(claim("results", "Pending", "ReadWriteMany")),
        T0.plusSeconds(301));
    assertEquals("OutputsClaimNotBound", late.status().getReason());
    assertTrue(late.status().getMessage().contains("still Pending after 300s"), late.status().getMessage());
  }

  @Test
  void aClaimTemplateIsCreatedWithThePodsAndAForeignClaimOfItsNameStallsTheJob() {
    String template = "outputs:\n  claimTemplate: {}\n";
    Plan first = plan(mpi(template), Observations.nothing(), Optional.empty(), T0);
    assertTrue(first.createOutputsClaim());
    assertTrue(first.createWorkers());
    Plan foreign = plan(mpi(template), Observations.nothing(), Optional.of(claim("train-outputs", "Bound",
        "ReadWriteMany")), T0);
    assertEquals("OutputsClaimConflict", foreign.status().getReason());
    assertFalse(foreign.createOutputsClaim());
  }

  @Test
  void theStatusSaysWhereTheResultsAreAndAJobWithoutOutputsIsToldOnce() {
    Plan p = plan(mpi(USER_CLAIM), Observations.nothing(), Optional.of(claim("results", "Bound", "ReadWriteMany")),
        T0);
    assertEquals("results", p.status().getOutputs().getPersistentVolumeClaim());
    assertEquals("team-a/train", p.status().getOutputs().getPath());
    assertTrue(p.status().getOutputs().getMessage().contains("mount claim results (subPath team-a/train)"));
    Plan none = plan(mpi(""), Observations.nothing(), null, T0);
    assertTrue(none.status().getOutputs().getMessage().startsWith("not kept (no spec.outputs)"),
        none.status().getOutputs().getMessage());
    assertNull(none.status().getOutputs().getPersistentVolumeClaim());
    assertEquals(List.of(), none.events(), "told on the status, which is written anyway: no Event of its own");
  }
}
