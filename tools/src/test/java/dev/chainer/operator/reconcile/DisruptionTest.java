package dev.chainer.operator.reconcile;

import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.testing.ForeignObjects;
import dev.chainer.operator.testing.InvariantWatcher;
import dev.chainer.operator.testing.OperatorHarness;
import dev.chainer.operator.testing.TestJobs;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What platform users do to running jobs, on a cluster whose kubelet terminates pods gracefully (SIGTERM, exit 143
 * a moment later, then removal), with a StatefulSet controller and a garbage collector: pods deleted, evicted,
 * lost with their node; suspend and resume; the operator restarted; jobs deleted and re-created; objects edited by
 * hand. Beside each test's own assertions, an {@link InvariantWatcher} checks every pod event.
 */
class DisruptionTest {
  private static final String NS = "team-a";
  private OperatorHarness h;
  private InvariantWatcher invariants;

  @BeforeEach
  void start() {
    h = new OperatorHarness();
    invariants = h.watchInvariants();
    h.kubelet.launcherRunTime(Duration.ofMinutes(10)).terminationDelay(Duration.ofMillis(600)).start();
  }

  @AfterEach
  void stop() {
    h.closeCheckingInvariants();
  }

  // --- the launcher ------------------------------------------------------------------------------------

  @Test
  void aDeletedLauncherFailsTheJobAndIsNotRerun() {
    ChainerJob job = runningJob("");
    h.client.pods().inNamespace(NS).withName("train-launcher").delete();
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("LauncherLost", failed.getReason());
    assertTrue(failed.getMessage().contains("launcher pod train-launcher was deleted"), failed.getMessage());
    assertWarning(job, "LauncherLost", "train-launcher");
    assertNull(failed.getRestartCount());
    h.awaitQuiet();
    assertNull(pod("train-launcher-1"), "no second launcher");
  }

  @Test
  void aDeletedLauncherWithABackoffRestartsOnlyOnceItIsGone() {
    ChainerJob job = runningJob("runPolicy:\n  backoffLimit: 1");
    h.client.pods().inNamespace(NS).withName("train-launcher").delete();
    h.await(() -> h.status(job), s -> Integer.valueOf(1).equals(s.getRestartCount()), "a restart");
    h.kubelet.launcherRunTime(Duration.ofMillis(300));
    ChainerJobStatus done = h.awaitPhase(job, JobPhase.Completed);
    assertEquals("train-launcher-1", done.getLauncher().getPodName());
    assertEquals(1, done.getAttempt());
    assertWarning(job, "LauncherLost", "restarting the whole job (restart 1 of 1)");
  }

  /** Pod GC marks the pods of a lost node (DisruptionTarget, DeletionByPodGC): a disruption, not a failure. */
  @ParameterizedTest
  @ValueSource(ints = {0, 1})
  void aLauncherLostWithItsNodeIsADisruption(int disruptionLimit) {
    ChainerJob job = runningJob("runPolicy:\n  backoffLimit: 0\n  disruptionLimit: " + disruptionLimit);
    h.kubelet.loseNode(NS, "train-launcher");
    if (disruptionLimit == 0) {
      ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
      assertEquals("LauncherNodeLost", failed.getReason());
      assertTrue(failed.getMessage().contains("after 0 disruption(s) (disruptionLimit 0)"), failed.getMessage());
    } else {
      h.kubelet.launcherRunTime(Duration.ofMillis(300));
      ChainerJobStatus done = h.awaitPhase(job, JobPhase.Completed);
      assertEquals(1, done.getDisruptionCount());
      assertNull(done.getRestartCount());
    }
    assertWarning(job, "LauncherNodeLost", "train-launcher");
  }

  /**
   * The race of a real cluster made certain: the operator's pod watch lags, so the pod GC's mark (Failed,
   * DisruptionTarget) and its force-deletion reach the operator in one burst, and the reconcile that follows finds
   * the pod gone. What the watch said of it last still makes it a disruption, of the launcher or of a worker.
   */
  @ParameterizedTest
  @ValueSource(strings = {"train-launcher:LauncherNodeLost", "train-worker-1:WorkerNodeLost"})
  void aPodLostWithItsNodeWhileTheWatchLagsIsStillADisruption(String podAndReason) throws Exception {
    String name = podAndReason.split(":")[0];
    String reason = podAndReason.split(":")[1];
    ChainerJob job = runningJob("runPolicy:\n  backoffLimit: 0\n  disruptionLimit: 0");
    try (AutoCloseable lag = h.api.holdWatches("pods")) {
      h.kubelet.loseNode(NS, name);
    }
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals(reason, failed.getReason(), failed.getMessage());
    assertTrue(failed.getMessage().contains(name + " was removed with its node"), failed.getMessage());
    assertNull(failed.getRestartCount());
    assertWarning(job, reason, name);
  }

