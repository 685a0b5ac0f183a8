package dev.chainer.operator.reconcile;

import static dev.chainer.operator.reconcile.PlannerFixtures.*;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.spec.JobLabels;
import dev.chainer.operator.status.Observed;
import dev.chainer.operator.testing.Observations;
import dev.chainer.operator.testing.Rendered;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The lifecycle decisions as a pure function: no cluster, no clock. */
class JobPlannerTest {

  @Test
  void aNewJobGetsItsInfrastructureAndWorkersButNoLauncherYet() {
    Plan p = plan(mpi(""), Observations.nothing(), T0);
    assertTrue(p.createInfrastructure());
    assertTrue(p.createWorkers());
    assertFalse(p.createLauncher());
    assertEquals(JobPhase.Queued, p.status().getPhase());
    assertEquals(T0.toString(), p.status().getStartTime());
    // Without spec.outputs the status tells the user that what the job writes goes with its pods.
    assertTrue(p.status().getOutputs().getMessage().startsWith("not kept"), p.status().getOutputs().getMessage());
    assertEquals(List.of(), p.events());
  }

  @Test
  void theLauncherIsCreatedWhenEveryWorkerIsReady() {
    ChainerJob job = mpi("");
    assertFalse(plan(job, running(job, false, Optional.empty()), T0).createLauncher());
    Plan p = plan(job, running(job, true, Optional.empty()), T0);
    assertTrue(p.createLauncher());
    assertEquals(JobPhase.Starting, p.status().getPhase());
    assertEquals("2/2", p.status().getReady());
  }

  @Test
  void theLauncherRecordsItsWorkersAndAReplacedOneFailsTheAttempt() {
    ChainerJob job = mpi("");
    Observed ready = withUids(running(job, true, Optional.empty()), null, "uid-0", "uid-1");
    assertEquals(List.of("uid-0", "uid-1"), plan(job, ready, T0).launcherWorkerUids());

    ChainerJob started = started(mpi(""), T0);
    Observed same = withUids(running(started, true, Optional.of("Running")), "uid-0,uid-1", "uid-0", "uid-1");
    assertEquals(JobPhase.Running, plan(started, same, T0).status().getPhase());
    // train-worker-1 is Ready again, but it is not the pod the launcher started with
    Observed replaced = withUids(running(started, true, Optional.of("Running")), "uid-0,uid-1", "uid-0", "uid-9");
    Plan p = plan(started, replaced, T0);
    assertEquals(JobPhase.Failed, p.status().getPhase());
    assertEquals("WorkerReplaced", p.status().getReason());
    assertTrue(p.status().getMessage().contains("worker pod train-worker-1 was replaced"), p.status().getMessage());
  }

  /** The same observation with worker uids, and the launcher's record of them (null: no launcher record). */
  private static Observed withUids(Observed o, String launcherRecord, String... uids) {
    List<Pod> pods = new ArrayList<>();
    int i = 0;
    for (Pod pod : o.pods()) {
      boolean worker = "worker".equals(pod.getMetadata().getLabels().get(JobLabels.ROLE));
      pods.add(worker ? new PodBuilder(pod).editMetadata().withUid(uids[i++]).endMetadata().build()
          : launcherRecord == null ? pod : new PodBuilder(pod).editMetadata()
              .addToAnnotations(JobLabels.WORKER_UIDS, launcherRecord).endMetadata().build());
    }
    return new Observed(o.statefulSets(), pods, o.services(), o.configMaps(), o.secrets(), List.of());
  }

  @Test
  void aDeadlineAheadAsksForAReconcileAtThatMoment() {
    ChainerJob job = started(mpi("maxRunDurationSeconds: 600"), T0);
    Plan p = plan(job, running(job, true, Optional.of("Running")), T0.plusSeconds(100));
    assertEquals(Optional.of(Duration.ofSeconds(500)), p.requeueAfter());
    assertEquals(JobPhase.Running, p.status().getPhase());
  }

