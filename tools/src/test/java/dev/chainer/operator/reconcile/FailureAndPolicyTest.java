package dev.chainer.operator.reconcile;

import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.testing.OperatorHarness;
import dev.chainer.operator.testing.WithOperator;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Deadlines, worker failures and restarts, clean-up, TTL, suspension and cancellation. */
class FailureAndPolicyTest extends WithOperator {
  private Pod worker(int i) {
    return h.client.pods().inNamespace("team-a").withName("train-worker-" + i).get();
  }

  private void oomKill(int i) {
    Pod pod = worker(i);
    h.client.pods().inNamespace("team-a").resource(new PodBuilder(pod).editStatus().withContainerStatuses(
        new ContainerStatusBuilder().withName("worker").withReady(true).withRestartCount(1)
            .withNewLastState().withNewTerminated().withExitCode(137).withReason("OOMKilled").endTerminated()
            .endLastState().withNewState().withNewRunning().endRunning().endState().build()).endStatus().build())
        .updateStatus();
  }


  @Test
  void aWorkerReplacedByItsStatefulSetIsALostWorkerEvenIfNeverSeenMissing() {
    h.kubelet.launcherRunTime(Duration.ofMinutes(10)).start();
    ChainerJob job = h.submit(mpi(""));
    h.awaitPhase(job, JobPhase.Running);
    String lostUid = h.client.pods().inNamespace("team-a").withName("train-worker-1").get().getMetadata().getUid();
    // The operator sees nothing of the loss: stopped while the node goes and the replacement becomes Ready.
    h.stopOperator();
    h.kubelet.loseNode("team-a", "train-worker-1");
    OperatorHarness.await(() -> h.client.pods().inNamespace("team-a").withName("train-worker-1").get(),
        p -> !p.getMetadata().getUid().equals(lostUid) && p.getStatus() != null
            && "Running".equals(p.getStatus().getPhase()), "the replacement running");
    h.startOperator();
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("WorkerReplaced", failed.getReason());
    assertTrue(failed.getMessage().contains("worker pod train-worker-1 was replaced by its StatefulSet"),
        failed.getMessage());
  }

  @Test
  void deadlineEndsTheJobAndRemovesLauncherAndWorkers() {
    h.kubelet.launcherRunTime(Duration.ofMinutes(10)).start();
    ChainerJob job = h.submit(mpi("maxRunDurationSeconds: 2"));
    h.awaitPhase(job, JobPhase.Running);
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("DeadlineExceeded", failed.getReason());
    assertTrue(failed.getMessage().contains("maxRunDurationSeconds (2s)"), failed.getMessage());
    // The launcher was asked to stop at once; like any pod on a node it goes once its containers have stopped.
    assertNotNull(h.client.pods().inNamespace("team-a").withName("train-launcher").get().getMetadata()
        .getDeletionTimestamp(), "the launcher is terminating");
    assertNull(h.client.apps().statefulSets().inNamespace("team-a").withName("train-worker").get());
    OperatorHarness.await(() -> h.client.pods().inNamespace("team-a").withName("train-launcher").get() == null,
        gone -> gone, "the launcher removed");
    assertEquals("Warning", h.event(job, "DeadlineExceeded").orElseThrow().getType());
    long seconds = Duration.between(java.time.Instant.parse(failed.getStartTime()),
        java.time.Instant.parse(failed.getCompletionTime())).toSeconds();
    assertTrue(seconds >= 2 && seconds < 5, "ended " + seconds + "s after start");
  }

  @Test
  void workerFailureRestartsTheWholeJobUpToTheBackoffLimit() {
    h.kubelet.launcherRunTime(Duration.ofMinutes(10)).start();
    ChainerJob job = h.submit(mpi("runPolicy:\n  backoffLimit: 1"));
    h.awaitPhase(job, JobPhase.Running);
    String firstWorkerUid = worker(0).getMetadata().getUid();
    h.kubelet.oomKill("team-a", "train-worker-1");
    ChainerJobStatus restarted = h.await(() -> h.status(job), s -> Integer.valueOf(1).equals(s.getRestartCount())
        && s.getPhase() == JobPhase.Running, "running again after one restart");
    assertEquals("train-launcher-1", restarted.getLauncher().getPodName());
    assertTrue(!firstWorkerUid.equals(worker(0).getMetadata().getUid()), "fresh workers");
    assertEquals("1", worker(0).getMetadata().getLabels().get("chainer.dev/attempt"));
    String restart = h.event(job, "OOMKilled").orElseThrow().getMessage();
    assertTrue(restart.contains("worker pod train-worker-1") && restart.contains("restarting the whole job"),
        restart);
    h.kubelet.oomKill("team-a", "train-worker-0");
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("OOMKilled", failed.getReason());
    assertTrue(failed.getMessage().contains("after 1 restart(s) (backoffLimit 1)"), failed.getMessage());
    assertEquals(1, failed.getRestartCount());
  }