  /** A launcher that vanishes with no word (force-deleted) is lost: a failure that counts. */
  @Test
  void aLauncherForceDeletedIsAFailureThatCounts() {
    ChainerJob job = runningJob("runPolicy:\n  backoffLimit: 0");
    h.client.pods().inNamespace(NS).withName("train-launcher").withGracePeriod(0).delete();
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("LauncherLost", failed.getReason());
    assertWarning(job, "LauncherLost", "train-launcher");
  }

  @Test
  void anEvictedLauncherIsLauncherEvictedAndCostsNoRetry() {
    ChainerJob job = runningJob("runPolicy:\n  disruptionLimit: 0");
    h.kubelet.evict(NS, "train-launcher");
    assertEquals("LauncherEvicted", h.awaitPhase(job, JobPhase.Failed).getReason());
  }

  @Test
  void aLauncherThatDisappearsWhileTheOperatorIsDownIsFoundLostAfterItsRestart() {
    ChainerJob job = runningJob("");
    h.stopOperator();
    h.client.pods().inNamespace(NS).withName("train-launcher").delete();
    awaitGone("train-launcher");
    h.startOperator();
    assertEquals("LauncherLost", h.awaitPhase(job, JobPhase.Failed).getReason());
  }

  // --- workers -----------------------------------------------------------------------------------------

  @Test
  void aWorkerDeletedBeforeItIsScheduledIsRecreatedAndNothingIsCounted() {
    h.kubelet.scheduling(false);
    ChainerJob job = h.submit(mpi(""));
    awaitPod("train-worker-1", p -> true);
    String uid = pod("train-worker-1").getMetadata().getUid();
    h.client.pods().inNamespace(NS).withName("train-worker-1").delete();
    awaitPod("train-worker-1", p -> !p.getMetadata().getUid().equals(uid));
    h.kubelet.launcherRunTime(Duration.ofMillis(300)).scheduling(true);
    assertNull(h.awaitPhase(job, JobPhase.Completed).getRestartCount());
  }

  @Test
  void aWorkerDeletedWhilePreparingIsALostWorker() {
    // Longer than the hold on a waiting job's status, so that Preparing is written while it lasts.
    h.kubelet.stepDelay(WaitingStatus.HOLD.plusSeconds(1));
    ChainerJob job = h.submit(mpi("runPolicy:\n  backoffLimit: 1"));
    h.awaitPhase(job, JobPhase.Preparing);
    h.client.pods().inNamespace(NS).withName("train-worker-0").delete();
    ChainerJobStatus restarting = h.await(() -> h.status(job), s -> Integer.valueOf(1).equals(s.getRestartCount()),
        "a restart");
    assertTrue(restarting.getMessage().startsWith("WorkerLost: worker pod train-worker-0 was deleted"),
        restarting.getMessage());
    h.kubelet.stepDelay(Duration.ZERO).launcherRunTime(Duration.ofMillis(300));
    assertEquals(1, h.awaitPhase(job, JobPhase.Completed).getRestartCount());
  }

  @Test
  void aWorkerDeletedWhileRunningFailsTheJob() {
    ChainerJob job = runningJob("");
    h.client.pods().inNamespace(NS).withName("train-worker-1").delete();
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("WorkerLost", failed.getReason());
    assertWarning(job, "WorkerLost", "train-worker-1");
  }

  // --- suspend, resume, deadline ----------------------------------------------------------------------

  @Test
  void resumingWhileTheLauncherStillTerminatesStartsAFreshAttemptAndCostsNoBackoff() {
    h.kubelet.terminationDelay(Duration.ofMillis(1500));
    ChainerJob job = runningJob("");
    h.editPolicy(job, p -> p.setSuspend(true));
    h.await(() -> h.status(job), s -> "Suspended".equals(s.getReason()), "suspended");
    assertNotNull(pod("train-launcher"), "still terminating");
    h.editPolicy(job, p -> p.setSuspend(false));
    h.kubelet.launcherRunTime(Duration.ofMillis(300));
    ChainerJobStatus done = h.awaitPhase(job, JobPhase.Completed);
    assertNull(done.getRestartCount(), "a suspension is not a failure");
    assertEquals("train-launcher-1", done.getLauncher().getPodName());
    assertTrue(h.event(job, "Resumed").isPresent());
  }

