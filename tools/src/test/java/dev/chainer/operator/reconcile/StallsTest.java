package dev.chainer.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.testing.OperatorHarness;
import dev.chainer.operator.testing.TestJobs;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Pods stuck before they run, on the strict server: the job says why in the pod's words, and gives up in time. */
class StallsTest {
  private static final String MPI = "sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\n"
      + "nodeCount: 2\ndistributedTraining:\n  mpi:\n    processCountPerNode: 2\n";
  private OperatorHarness h;

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void anImageThatCannotBePulledIsSaidThenFailsTheJobAfterTheStallTimeout() {
    OperatorConfig config = OperatorConfig.defaults();
    config.setStallTimeoutSeconds(3);
    h = new OperatorHarness(config, ChainerOperator.Settings.allNamespaces());
    h.kubelet.start();
    ChainerJob job = h.submit(TestJobs.job("train", MPI + "customDockerImage: registry.example/does-not-exist:1\n"));
    // Once both workers are placed: Preparing (their images are being pulled), not Starting.
    ChainerJobStatus stuck = h.await(() -> h.status(job), s -> "ImagePullBackOff".equals(s.getReason())
        && s.getPhase() == JobPhase.Preparing, "the pull error on the job, Preparing");
    assertTrue(stuck.getMessage().contains("registry.example/does-not-exist:1"), stuck.getMessage());
    assertTrue(h.event(job, "ImagePullBackOff").isPresent(), "a Warning Event");
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("ImagePullBackOff", failed.getReason());
    assertTrue(failed.getMessage().endsWith("stuck for more than 3s (stallTimeoutSeconds)"), failed.getMessage());
  }

  @Test
  void workersThatDoNotFitTheNodeAreUnschedulableAndWaitForRoom() {
    h = new OperatorHarness();
    h.kubelet.nodeCapacity(Map.of("nvidia.com/gpu", "2")).launcherRunTime(Duration.ofMillis(300)).start();
    ChainerJob job = h.submit(TestJobs.job("train", MPI + "useGpu: true\n"));
    ChainerJobStatus waiting = h.await(() -> h.status(job), s -> "Unschedulable".equals(s.getReason()),
        "the scheduler's word on the job");
    assertEquals(JobPhase.Queued, waiting.getPhase());
    assertTrue(waiting.getMessage().contains("Insufficient nvidia.com/gpu"), waiting.getMessage());
    assertTrue(waiting.getConditions().stream().anyMatch(c -> c.getType().equals("Stalled")
        && c.getStatus().equals("True") && c.getReason().equals("Unschedulable")));
    h.kubelet.nodeCapacity(Map.of("nvidia.com/gpu", "8"));
    h.awaitPhase(job, JobPhase.Completed);
  }
}
