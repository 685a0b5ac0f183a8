package dev.chainer.operator.reconcile;

import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.reconcile.ChainerOperator.Settings;
import dev.chainer.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A job's results and its progress survive its pods, on the strict server: the outputs claim is made, checked and
 * kept or removed as asked, a claim that cannot serve stalls the job with its reason, and preemptions restart the
 * job without costing its retries while each attempt resumes from the snapshot the last one left.
 */
class OutputsAndPreemptionTest {
  private static final String NS = "team-a";
  private OperatorHarness h;

  @AfterEach
  void close() {
    if (h != null) {
      h.close();
    }
  }

  private OperatorHarness harness(int bindTimeoutSeconds) {
    OperatorConfig config = OperatorConfig.defaults();
    config.setOutputsClaimBindTimeoutSeconds(bindTimeoutSeconds);
    config.setProgressIntervalSeconds(1);
    h = new OperatorHarness(config, Settings.allNamespaces());
    return h;
  }

  private void claim(String name, String... modes) {
    h.client.persistentVolumeClaims().inNamespace(NS).resource(new PersistentVolumeClaimBuilder().withNewMetadata()
        .withName(name).endMetadata().withNewSpec().withAccessModes(modes).withNewResources()
        .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create();
  }

  private PersistentVolumeClaim getClaim(String name) {
    return h.client.persistentVolumeClaims().inNamespace(NS).withName(name).get();
  }

  private String worker0Uid() {
    Pod pod = h.client.pods().inNamespace(NS).withName("train-worker-0").get();
    return pod == null ? null : pod.getMetadata().getUid();
  }

  @Test
  void aSpotJobWithNoRetriesSurvivesThreePreemptionsAndResumesEachTimeFromItsSnapshot() {
    harness(300);
    h.kubelet.launcherRunTime(Duration.ofSeconds(6)).stepDelay(Duration.ZERO)
        .launcherOutput(dev.chainer.operator.demo.DemoCommand.trainerReport(20), h.api::appendLog).start();
    ChainerJob job = h.submit(mpi("runPolicy:\n  backoffLimit: 0\noutputs:\n  claimTemplate: {}\n"
        + "scriptParams:\n  --out: outputs/result\n"));
    for (int i = 1; i <= 3; i++) {
      int attempt = i - 1;
      // The first attempt trains a while; each later one has resumed from the snapshot the one before it left.
      ChainerJobStatus running = h.await(() -> h.status(job), s -> s.getPhase() == JobPhase.Running
          && s.currentAttempt() == attempt && (attempt == 0 ? s.getProgress() != null
          && s.getProgress().getEpoch() != null && s.getProgress().getEpoch() >= 2 : s.getResumedFrom() != null
          && Integer.valueOf(attempt).equals(s.getResumedFrom().getAttempt())), "attempt " + attempt + " training");
      assertEquals(attempt == 0 ? null : attempt, running.getDisruptionCount());
      if (attempt > 0) {
        assertTrue(running.getResumedFrom().getIteration() >= 200, "resumed after epoch 2: "
            + running.getResumedFrom().getIteration());
      }
      h.kubelet.preempt(NS, "train-worker-0");
      int disruptions = i;
      h.await(() -> h.status(job), s -> Integer.valueOf(disruptions).equals(s.getDisruptionCount()),
          "disruption " + i + " counted");
    }
    assertTrue(h.event(job, "Resumed").isPresent(), "a Resumed event");
    ChainerJobStatus done = h.awaitPhase(job, JobPhase.Completed);
    assertEquals(3, done.getDisruptionCount());
    assertNull(done.getRestartCount(), "backoffLimit 0 was never touched");
    assertEquals(3, done.getAttempt());
    assertTrue(done.getResumedFrom() != null && done.getResumedFrom().getAttempt() == 3, "" + done.getResumedFrom());
    assertTrue(done.getResumedFrom().getPath().startsWith("/opt/chainer/outputs/result/snapshot_iter_"),
        done.getResumedFrom().getPath());
    assertEquals(3, h.events(job).stream().filter(e -> e.getReason().equals("WorkerPreempted")).count());
    assertEquals("train-outputs", done.getOutputs().getPersistentVolumeClaim());
    assertEquals(NS + "/train", done.getOutputs().getPath());
  }

  @Test
  void aWorkerThatFailsStillFailsAJobWithNoRetries() {
    harness(300);
    h.kubelet.launcherRunTime(Duration.ofMinutes(10)).start();
    ChainerJob job = h.submit(mpi("runPolicy:\n  backoffLimit: 0\n"));
    h.awaitPhase(job, JobPhase.Running);
    h.kubelet.oomKill(NS, "train-worker-1");
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("OOMKilled", failed.getReason());
    assertNull(failed.getDisruptionCount());
  }

  @Test
  void aMissingClaimStallsTheJobUntilItExists() {
    harness(300);
    h.kubelet.launcherRunTime(Duration.ofMillis(300)).start();
    ChainerJob job = h.submit(mpi("outputs:\n  dataStore:\n    persistentVolumeClaim: results\n"));
    ChainerJobStatus stalled = h.await(() -> h.status(job), s -> "OutputsClaimMissing".equals(s.getReason()),
        "stalled on the missing claim");
    assertEquals(JobPhase.Queued, stalled.getPhase());
    assertTrue(stalled.getMessage().contains("PersistentVolumeClaim results"), stalled.getMessage());
    assertTrue(stalled.getConditions().stream().anyMatch(c -> c.getType().equals("Stalled")
        && c.getStatus().equals("True") && c.getReason().equals("OutputsClaimMissing")));
    assertTrue(h.event(job, "OutputsClaimMissing").isPresent(), "a Warning Event");
    assertNull(h.client.apps().statefulSets().inNamespace(NS).withName("train-worker").get(), "no pods for nothing");
    claim("results", "ReadWriteMany");
    h.awaitPhase(job, JobPhase.Completed);
  }

  @Test
  void aReadWriteOnceClaimForTwoWorkersStallsTheJob() {
    harness(300);
    h.kubelet.start();
    claim("results", "ReadWriteOnce");
    ChainerJob job = h.submit(mpi("outputs:\n  dataStore:\n    persistentVolumeClaim: results\n"));
    ChainerJobStatus stalled = h.await(() -> h.status(job), s -> "OutputsClaimNotShared".equals(s.getReason()),
        "stalled on the claim's access mode");
    assertTrue(stalled.getMessage().contains("ReadWriteMany"), stalled.getMessage());
    assertTrue(h.event(job, "OutputsClaimNotShared").isPresent());
  }

  @Test
  void aClaimThatNeverBindsIsSaidAfterTheWait() {
    harness(2);
    h.api.unbindableStorageClass("slow");
    h.kubelet.start();
    ChainerJob job = h.submit(mpi("outputs:\n  claimTemplate:\n    storageClassName: slow\n"));
    ChainerJobStatus stalled = h.await(() -> h.status(job), s -> "OutputsClaimNotBound".equals(s.getReason()),
        "stalled on the unbound claim");
    assertEquals(JobPhase.Queued, stalled.getPhase());
    assertTrue(stalled.getMessage().contains("train-outputs is still Pending"), stalled.getMessage());
  }

  @Test
  void aClaimTheJobMadeIsKeptOrRemovedWithItAsAsked() {
    harness(300);
    h.kubelet.launcherRunTime(Duration.ofMillis(300)).start();
    ChainerJob kept = h.submit(dev.chainer.operator.testing.TestJobs.job("kept", "sourceDirectory: /app\n"
        + "entryScript: train.py\nframeworkVersion: \"7.0.0\"\noutputs:\n  claimTemplate: {size: 2Gi}\n"));
    ChainerJob gone = h.submit(dev.chainer.operator.testing.TestJobs.job("gone", "sourceDirectory: /app\n"
        + "entryScript: train.py\nframeworkVersion: \"7.0.0\"\noutputs:\n  claimTemplate: {}\n"
        + "  retentionPolicy: Delete\n"));
    h.awaitPhase(kept, JobPhase.Completed);
    h.awaitPhase(gone, JobPhase.Completed);
    PersistentVolumeClaim claim = getClaim("kept-outputs");
    assertEquals("kept", claim.getMetadata().getLabels().get("chainer.dev/job-name"));
    assertEquals("2Gi", claim.getSpec().getResources().getRequests().get("storage").toString());
    assertEquals(List.of("ReadWriteOnce"), claim.getSpec().getAccessModes());
    assertEquals("Bound", claim.getStatus().getPhase());
    h.client.resource(h.get(kept)).delete();
    h.client.resource(h.get(gone)).delete();
    OperatorHarness.await(() -> getClaim("gone-outputs") == null, removed -> removed, "Delete: the claim goes with its job");
    OperatorHarness.await(() -> h.client.pods().inNamespace(NS).withName("kept-launcher").get() == null, removed -> removed,
        "the kept job's pods are gone");
    assertNotNull(getClaim("kept-outputs"), "Retain (default): the claim outlives its job");
  }
}
