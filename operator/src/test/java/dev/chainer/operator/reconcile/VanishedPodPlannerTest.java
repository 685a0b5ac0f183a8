package dev.chainer.operator.reconcile;

import static dev.chainer.operator.reconcile.PlannerFixtures.T0;
import static dev.chainer.operator.reconcile.PlannerFixtures.plan;
import static dev.chainer.operator.reconcile.PlannerFixtures.running;
import static dev.chainer.operator.reconcile.PlannerFixtures.started;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.api.LauncherStatus;
import dev.chainer.operator.status.Observed;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/**
 * A pod gone from the operator's cache before a reconcile saw how it ended (the pod GC force-deletes the pod of a
 * lost node right after marking it) is judged by its last state, as the watch delivered it: a disruption stays a
 * disruption, an exit code is reported; a pod gone with no word is lost, as before.
 */
class VanishedPodPlannerTest {
  /** The pod GC's mark on the pod of a lost node (gc_controller.go): Failed, DisruptionTarget DeletionByPodGC. */
  private static final UnaryOperator<PodBuilder> POD_GC = b -> b.editStatus().withPhase("Failed")
      .addNewCondition().withType("DisruptionTarget").withStatus("True").withReason("DeletionByPodGC")
      .withMessage("PodGC: node no longer exists").endCondition().endStatus();

  private static ChainerJob withLauncherRecorded(String runPolicy) {
    ChainerJob job = started(mpi(runPolicy), T0);
    LauncherStatus recorded = new LauncherStatus();
    recorded.setPodName("train-launcher");
    recorded.setState("Running");
    job.getStatus().setLauncher(recorded);
    return job;
  }

  /** The running launcher as it was last seen, changed as the cluster left it. */
  private static Pod launcherLastState(ChainerJob job, UnaryOperator<PodBuilder> change) {
    Pod launcher = running(job, true, Optional.of("Running")).pods().stream()
        .filter(p -> p.getMetadata().getName().equals("train-launcher")).findFirst().orElseThrow();
    return change.apply(new PodBuilder(launcher).editMetadata().withUid("launcher-uid").endMetadata()).build();
  }

  /** The job's workers Running, its launcher gone, with these last states. */
  private static Observed launcherGone(ChainerJob job, List<Pod> lastStates) {
    return running(job, true, Optional.empty()).withLastStates(lastStates);
  }

  @ParameterizedTest(name = "disruptionLimit {0}")
  @CsvSource({"0, Failed", "1, Queued"})
  void aLauncherGoneWithALastStateOfPodGcIsANodeLostDisruption(int disruptionLimit, JobPhase phase) {
    ChainerJob job = withLauncherRecorded("runPolicy:\n  backoffLimit: 0\n  disruptionLimit: " + disruptionLimit);
    Plan p = plan(job, launcherGone(job, List.of(launcherLastState(job, POD_GC))), T0.plusSeconds(5));
    assertEquals(phase, p.status().getPhase());
    assertEquals("LauncherNodeLost", p.events().get(0).reason());
    assertTrue(p.events().get(0).message().contains("launcher pod train-launcher was removed with its node "
        + "(lost, or tainted NoExecute) (DeletionByPodGC: PodGC: node no longer exists)"), p.events().get(0).message());
    assertNull(p.status().getRestartCount(), "not counted against backoffLimit");
    if (phase == JobPhase.Failed) {
      assertEquals("LauncherNodeLost", p.status().getReason());
      assertTrue(p.status().getMessage().endsWith("after 0 disruption(s) (disruptionLimit 0)"), p.status().getMessage());
    } else {
      assertEquals(1, p.status().getDisruptionCount());
      assertEquals(1, p.status().getAttempt());
    }
  }

  /** Without a telling last state the launcher is lost: a failure that counts (backoffLimit 0 ends the job). */
  @Test
  void aLauncherGoneWithNoWordIsLostAsBefore() {
    ChainerJob job = withLauncherRecorded("runPolicy:\n  backoffLimit: 0");
    Pod forceDeleted = launcherLastState(job, b -> b); // Running when last seen: no condition, no exit
    Pod deleted = launcherLastState(job, b -> b.editMetadata().withDeletionTimestamp("2026-01-01T00:00:30Z")
        .endMetadata());
    Pod anotherJobs = launcherLastState(job, POD_GC.andThen(b -> b.editMetadata().editFirstOwnerReference()
        .withUid("a-deleted-job-of-the-same-name").endOwnerReference().endMetadata())::apply);
    List<List<Pod>> cases = List.of(List.of(), List.of(forceDeleted), List.of(deleted), List.of(anotherJobs));
    List<String> messages = List.of("disappeared without reporting an exit", "disappeared without reporting an exit",
        "was deleted before it finished", "disappeared without reporting an exit");
    for (int i = 0; i < cases.size(); i++) {
      Plan p = plan(job, launcherGone(job, cases.get(i)), T0.plusSeconds(5));
      assertEquals(JobPhase.Failed, p.status().getPhase(), "case " + i);
      assertEquals("LauncherLost", p.status().getReason(), "case " + i);
      assertTrue(p.status().getMessage().contains("launcher pod train-launcher " + messages.get(i)),
          p.status().getMessage());
      assertNull(p.status().getDisruptionCount(), "case " + i);
    }
  }