  @Test
  void oomKilledWorkerIsTheFailureReason() {
    h.kubelet.launcherRunTime(Duration.ofMinutes(10)).start();
    ChainerJob job = h.submit(mpi(""));
    h.awaitPhase(job, JobPhase.Running);
    oomKill(0);
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("OOMKilled", failed.getReason());
    assertTrue(failed.getMessage().contains("OOMKilled (exit code 137)"), failed.getMessage());
    OperatorHarness.await(() -> h.client.pods().inNamespace("team-a").withName("train-launcher").get() == null,
        gone -> gone, "the running launcher is stopped");
  }

  @Test
  void deletedWorkerDuringTheRunFailsIt() {
    h.kubelet.launcherRunTime(Duration.ofMinutes(10)).scheduling(true).start();
    ChainerJob job = h.submit(mpi(""));
    h.awaitPhase(job, JobPhase.Running);
    h.kubelet.scheduling(false);
    h.client.pods().inNamespace("team-a").withName("train-worker-1").delete();
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("WorkerLost", failed.getReason());
    assertTrue(failed.getMessage().contains("worker pod train-worker-1 was deleted"), failed.getMessage());
  }

  @Test
  void cleanPodPolicyNoneKeepsWorkers() {
    h.kubelet.start();
    ChainerJob job = h.submit(mpi("runPolicy:\n  cleanPodPolicy: None"));
    h.awaitPhase(job, JobPhase.Completed);
    assertNotNull(h.client.apps().statefulSets().inNamespace("team-a").withName("train-worker").get());
    assertEquals(2, h.client.pods().inNamespace("team-a").withLabel("chainer.dev/role", "worker").list()
        .getItems().size());
  }

  @Test
  void ttlDeletesTheFinishedJob() {
    h.kubelet.start();
    ChainerJob job = h.submit(mpi("runPolicy:\n  ttlSecondsAfterFinished: 1"));
    h.awaitPhase(job, JobPhase.Completed);
    OperatorHarness.await(() -> h.get(job) == null, gone -> gone, "the job deleted by its TTL");
  }

  @Test
  void suspendRemovesPodsAndResumeStartsAgainCleanly() {
    h.kubelet.launcherRunTime(Duration.ofSeconds(2)).start();
    ChainerJob job = h.submit(mpi(""));
    h.awaitPhase(job, JobPhase.Running);
    h.editPolicy(job, p -> p.setSuspend(true));
    ChainerJobStatus suspended = h.await(() -> h.status(job), s -> "Suspended".equals(s.getReason())
        && s.getPhase() == JobPhase.Queued, "suspended");
    assertNotNull(suspended.getSuspendedSince(), "suspended time is measured: it does not count to the deadline");
    assertEquals("True", suspended.getConditions().stream().filter(c -> c.getType().equals("Suspended"))
        .findFirst().orElseThrow().getStatus());
    OperatorHarness.await(() -> h.client.pods().inNamespace("team-a").list().getItems(), List::isEmpty,
        "no pods while suspended");
    h.editPolicy(job, p -> p.setSuspend(false));
    ChainerJobStatus done = h.awaitPhase(job, JobPhase.Completed);
    assertEquals(0, done.getLauncher().getExitCode());
    assertEquals("train-launcher-1", done.getLauncher().getPodName(), "a fresh attempt");
    assertNull(done.getRestartCount(), "a suspension is not a failure");
    assertNotNull(done.getSuspendedSeconds());
    assertTrue(h.event(job, "Resumed").isPresent());
  }

  @Test
  void cancelKeepsTheRecordAndRemovesThePods() {
    h.kubelet.launcherRunTime(Duration.ofMinutes(10)).start();
    ChainerJob job = h.submit(mpi(""));
    h.awaitPhase(job, JobPhase.Running);
    h.editPolicy(job, p -> p.setCancel(true));
    ChainerJobStatus canceled = h.awaitPhase(job, JobPhase.Canceled);
    assertNotNull(canceled.getCompletionTime());
    assertEquals("True", canceled.getConditions().stream().filter(c -> c.getType().equals("Canceled"))
        .findFirst().orElseThrow().getStatus());
    assertTrue(h.client.pods().inNamespace("team-a").list().getItems().isEmpty());
    assertNotNull(h.get(job));
    assertTrue(h.event(job, "CancelRequested").isPresent());
  }
}