  @Test
  void aDeadlineWhileQueuedFailsTheJobAndRemovesItsPods() {
    h.kubelet.scheduling(false);
    ChainerJob job = h.submit(mpi("maxRunDurationSeconds: 1"));
    assertEquals("DeadlineExceeded", h.awaitPhase(job, JobPhase.Failed).getReason());
    OperatorHarness.await(() -> h.client.pods().inNamespace(NS).list().getItems(), java.util.List::isEmpty,
        "no pods left");
  }

  @Test
  void anOperatorRestartedDuringARestartCarriesOn() {
    h.kubelet.terminationDelay(Duration.ofMillis(1500));
    ChainerJob job = runningJob("runPolicy:\n  backoffLimit: 1");
    h.kubelet.oomKill(NS, "train-worker-0");
    h.await(() -> h.status(job), s -> Integer.valueOf(1).equals(s.getRestartCount()), "a restart");
    h.stopOperator();
    h.startOperator();
    h.kubelet.launcherRunTime(Duration.ofMillis(300));
    ChainerJobStatus done = h.awaitPhase(job, JobPhase.Completed);
    assertEquals(1, done.getRestartCount());
    assertEquals("train-launcher-1", done.getLauncher().getPodName());
  }

  // --- a job deleted and applied again -----------------------------------------------------------------

  @Test
  void aJobAppliedAgainWaitsForThePreviousRunAndAdoptsNothing() {
    ChainerJob first = runningJob("");
    h.api.garbageCollector().pause();
    h.client.resource(h.get(first)).delete();
    OperatorHarness.await(() -> h.get(first) == null, gone -> gone, "the first job gone");
    ChainerJob second = h.submit(mpi(""));
    ChainerJobStatus waiting = h.await(() -> h.status(second), s -> "WaitingForPreviousRun".equals(s.getReason()),
        "waiting for the previous run");
    assertTrue(waiting.getMessage().contains("Pod train-launcher"), waiting.getMessage());
    h.api.garbageCollector().resume();
    h.kubelet.launcherRunTime(Duration.ofMillis(300));
    h.awaitPhase(second, JobPhase.Completed);
    String uid = h.get(second).getMetadata().getUid();
    assertEquals(uid, pod("train-launcher").getMetadata().getOwnerReferences().get(0).getUid(),
        "the launcher that completed is the new job's");
    assertTrue(h.event(second, "SpecChangeIgnored").isEmpty());
  }

  // --- objects the job does not own --------------------------------------------------------------------

  @ParameterizedTest
  @ValueSource(strings = {"Secret train-ssh", "ConfigMap train-mpi", "Service train-worker",
      "StatefulSet train-worker", "Pod train-launcher", "labelled Secret train-ssh"})
  void aForeignObjectHoldingOneOfTheJobsNamesBlocksItAndIsNeverTouched(String object) {
    ForeignObjects.create(h.client, invariants, object);
    ChainerJob job = h.submit(mpi(""));
    ChainerJobStatus blocked = h.await(() -> h.status(job), s -> "ResourceConflict".equals(s.getReason()),
        "a conflict");
    String named = object.replace("labelled ", "");
    assertTrue(blocked.getMessage().contains(named), blocked.getMessage());
    assertEquals(JobPhase.Queued, blocked.getPhase());
    assertEquals("True", blocked.getConditions().stream().filter(c -> c.getType().equals("Stalled")).findFirst()
        .orElseThrow().getStatus());
    assertWarning(job, "ResourceConflict", named);
    h.awaitQuiet();
    if (!object.startsWith("Pod")) {
      assertNull(pod("train-launcher"), "no launcher beside a foreign object");
    }
  }

  @Test
  void aJobBlockedByAForeignSecretGoesOnOnceItIsRemoved() {
    ForeignObjects.create(h.client, null, "Secret train-ssh");
    h.kubelet.launcherRunTime(Duration.ofMillis(300));
    ChainerJob job = h.submit(mpi(""));
    h.await(() -> h.status(job), s -> "ResourceConflict".equals(s.getReason()), "a conflict");
    h.client.secrets().inNamespace(NS).withName("train-ssh").delete();
    ChainerJobStatus done = h.awaitPhase(job, JobPhase.Completed);
    assertEquals("False", done.getConditions().stream().filter(c -> c.getType().equals("Stalled")).findFirst()
        .orElseThrow().getStatus());
  }

