package dev.chainer.operator.reconcile;

import static dev.chainer.operator.reconcile.PlannerFixtures.T0;
import static dev.chainer.operator.reconcile.PlannerFixtures.plan;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.NamespacePolicy;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.testing.Observations;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A namespace policy narrowed after a job was accepted: it waits, not failed for a change its owner did not make. */
class NamespacePolicyPlannerTest {
  @Test
  void anAcceptedJobThatANarrowedPolicyNoLongerAllowsWaitsRefusedByConfiguration() {
    ChainerJob job = mpi("kubernetes:\n  worker:\n    priorityClassName: urgent\n");
    ChainerJobStatus queued = new ChainerJobStatus();
    queued.setPhase(JobPhase.Queued);
    queued.setStartTime(T0.toString());
    queued.setObservedGeneration(1L);
    job.setStatus(queued);
    OperatorConfig narrowed = OperatorConfig.defaults();
    NamespacePolicy teamA = new NamespacePolicy();
    teamA.setPriorityClasses(List.of("batch-low"));
    narrowed.getNamespacePolicies().getNamespaces().put("team-a", teamA);

    Plan p = plan(job, Observations.nothing(), null, T0.plusSeconds(1), narrowed);
    assertEquals(JobPhase.Queued, p.status().getPhase());
    assertEquals("RefusedByConfiguration", p.status().getReason());
    assertTrue(p.status().getMessage().contains("spec.kubernetes.worker.priorityClassName: 'urgent' is not a "
        + "priority class that jobs in namespace team-a may use"), p.status().getMessage());
    assertFalse(p.createWorkers() || p.createInfrastructure(), "nothing is made for it");

    ChainerJob fresh = mpi("kubernetes:\n  worker:\n    priorityClassName: urgent\n");
    Plan refused = plan(fresh, Observations.nothing(), null, T0, narrowed);
    assertEquals(JobPhase.Failed, refused.status().getPhase(), "a new job asking for it fails at the door");
    assertEquals("InvalidSpec", refused.status().getReason());
  }
}