  @Test
  void aPassedDeadlineFailsTheJobAndRemovesItsPods() {
    ChainerJob job = started(mpi("maxRunDurationSeconds: 600"), T0);
    Plan p = plan(job, running(job, true, Optional.of("Running")), T0.plusSeconds(600));
    assertEquals(JobPhase.Failed, p.status().getPhase());
    assertEquals("DeadlineExceeded", p.status().getReason());
    assertEquals(List.of("Pod train-launcher", "StatefulSet train-worker"), p.deletions().stream()
        .map(Object::toString).toList());
    assertEquals(T0.plusSeconds(600).toString(), p.status().getCompletionTime());
  }

  @Test
  void ttlCountsFromCompletion() {
    ChainerJob job = mpi("runPolicy:\n  ttlSecondsAfterFinished: 60\n  cleanPodPolicy: None");
    ChainerJobStatus status = new ChainerJobStatus();
    status.setPhase(JobPhase.Completed);
    status.setCompletionTime(T0.toString());
    job.setStatus(status);
    Plan early = plan(job, Observations.nothing(), T0.plusSeconds(45));
    assertEquals(Optional.of(Duration.ofSeconds(15)), early.requeueAfter());
    assertFalse(early.deleteJob());
    assertTrue(plan(job, Observations.nothing(), T0.plusSeconds(60)).deleteJob());
  }

  @Test
  void aLauncherFailureWithinTheBackoffLimitRestartsWithAFreshAttempt() {
    ChainerJob job = started(mpi("runPolicy:\n  backoffLimit: 3"), T0);
    Plan p = plan(job, running(job, true, Optional.of("Failed")), T0.plusSeconds(5));
    assertEquals(1, p.status().getRestartCount());
    assertEquals(1, p.status().getAttempt());
    assertEquals("Restarting", p.status().getReason());
    assertTrue(p.status().getMessage().startsWith("LauncherFailed: launcher pod train-launcher"),
        p.status().getMessage());
    assertTrue(deletes(p, "StatefulSet"));
    assertFalse(deletes(p, "Pod"), "the failed launcher of the attempt stays, with its log");
    assertEquals("LauncherFailed", p.events().get(0).reason());
  }

  @Test
  void anImagePullErrorIsOnTheStatusWhileTheJobWaits() {
    ChainerJob job = mpi("");
    DesiredObjects objects = JobRenderer.render(job, CONFIG, Rendered.KEYS, null, 0);
    List<Pod> pods = workers(objects, false).stream().map(p -> new PodBuilder(p).editStatus().withPhase("Pending")
        .addNewContainerStatus().withName("worker").withNewState().withNewWaiting().withReason("ImagePullBackOff")
        .withMessage("Back-off pulling image \"chainer-operator/chainermn:7.0.0-cpu\"").endWaiting().endState()
        .endContainerStatus().endStatus().build()).toList();
    Observed world = running(job, false, Optional.empty());
    Plan p = plan(job, new Observed(world.statefulSets(), pods, world.services(), world.configMaps(),
        world.secrets(), List.of()), T0);
    assertTrue(p.status().getMessage().contains("train-worker-0: container worker: ImagePullBackOff: Back-off "
        + "pulling image"), p.status().getMessage());
    assertFalse(p.createLauncher());
  }

  @Test
  void workersCleanedUpAfterASuccessAreNotCreatedAgain() {
    ChainerJob job = started(mpi(""), T0);
    DesiredObjects objects = JobRenderer.render(job, CONFIG, Rendered.KEYS, null, 0);
    Observed world = running(job, false, Optional.empty());
    Observed workersGone = new Observed(List.of(), List.of(withPhase(objects.launcher(), "Succeeded", false)),
        world.services(), world.configMaps(), world.secrets(), List.of());
    Plan p = plan(job, workersGone, T0.plusSeconds(60));
    assertFalse(p.createWorkers());
    assertEquals(JobPhase.Completed, p.status().getPhase());
  }

  @Test
  void aSecondLookAtAnUnchangedJobDecidesNothing() {
    ChainerJob job = mpi("");
    Observed world = running(job, true, Optional.of("Running"));
    Plan first = plan(job, world, T0);
    job.setStatus(first.status());
    Plan second = plan(job, world, T0.plusSeconds(30));
    assertTrue(writesNothing(second, job.getStatus()), () -> "second plan: " + second.status());
  }