  // --- the worker StatefulSet changed by hand ----------------------------------------------------------

  @Test
  void aStatefulSetScaledBeforeTheLauncherIsPutBack() {
    h.kubelet.scheduling(false);
    ChainerJob job = h.submit(mpi(""));
    awaitPod("train-worker-1", p -> true);
    h.client.apps().statefulSets().inNamespace(NS).withName("train-worker").scale(1);
    h.await(() -> h.event(job, "WorkersModified"), java.util.Optional::isPresent, "the edit noticed");
    OperatorHarness.await(() -> h.client.apps().statefulSets().inNamespace(NS).withName("train-worker").get(),
        s -> s.getMetadata().getGeneration() == 1 && s.getSpec().getReplicas() == 2, "put back");
    h.kubelet.launcherRunTime(Duration.ofMillis(300)).scheduling(true);
    assertNull(h.awaitPhase(job, JobPhase.Completed).getRestartCount());
  }

  @Test
  void aStatefulSetScaledWhileRunningFailsTheAttempt() {
    ChainerJob job = runningJob("");
    h.client.apps().statefulSets().inNamespace(NS).withName("train-worker").scale(1);
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertTrue(failed.getReason().equals("WorkersModified") || failed.getReason().equals("WorkerLost"),
        failed.getReason());
    assertTrue(failed.getMessage().contains("scaled to 1 replicas") || failed.getMessage().contains("train-worker-1"),
        failed.getMessage());
  }

  @Test
  void aStatefulSetEditedWhileRunningFailsTheAttempt() {
    ChainerJob job = runningJob("");
    h.client.apps().statefulSets().inNamespace(NS).withName("train-worker").edit(s -> {
      s.getSpec().getTemplate().getMetadata().getAnnotations().put("kubectl.kubernetes.io/restartedAt", "now");
      return s;
    });
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("WorkersModified", failed.getReason());
    assertTrue(failed.getMessage().contains("StatefulSet train-worker was changed by hand"), failed.getMessage());
  }

  @Test
  void aStatefulSetDeletedWhileRunningIsALostWorker() {
    ChainerJob job = runningJob("");
    h.client.apps().statefulSets().inNamespace(NS).withName("train-worker").delete();
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("WorkerLost", failed.getReason());
  }

  @Test
  void aStatefulSetDeletedBeforeTheLauncherIsMadeAgain() {
    h.kubelet.scheduling(false);
    ChainerJob job = h.submit(mpi(""));
    awaitPod("train-worker-1", p -> true);
    String uid = h.client.apps().statefulSets().inNamespace(NS).withName("train-worker").get().getMetadata().getUid();
    h.client.apps().statefulSets().inNamespace(NS).withName("train-worker").delete();
    OperatorHarness.await(() -> h.client.apps().statefulSets().inNamespace(NS).withName("train-worker").get(),
        s -> s != null && !s.getMetadata().getUid().equals(uid), "made again");
    h.kubelet.launcherRunTime(Duration.ofMillis(300)).scheduling(true);
    assertNull(h.awaitPhase(job, JobPhase.Completed).getRestartCount());
  }

  // --- jobs whose names share a prefix -----------------------------------------------------------------

  @Test
  void jobsNamedAAWorkerAndALauncherKeepToThemselves() {
    ChainerJob a = h.submit(TestJobs.job("a", mpiSpec()));
    ChainerJob aWorker = h.submit(TestJobs.job("a-worker", mpiSpec()));
    ChainerJob aLauncher = h.submit(TestJobs.job("a-launcher", mpiSpec()));
    h.awaitPhase(a, JobPhase.Running);
    h.awaitPhase(aWorker, JobPhase.Running);
    h.awaitPhase(aLauncher, JobPhase.Running);
    h.client.pods().inNamespace(NS).withName("a-launcher").delete(); // job a's launcher
    assertEquals("LauncherLost", h.awaitPhase(a, JobPhase.Failed).getReason());
    h.kubelet.launcherRunTime(Duration.ofMillis(300));
    assertNull(h.awaitPhase(aWorker, JobPhase.Completed).getRestartCount());
    assertNull(h.awaitPhase(aLauncher, JobPhase.Completed).getRestartCount());
  }

  // --- each disruption at each phase it can happen in ---------------------------------------------------