  @Test
  void aLauncherGoneAfterItFailedReportsItsExitCode() {
    ChainerJob job = withLauncherRecorded("runPolicy:\n  backoffLimit: 0");
    Pod failed = launcherLastState(job, b -> b.editStatus().withPhase("Failed").addNewContainerStatus()
        .withName("launcher").withNewState().withNewTerminated().withExitCode(3).withReason("Error").endTerminated()
        .endState().endContainerStatus().endStatus());
    Plan p = plan(job, launcherGone(job, List.of(failed)), T0.plusSeconds(5));
    assertEquals("LauncherFailed", p.status().getReason());
    assertTrue(p.status().getMessage().contains("launcher pod train-launcher Error (exit code 3)"),
        p.status().getMessage());
  }

  /** Worker 1 as it was last seen before it went with its node, and the job as the cluster now holds it. */
  private static Observed worker1Gone(ChainerJob job, boolean recreated, UnaryOperator<PodBuilder> lastState) {
    Observed o = running(job, true, Optional.of("Running"));
    List<Pod> pods = new ArrayList<>();
    Pod gone = null;
    for (Pod pod : o.pods()) {
      if (!pod.getMetadata().getName().equals("train-worker-1")) {
        pods.add(pod);
        continue;
      }
      gone = lastState.apply(new PodBuilder(pod)).build();
      if (recreated) { // the StatefulSet's replacement: same name, a new uid, not Ready yet
        pods.add(new PodBuilder(pod).editMetadata().withUid("worker-uid-1b").endMetadata().editStatus()
            .withPhase("Pending").withConditions().endStatus().build());
      }
    }
    return new Observed(o.statefulSets(), pods, o.services(), o.configMaps(), o.secrets(), List.of())
        .withLastStates(List.of(gone));
  }

  @ParameterizedTest(name = "recreated by its StatefulSet: {0}")
  @CsvSource({"true", "false"})
  void aWorkerGoneWithItsNodeIsANodeLostDisruptionWhetherRecreatedOrNot(boolean recreated) {
    ChainerJob job = started(mpi("runPolicy:\n  backoffLimit: 0"), T0);
    Plan p = plan(job, worker1Gone(job, recreated, POD_GC), T0.plusSeconds(60));
    assertEquals(JobPhase.Queued, p.status().getPhase());
    assertEquals("WorkerNodeLost", p.events().get(0).reason());
    assertTrue(p.status().getMessage().startsWith("WorkerNodeLost: worker pod train-worker-1 was removed with its "
        + "node"), p.status().getMessage());
    assertEquals(1, p.status().getDisruptionCount());
    assertNull(p.status().getRestartCount());
  }

  @Test
  void aWorkerGoneAfterItFailedIsAWorkerFailure() {
    ChainerJob job = started(mpi("runPolicy:\n  backoffLimit: 0"), T0);
    Plan p = plan(job, worker1Gone(job, true, b -> b.editStatus().withPhase("Failed").addNewContainerStatus()
        .withName("worker").withNewState().withNewTerminated().withExitCode(137).withReason("OOMKilled")
        .endTerminated().endState().endContainerStatus().endStatus()), T0.plusSeconds(60));
    assertEquals(JobPhase.Failed, p.status().getPhase());
    assertEquals("OOMKilled", p.status().getReason());
    assertTrue(p.status().getMessage().contains("worker pod train-worker-1"), p.status().getMessage());
  }

  /** A worker last seen being deleted (by the operator putting its StatefulSet back, say) tells nothing more. */
  @Test
  void aWorkerGoneWhileBeingDeletedIsNoFailureOfItsOwn() {
    ChainerJob job = started(mpi(""), T0);
    Observed o = running(job, true, Optional.empty());
    Pod stopped = new PodBuilder(o.pods().get(1)).editMetadata().withUid("worker-uid-old")
        .withDeletionTimestamp("2026-01-01T00:00:30Z").endMetadata().editStatus().withPhase("Failed")
        .addNewContainerStatus().withName("worker").withNewState().withNewTerminated().withExitCode(143)
        .withReason("Error").endTerminated().endState().endContainerStatus().endStatus().build();
    Plan p = plan(job, o.withLastStates(List.of(stopped)), T0.plusSeconds(5));
    assertFalse(p.status().getPhase() == JobPhase.Failed, p.status().getMessage());
    assertTrue(p.createLauncher(), "the run starts on the workers there are");
    assertTrue(p.events().stream().noneMatch(e -> e.reason().startsWith("Worker")), p.events().toString());
  }
}
