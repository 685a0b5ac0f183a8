package dev.chainer.operator.reconcile;

import static dev.chainer.operator.reconcile.PlannerFixtures.T0;
import static dev.chainer.operator.reconcile.PlannerFixtures.plan;
import static dev.chainer.operator.reconcile.PlannerFixtures.running;
import static dev.chainer.operator.reconcile.PlannerFixtures.started;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.status.Observed;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * A pod the cluster took away (its DisruptionTarget condition, or an eviction on an older server) restarts the job
 * without costing a retry, up to runPolicy.disruptionLimit; a pod that failed still costs one.
 */
class DisruptionPlannerTest {
  /** The running job's worker 1 as the cluster changed it. */
  private static Observed withWorker1(ChainerJob job, UnaryOperator<PodBuilder> change) {
    Observed o = running(job, true, Optional.of("Running"));
    List<Pod> pods = new ArrayList<>();
    for (Pod pod : o.pods()) {
      pods.add(pod.getMetadata().getName().equals("train-worker-1") ? change.apply(new PodBuilder(pod)).build() : pod);
    }
    return new Observed(o.statefulSets(), pods, o.services(), o.configMaps(), o.secrets(), List.of());
  }

  private static UnaryOperator<PodBuilder> disrupted(String reason) {
    return b -> b.editMetadata().withDeletionTimestamp("2026-01-01T00:01:00Z").endMetadata().editStatus()
        .addNewCondition().withType("DisruptionTarget").withStatus("True").withReason(reason)
        .withMessage("the cluster took it").endCondition().endStatus();
  }

  @Test
  void aPreemptedWorkerRestartsTheJobWithoutCostingARetry() {
    ChainerJob job = started(mpi("runPolicy:\n  backoffLimit: 0\n"), T0);
    Plan p = plan(job, withWorker1(job, disrupted("PreemptionByScheduler")), null, T0.plusSeconds(60));
    assertEquals(JobPhase.Queued, p.status().getPhase());
    assertEquals("Restarting", p.status().getReason());
    assertTrue(p.status().getMessage().startsWith("WorkerPreempted: worker pod train-worker-1 was preempted"),
        p.status().getMessage());
    assertEquals(1, p.status().getDisruptionCount());
    assertNull(p.status().getRestartCount(), "backoffLimit 0 is untouched");
    assertEquals(1, p.status().getAttempt());
    JobEvent event = p.events().get(0);
    assertEquals("WorkerPreempted", event.reason());
    assertTrue(event.message().contains("disruption 1 of 10, not counted against backoffLimit"), event.message());
  }

  @Test
  void eachKindOfDisruptionHasItsReason() {
    List<List<String>> cases = List.of(List.of("EvictionByEvictionAPI", "WorkerEvicted"),
        List.of("TerminationByKubelet", "WorkerEvicted"), List.of("DeletionByTaintManager", "WorkerNodeLost"),
        List.of("DeletionByPodGC", "WorkerNodeLost"), List.of("PreemptionByKubeScheduler", "WorkerPreempted"));
    for (List<String> c : cases) {
      ChainerJob job = started(mpi(""), T0);
      Plan p = plan(job, withWorker1(job, disrupted(c.get(0))), null, T0.plusSeconds(60));
      assertEquals(c.get(1), p.events().get(0).reason(), c.get(0));
      assertEquals(1, p.status().getDisruptionCount(), c.get(0));
    }
    // A server without the condition (before 1.26) marks only a node-pressure eviction: the pod's reason Evicted.
    ChainerJob job = started(mpi(""), T0);
    Plan old = plan(job, withWorker1(job, b -> b.editStatus().withPhase("Failed").withReason("Evicted")
        .withMessage("The node was low on resource: memory.").endStatus()), null, T0.plusSeconds(60));
    assertEquals("WorkerEvicted", old.events().get(0).reason());
    assertEquals(1, old.status().getDisruptionCount());
  }

