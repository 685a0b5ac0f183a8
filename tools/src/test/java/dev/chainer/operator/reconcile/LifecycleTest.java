package dev.chainer.operator.reconcile;

import static dev.chainer.operator.testing.TestJobs.job;
import static dev.chainer.operator.testing.TestJobs.minimal;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.testing.OperatorHarness;
import dev.chainer.operator.testing.PhaseRecorder;
import dev.chainer.operator.testing.WithOperator;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The operator drives jobs through their life against the in-process API server. */
class LifecycleTest extends WithOperator {
  private static String condition(ChainerJobStatus s, String type) {
    return s.getConditions().stream().filter(c -> c.getType().equals(type)).map(Condition::getStatus).findFirst()
        .orElse(null);
  }

  @Test
  void mpiJobPassesThroughEveryPhaseAndFreesItsWorkers() {
    // Each state lasts longer than the hold on a waiting job's status, so that each is written.
    h.kubelet.stepDelay(WaitingStatus.HOLD.plusMillis(300)).launcherRunTime(Duration.ofMillis(600)).start();
    try (PhaseRecorder phases = new PhaseRecorder(h.client, "team-a", "train")) {
      ChainerJob job = h.submit(mpi("pipPackages: [tqdm]"));
      ChainerJobStatus done = h.awaitPhase(job, JobPhase.Completed);
      assertEquals(List.of(JobPhase.Queued, JobPhase.Preparing, JobPhase.Starting, JobPhase.Running,
          JobPhase.Finalizing, JobPhase.Completed), phases.phasesUntil(JobPhase.Completed));
      // The workers were removed before Completed: the status says so (it once kept saying 2/2).
      assertEquals("0/2", done.getReady());
      assertEquals("False", condition(done, "WorkersReady"));
      assertEquals(0, done.getLauncher().getExitCode());
      assertEquals("train-launcher", done.getLauncher().getPodName());
      assertNotNull(done.getStartTime());
      assertNotNull(done.getCompletionTime());
      assertEquals(1L, done.getObservedGeneration());
      assertEquals("True", condition(done, "Succeeded"));
      assertEquals("False", condition(done, "Failed"));
      assertNull(h.client.apps().statefulSets().inNamespace("team-a").withName("train-worker").get(),
          "cleanPodPolicy Running (the default) removes the workers");
      assertNotNull(h.client.pods().inNamespace("team-a").withName("train-launcher").get(),
          "the launcher stays for its logs");
      assertEquals(List.of(), h.events(job).stream().map(e -> e.getReason()).toList(),
          "a job that runs as expected records no Events");
      assertTrue(done.getOutputs().getMessage().startsWith("not kept (no spec.outputs)"),
          "a job without spec.outputs says on its status that what it writes is lost");
    }
  }

  @Test
  void launcherIsCreatedOnlyOnceEveryWorkerIsReady() {
    h.kubelet.scheduling(false).start();
    ChainerJob job = h.submit(mpi(""));
    ChainerJobStatus queued = h.awaitPhase(job, JobPhase.Queued);
    OperatorHarness.await(() -> h.client.pods().inNamespace("team-a").withLabel("chainer.dev/role", "worker").list()
        .getItems(), pods -> pods.size() == 2, "two worker pods");
    assertEquals("0/2", h.status(job).getReady());
    assertNull(h.client.pods().inNamespace("team-a").withName("train-launcher").get());
    assertEquals("False", condition(queued, "WorkersReady"));
    h.kubelet.scheduling(true);
    h.awaitPhase(job, JobPhase.Completed);
  }

  @Test
  void singleProcessJobRunsTheLauncherAlone() {
    h.kubelet.start();
    ChainerJob job = h.submit(minimal("userManaged: true"));
    ChainerJobStatus done = h.awaitPhase(job, JobPhase.Completed);
    assertNull(done.getReady());
    assertEquals(0, done.getLauncher().getExitCode());
    assertTrue(h.client.apps().statefulSets().inNamespace("team-a").list().getItems().isEmpty());
    assertTrue(h.client.services().inNamespace("team-a").list().getItems().isEmpty());
  }

  @Test
  void deprecatedFieldsGiveAWarningEvent() {
    h.kubelet.start();
    ChainerJob job = h.submit(job("sourceDirectory: /app\nentryScript: t.py\nframeworkVersion: \"7.0.0\"\n"
        + "distributedBackend: mpi\nnodeCount: 2"));
    h.awaitPhase(job, JobPhase.Completed);
    var event = h.event(job, "Deprecated").orElseThrow();
    assertEquals("Warning", event.getType());
    assertTrue(event.getMessage().contains("spec.distributedBackend"));
  }

  @Test
  void launcherFailureFailsTheJobWithItsExitCode() {
    h.kubelet.launcherExitCode(3).start();
    ChainerJob job = h.submit(mpi(""));
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("LauncherFailed", failed.getReason());
    assertEquals(3, failed.getLauncher().getExitCode());
    assertTrue(failed.getMessage().contains("exit code 3"), failed.getMessage());
    assertEquals("True", condition(failed, "Failed"));
    OperatorHarness.await(() -> h.client.apps().statefulSets().inNamespace("team-a").list().getItems(),
        List::isEmpty, "workers removed after the failure");
  }
}