  /**
   * With {@code backoffLimit: 1}: a loss costs one restart and the job still completes; an eviction (a disruption),
   * suspend and resume cost none; cancel ends it. The watcher checks the attempts never overlap.
   */
  @ParameterizedTest(name = "{1} while {0}")
  @CsvSource({
      "Queued, worker deleted, 0", "Preparing, worker deleted, 1", "Starting, worker deleted, 1",
      "Running, worker deleted, 1",
      "Preparing, worker evicted, 0", "Starting, worker evicted, 0", "Running, worker evicted, 0",
      "Starting, worker OOM-killed, 1", "Running, worker OOM-killed, 1",
      "Starting, launcher deleted, 1", "Running, launcher deleted, 1",
      "Queued, suspend and resume, 0", "Preparing, suspend and resume, 0", "Starting, suspend and resume, 0",
      "Running, suspend and resume, 0",
      "Queued, cancel, 0", "Preparing, cancel, 0", "Starting, cancel, 0", "Running, cancel, 0"})
  void aDisruptionAtAPhase(JobPhase phase, String disruption, int restarts) {
    ChainerJob job = jobAt(phase);
    switch (disruption) {
      case "worker deleted" -> h.client.pods().inNamespace(NS).withName("train-worker-0").delete();
      case "worker evicted" -> h.kubelet.evict(NS, "train-worker-0");
      case "worker OOM-killed" -> h.kubelet.oomKill(NS, "train-worker-0");
      case "launcher deleted" -> h.client.pods().inNamespace(NS).withName("train-launcher").delete();
      case "suspend and resume" -> {
        h.editPolicy(job, p -> p.setSuspend(true));
        h.await(() -> h.status(job), s -> "Suspended".equals(s.getReason()), "suspended");
        h.editPolicy(job, p -> p.setSuspend(false));
      }
      case "cancel" -> h.editPolicy(job, p -> p.setCancel(true));
      default -> throw new IllegalArgumentException(disruption);
    }
    h.kubelet.scheduling(true).stepDelay(Duration.ZERO).launcherRunTime(Duration.ofMillis(300));
    if (disruption.equals("cancel")) {
      h.awaitPhase(job, JobPhase.Canceled);
      OperatorHarness.await(() -> h.client.pods().inNamespace(NS).list().getItems(), java.util.List::isEmpty,
          "no pods left");
      return;
    }
    ChainerJobStatus done = h.awaitPhase(job, JobPhase.Completed);
    assertEquals(restarts, done.getRestartCount() == null ? 0 : done.getRestartCount(), () -> "restarts; events: "
        + h.events(job).stream().map(e -> e.getReason() + ": " + e.getMessage()).toList());
  }

  /** A job held at a phase: no scheduling (Queued), slow init steps (Preparing, then Starting), or running. */
  private ChainerJob jobAt(JobPhase phase) {
    h.kubelet.scheduling(phase != JobPhase.Queued);
    h.kubelet.stepDelay(phase == JobPhase.Preparing || phase == JobPhase.Starting ? Duration.ofSeconds(2)
        : Duration.ZERO);
    ChainerJob job = h.submit(mpi("runPolicy:\n  backoffLimit: 1"));
    if (phase == JobPhase.Queued) {
      awaitPod("train-worker-0", p -> true);
      awaitPod("train-worker-1", p -> true);
    } else {
      h.awaitPhase(job, phase);
    }
    if (phase == JobPhase.Starting) {
      awaitPod("train-launcher", p -> true);
    }
    return job;
  }

  // --- helpers -----------------------------------------------------------------------------------------

  private static String mpiSpec() {
    return "sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\nnodeCount: 2\n"
        + "distributedTraining:\n  mpi:\n    processCountPerNode: 2\n";
  }

  private ChainerJob runningJob(String extra) {
    ChainerJob job = h.submit(mpi(extra));
    h.awaitPhase(job, JobPhase.Running);
    return job;
  }

  private Pod pod(String name) {
    return h.client.pods().inNamespace(NS).withName(name).get();
  }

  private void awaitPod(String name, Predicate<Pod> condition) {
    OperatorHarness.await(() -> pod(name), condition, "pod " + name);
  }

  private void awaitGone(String name) {
    OperatorHarness.await(() -> pod(name) == null, gone -> gone, name + " removed");
  }

  private void assertWarning(ChainerJob job, String reason, String text) {
    Event event = h.await(() -> h.event(job, reason), java.util.Optional::isPresent, "event " + reason).orElseThrow();
    assertEquals("Warning", event.getType());
    assertTrue(event.getMessage().contains(text), event.getMessage());
  }

}
