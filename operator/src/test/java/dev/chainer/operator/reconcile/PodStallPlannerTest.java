package dev.chainer.operator.reconcile;

import static dev.chainer.operator.reconcile.PlannerFixtures.CONFIG;
import static dev.chainer.operator.reconcile.PlannerFixtures.T0;
import static dev.chainer.operator.reconcile.PlannerFixtures.plan;
import static dev.chainer.operator.reconcile.PlannerFixtures.running;
import static dev.chainer.operator.reconcile.PlannerFixtures.workers;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.status.Observed;
import dev.chainer.operator.testing.Rendered;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** A pod stuck before it runs: the job says why, in the pod's words, and gives up on what never clears. */
class PodStallPlannerTest {
  /** The job's workers, scheduled but not Ready, as {@code change} leaves them. */
  private static Observed workersThat(ChainerJob job, UnaryOperator<PodBuilder> change) {
    DesiredObjects objects = JobRenderer.render(job, CONFIG, Rendered.KEYS, null, 0);
    List<Pod> pods = workers(objects, false).stream().map(p -> change.apply(new PodBuilder(p)).build()).toList();
    Observed world = running(job, false, Optional.empty());
    return new Observed(world.statefulSets(), pods, world.services(), world.configMaps(), world.secrets(), List.of());
  }

  private static UnaryOperator<PodBuilder> waiting(String reason, String message) {
    return b -> b.editStatus().withPhase("Pending").addNewContainerStatus().withName("worker").withNewState()
        .withNewWaiting().withReason(reason).withMessage(message).endWaiting().endState().endContainerStatus()
        .endStatus();
  }

  private static Condition stalled(Plan p) {
    return p.status().getConditions().stream().filter(c -> c.getType().equals("Stalled")).findFirst().orElseThrow();
  }

  @Test
  void anImageThatCannotBePulledIsTheReasonWithThePodsWordsAndAWarning() {
    ChainerJob job = mpi("");
    Plan p = plan(job, workersThat(job, waiting("ErrImagePull", "manifest unknown")), null, T0);
    assertEquals(JobPhase.Preparing, p.status().getPhase(), "not Starting: no worker is Ready");
    assertEquals("ImagePullBackOff", p.status().getReason());
    assertEquals("pod train-worker-0: container worker: ErrImagePull: manifest unknown", p.status().getMessage());
    assertEquals("True", stalled(p).getStatus());
    assertEquals("ImagePullBackOff", stalled(p).getReason());
    assertEquals(List.of("ImagePullBackOff"), p.events().stream().filter(e -> e.type().equals("Warning"))
        .map(JobEvent::reason).toList());
    assertEquals(Optional.of(Duration.ofSeconds(600)), p.requeueAfter(), "a look when the stall timeout ends");

    // The kubelet alternates ErrImagePull and ImagePullBackOff: one reason, one Event.
    job.setStatus(p.status());
    Plan again = plan(job, workersThat(job, waiting("ImagePullBackOff", "Back-off pulling image")), null,
        T0.plusSeconds(20));
    assertEquals("ImagePullBackOff", again.status().getReason());
    assertTrue(again.events().isEmpty(), again.events().toString());

    job.setStatus(again.status());
    Plan late = plan(job, workersThat(job, waiting("ImagePullBackOff", "Back-off pulling image")), null,
        T0.plusSeconds(601));
    assertEquals(JobPhase.Failed, late.status().getPhase());
    assertEquals("ImagePullBackOff", late.status().getReason());
    assertTrue(late.status().getMessage().endsWith("stuck for more than 600s (stallTimeoutSeconds)"),
        late.status().getMessage());
    assertTrue(late.deletions().stream().anyMatch(d -> d.kind().equals("StatefulSet")), "its pods are removed");
  }

  @Test
  void anUnschedulablePodSaysWhyAndWaitsUnlessTheOperatorSetsALimit() {
    ChainerJob job = mpi("");
    UnaryOperator<PodBuilder> unschedulable = b -> b.withNewStatus().withPhase("Pending").addNewCondition()
        .withType("PodScheduled").withStatus("False").withReason("Unschedulable")
        .withMessage("0/3 nodes are available: 3 Insufficient nvidia.com/gpu.").endCondition().endStatus();
    Plan p = plan(job, workersThat(job, unschedulable), null, T0);
    assertEquals(JobPhase.Queued, p.status().getPhase());
    assertEquals("Unschedulable", p.status().getReason());
    assertTrue(p.status().getMessage().endsWith("Unschedulable: 0/3 nodes are available: 3 Insufficient "
        + "nvidia.com/gpu."), p.status().getMessage());
    job.setStatus(p.status());
    assertEquals(JobPhase.Queued, plan(job, workersThat(job, unschedulable), null, T0.plusSeconds(86400))
        .status().getPhase(), "by default a job waits for capacity as long as it takes");

    OperatorConfig limited = OperatorConfig.defaults();
    limited.setUnschedulableTimeoutSeconds(60);
    Plan late = plan(job, workersThat(job, unschedulable), null, T0.plusSeconds(61), limited);
    assertEquals(JobPhase.Failed, late.status().getPhase());
    assertEquals("Unschedulable", late.status().getReason());
  }

  @Test
  void aMissingSecretForAContainerIsCreateContainerConfigError() {
    ChainerJob job = mpi("");
    Plan p = plan(job, workersThat(job, waiting("CreateContainerConfigError", "secret \"creds\" not found")), null,
        T0);
    assertEquals("CreateContainerConfigError", p.status().getReason());
    assertTrue(p.status().getMessage().contains("secret \"creds\" not found"));
  }

  @Test
  void workersThatAreAllReadyAreStartingAndOthersPreparing() {
    ChainerJob job = mpi("");
    assertEquals(JobPhase.Preparing, plan(job, workersThat(job, b -> b), null, T0).status().getPhase());
    Plan ready = plan(job, running(job, true, Optional.empty()), null, T0);
    assertEquals(JobPhase.Starting, ready.status().getPhase());
    assertEquals(null, ready.status().getReason());
  }
}