  /**
   * The StatefulSet's creation brings no event (the operator made it; its status updates change nothing the planner
   * reads), so the plan that makes it asks to look again, for pods its controller may be refused.
   */
  @Test
  void aPlanThatMakesTheWorkersLooksAgainForTheirPods() {
    ChainerJob job = started(mpi(""), T0);
    Plan plan = plan(job, Observations.nothing(), T0.plusSeconds(1));
    assertTrue(plan.createWorkers());
    assertEquals(Optional.of(JobPlanner.MISSING_PODS_RETRY), plan.requeueAfter());
  }

  @Test
  void timeSpentSuspendedIsAddedToTheDeadline() {
    // A single-process job: an MPI job whose workers are being made looks again in 5 s, sooner than any deadline.
    ChainerJob job = started(dev.chainer.operator.testing.TestJobs.minimal("maxRunDurationSeconds: 600"), T0);
    job.getStatus().setPhase(JobPhase.Queued);
    job.getStatus().setReason("Suspended");
    job.getStatus().setSuspendedSince(T0.plusSeconds(100).toString());
    Plan resumed = plan(job, Observations.nothing(), T0.plusSeconds(400));
    assertEquals(300L, resumed.status().getSuspendedSeconds());
    assertNull(resumed.status().getSuspendedSince());
    assertEquals(Optional.of(Duration.ofSeconds(500)), resumed.requeueAfter(), "600 s of run time, not of clock");
    assertEquals("Resumed", resumed.events().get(0).reason());
  }

  @Test
  void aResumedJobWaitsForTheStoppedAttemptAndDoesNotReadItsExitCode() {
    ChainerJob job = started(mpi(""), T0);
    job.getStatus().setAttempt(1); // the suspension ended attempt 0
    Pod stopped = new PodBuilder(withPhase(JobRenderer.render(job, CONFIG, Rendered.KEYS, null, 0).launcher(),
        "Failed", false)).editMetadata().withDeletionTimestamp(T0.toString()).endMetadata().editStatus()
        .addNewContainerStatus().withName("launcher").withNewState().withNewTerminated().withExitCode(143)
        .endTerminated().endState().endContainerStatus().endStatus().build();
    Observed world = running(job, true, Optional.empty());
    List<Pod> pods = new ArrayList<>(world.pods());
    pods.add(stopped);
    Plan p = plan(job, new Observed(world.statefulSets(), pods, world.services(), world.configMaps(), world.secrets(),
        List.of()), T0.plusSeconds(5));
    assertEquals(JobPhase.Queued, p.status().getPhase());
    assertEquals("WaitingForPreviousAttempt", p.status().getReason());
    assertNull(p.status().getRestartCount());
    assertFalse(p.createWorkers());
    assertFalse(p.createLauncher());
    assertTrue(deletes(p, "StatefulSet"), "attempt 0's workers go");
  }

  @Test
  void aLauncherRecordedAsRunningThatIsGoneWasLost() {
    ChainerJob job = started(mpi(""), T0);
    dev.chainer.operator.api.LauncherStatus recorded = new dev.chainer.operator.api.LauncherStatus();
    recorded.setPodName("train-launcher");
    recorded.setState("Running");
    job.getStatus().setLauncher(recorded);
    Plan p = plan(job, running(job, true, Optional.empty()), T0.plusSeconds(5));
    assertEquals(JobPhase.Failed, p.status().getPhase());
    assertEquals("LauncherLost", p.status().getReason());
    assertFalse(p.createLauncher(), "never silently rerun");
    assertEquals("LauncherLost", p.events().get(0).reason());
  }

  @Test
  void objectsOfADeletedJobOfTheSameNameAreWaitedOutNotAdopted() {
    ChainerJob old = mpi("");
    old.getMetadata().setUid("the-deleted-one");
    Observed leftovers = running(old, true, Optional.of("Succeeded"));
    Plan p = plan(mpi(""), leftovers, T0);
    assertEquals(JobPhase.Queued, p.status().getPhase());
    assertEquals("WaitingForPreviousRun", p.status().getReason());
    assertTrue(p.status().getMessage().contains("Pod train-launcher"), p.status().getMessage());
    assertFalse(p.createInfrastructure() || p.createWorkers() || p.createLauncher());
    assertTrue(p.deletions().isEmpty(), "not the job's to delete");
  }
}