  @Test
  void disruptionsEndTheJobOnceTheirOwnLimitIsReached() {
    ChainerJob job = started(mpi("runPolicy:\n  disruptionLimit: 2\n"), T0);
    job.getStatus().setDisruptionCount(2);
    Plan p = plan(job, withWorker1(job, disrupted("PreemptionByScheduler")), null, T0.plusSeconds(60));
    assertEquals(JobPhase.Failed, p.status().getPhase());
    assertEquals("WorkerPreempted", p.status().getReason());
    assertTrue(p.status().getMessage().endsWith("after 2 disruption(s) (disruptionLimit 2)"), p.status().getMessage());
  }

  @Test
  void aWorkerThatFailsIsStillAFailure() {
    ChainerJob job = started(mpi("runPolicy:\n  backoffLimit: 0\n"), T0);
    Plan p = plan(job, withWorker1(job, b -> b.editStatus().withPhase("Failed").addNewContainerStatus()
        .withName("worker").withNewState().withNewTerminated().withExitCode(1).withReason("Error").endTerminated()
        .endState().endContainerStatus().endStatus()), null, T0.plusSeconds(60));
    assertEquals(JobPhase.Failed, p.status().getPhase());
    assertEquals("WorkerFailed", p.status().getReason());
    assertNull(p.status().getDisruptionCount());
  }

  @Test
  void aFailedLaunchersLastWordsAreOnTheStatusAndInTheEvent() {
    ChainerJob job = started(mpi(""), T0);
    Observed o = running(job, true, Optional.of("Running"));
    String said = "Traceback (most recent call last):\n  File \"train.py\", line 3\nKeyError: 'lr'\n"
        + "mpirun detected that one or more processes exited with non-zero status";
    Plan p = plan(job, withLauncherSaying(o, said + "\n" + "x".repeat(2000)), null, T0.plusSeconds(60));
    assertEquals("LauncherFailed", p.status().getReason());
    assertTrue(p.status().getMessage().contains("Error (exit code 1); last output: ..."), p.status().getMessage());
    assertTrue(p.status().getMessage().length() < 1000, "bounded");
    Plan plain = plan(job, withLauncherSaying(o, said), null, T0.plusSeconds(60));
    assertTrue(plain.status().getMessage().endsWith("last output: " + said), plain.status().getMessage());
    assertTrue(plain.events().get(0).message().contains("KeyError: 'lr'"), plain.events().get(0).message());
  }

  private static Observed withLauncherSaying(Observed o, String said) {
    List<Pod> pods = new ArrayList<>();
    for (Pod pod : o.pods()) {
      pods.add(pod.getMetadata().getName().equals("train-launcher") ? new PodBuilder(pod).editStatus()
          .withPhase("Failed").addNewContainerStatus().withName("launcher").withNewState().withNewTerminated()
          .withExitCode(1).withReason("Error").withMessage(said).endTerminated().endState().endContainerStatus()
          .endStatus().build() : pod);
    }
    return new Observed(o.statefulSets(), pods, o.services(), o.configMaps(), o.secrets(), List.of());
  }

  @Test
  void aPreemptedLauncherIsADisruptionToo() {
    ChainerJob job = started(mpi(""), T0);
    Observed o = running(job, true, Optional.of("Running"));
    List<Pod> pods = new ArrayList<>();
    for (Pod pod : o.pods()) {
      pods.add(pod.getMetadata().getName().equals("train-launcher")
          ? disrupted("PreemptionByScheduler").apply(new PodBuilder(pod)).build() : pod);
    }
    Plan p = plan(job, new Observed(o.statefulSets(), pods, o.services(), o.configMaps(), o.secrets(), List.of()),
        null, T0.plusSeconds(60));
    assertEquals("LauncherPreempted", p.events().get(0).reason());
    assertEquals(1, p.status().getDisruptionCount());
  }
}
