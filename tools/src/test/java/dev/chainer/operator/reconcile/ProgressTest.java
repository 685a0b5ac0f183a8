package dev.chainer.operator.reconcile;

import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.api.TrainingProgress;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Training progress on the job's status, read from the launcher's log, end to end. */
class ProgressTest {
  private OperatorHarness h;

  @AfterEach
  void stop() {
    h.close();
  }

  private void start(int intervalSeconds, List<String> output, Duration runTime) {
    OperatorConfig config = OperatorConfig.defaults();
    config.setProgressIntervalSeconds(intervalSeconds);
    h = new OperatorHarness(config, ChainerOperator.Settings.allNamespaces());
    h.kubelet.launcherRunTime(runTime).launcherOutput(output, h.api::appendLog).start();
  }

  private static List<String> chainerOutput() throws Exception {
    // The operator module's test resource, on this module's test classpath through its test jar.
    try (java.io.InputStream in = ProgressTest.class.getResourceAsStream("/progress/chainermn-mnist.log")) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Test
  void progressFromThePrintReportReachesTheStatus() throws Exception {
    // Long enough after its last report for a reading (taken off the reconcile thread, so up to an interval late).
    start(1, chainerOutput(), Duration.ofSeconds(8));
    ChainerJob job = h.submit(mpi("scriptParams:\n  --epoch: 20"));
    ChainerJobStatus running = OperatorHarness.await(() -> h.status(job), s -> s.getPhase() == JobPhase.Running
        && s.getProgress() != null && Long.valueOf(3).equals(s.getProgress().getEpoch()), "epoch 3 on the status");
    TrainingProgress p = running.getProgress();
    assertEquals(20L, p.getTotalEpochs());
    assertEquals(15, p.getPercent());
    assertEquals("0.0611275", p.getMetrics().get("main/loss"));
    assertNotNull(p.getLastUpdateTime());
    assertNotNull(p.getEstimatedSecondsRemaining());
    ChainerJobStatus done = h.awaitPhase(job, JobPhase.Completed);
    assertEquals(100, done.getProgress().getPercent());
    assertEquals(0L, done.getProgress().getEstimatedSecondsRemaining());
  }

  @Test
  void logReadsAndProgressWritesAreThrottled() throws Exception {
    List<String> output = new java.util.ArrayList<>(List.of("epoch       main/loss"));
    for (int epoch = 1; epoch <= 60; epoch++) {
      output.add(String.format("%-10d  %-10s", epoch, "0." + epoch));
    }
    start(2, output, Duration.ofSeconds(6));
    ChainerJob job = h.submit(mpi(""));
    h.awaitPhase(job, JobPhase.Running);
    h.drainRequests();
    h.awaitPhase(job, JobPhase.Completed);
    List<String> requests = h.drainRequests();
    // Reads of the log's tail (the head is read once more, for PrintReport's header, until it is found).
    long reads = requests.stream().filter(r -> r.startsWith("GET") && r.contains("/train-launcher/log")
        && r.contains("tailLines")).count();
    long statusWrites = requests.stream().filter(r -> r.startsWith("PUT") && r.endsWith("/chainerjobs/train/status"))
        .count();
    assertTrue(reads >= 2 && reads <= 5, "one read per 2 s over about 6 s, got " + reads);
    assertTrue(statusWrites <= reads + 3, "progress writes no more often than reads: " + statusWrites);
    // A read is one GET of the log: no list or watch of pods to wait for a launcher known to be running.
    List<String> podQueries = requests.stream().filter(r -> r.startsWith("GET") && r.contains("/pods?")).toList();
    assertEquals(List.of(), podQueries);
  }

  /** Thousands of lines between reports push PrintReport's header out of every tail: it is learnt from the head. */
  @Test
  void aScriptThatPrintsALotBetweenReportsStillHasItsProgress() {
    List<String> output = new java.util.ArrayList<>(List.of("Num epoch: 4",
        "epoch       main/loss   validation/main/loss  main/accuracy  elapsed_time"));
    for (int epoch = 1; epoch <= 4; epoch++) {
      for (int i = 0; i < 1500; i++) {
        output.add("rank 0 batch " + i + ": /usr/lib/python3/dist-packages/chainer/warnings.py:42 UserWarning: noise");
      }
      output.add(String.format("%-10d  %-10s  %-20s  %-13s  %-12s", epoch, "0." + epoch, "0.5", "0.9", epoch * 2));
    }
    start(1, output, Duration.ofSeconds(8));
    ChainerJob job = h.submit(mpi("scriptParams:\n  --epoch: 4"));
    ChainerJobStatus running = OperatorHarness.await(() -> h.status(job), s -> s.getProgress() != null
        && s.getProgress().getEpoch() != null && s.getProgress().getEpoch() >= 2, "epoch 2 or later on the status");
    assertEquals(4L, running.getProgress().getTotalEpochs());
    ChainerJobStatus done = h.awaitPhase(job, JobPhase.Completed);
    OperatorHarness.await(() -> h.status(job), s -> Long.valueOf(4).equals(s.getProgress().getEpoch()),
        "the last epoch once it ended");
    assertEquals(100, h.status(job).getProgress().getPercent());
    assertNotNull(done.getCompletionTime());
  }

  /** A log the API server cannot read (the kubelet unreachable) never holds up the job's phase. */
  @Test
  void anUnreadableLogDelaysNoPhaseChange() throws Exception {
    start(1, chainerOutput(), Duration.ofSeconds(4));
    h.api.logsUnreachable(true);
    ChainerJob job = h.submit(mpi(""));
    h.awaitPhase(job, JobPhase.Running);
    java.time.Instant exited = OperatorHarness.await(() -> {
      var launcher = h.client.pods().inNamespace("team-a").withName("train-launcher").get();
      return launcher != null && "Succeeded".equals(launcher.getStatus().getPhase()) ? java.time.Instant.now() : null;
    }, t -> true, "the launcher's exit");
    h.awaitPhase(job, JobPhase.Completed);
    Duration lag = Duration.between(exited, java.time.Instant.now());
    assertTrue(lag.compareTo(Duration.ofSeconds(5)) < 0, "Completed " + lag + " after the launcher's exit");
    assertNull(h.status(job).getProgress(), "no reading, and none made up");
  }

  /** A run shorter than the interval is never read while it runs: its log is read once after the end. */
  @Test
  void aRunShorterThanTheIntervalEndsWithItsLastEpoch() {
    List<String> output = new ArrayList<>(List.of("epoch       main/loss"));
    for (int epoch = 1; epoch <= 3; epoch++) {
      output.add(String.format("%-10d  %-10s", epoch, "0." + epoch));
    }
    start(30, output, Duration.ofSeconds(1));
    ChainerJob job = h.submit(mpi("scriptParams:\n  --epoch: 3"));
    h.awaitPhase(job, JobPhase.Completed);
    ChainerJobStatus done = OperatorHarness.await(() -> h.status(job), s -> s.getProgress() != null,
        "a reading after the end");
    assertEquals(3L, done.getProgress().getEpoch());
    assertEquals(100, done.getProgress().getPercent());
    assertEquals("0.3", done.getProgress().getMetrics().get("main/loss"));
  }

  @Test
  void aScriptThatReportsNothingHasNoProgress() {
    start(1, List.of("hello from rank 0", "nothing to see"), Duration.ofSeconds(2));
    ChainerJob job = h.submit(mpi(""));
    assertNull(h.awaitPhase(job, JobPhase.Completed).getProgress());
  }

  /**
   * The worst case: a script whose PrintReport header is never found, so the head of the log is still wanted at every
   * interval besides its tail. Still one read per interval, each bounded in bytes.
   */
  @Test
  void atMostOneBoundedLogReadPerInterval() {
    List<String> output = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      output.add("rank 0 batch " + i + ": no report printed");
    }
    start(2, output, Duration.ofSeconds(10));
    ChainerJob job = h.submit(mpi(""));
    h.awaitPhase(job, JobPhase.Running);
    h.drainRequests();
    long started = System.nanoTime();
    h.awaitPhase(job, JobPhase.Completed);
    double seconds = (System.nanoTime() - started) / 1e9;
    List<String> reads = h.drainRequests().stream().filter(r -> r.startsWith("GET") && r.contains("/log?")).toList();
    assertTrue(reads.size() <= Math.ceil(seconds / 2) + 1, reads.size() + " reads in " + seconds + " s: " + reads);
    assertTrue(reads.size() >= 2, "the log was read: " + reads);
    assertTrue(reads.stream().allMatch(r -> r.contains("limitBytes=")), "every read bounded in bytes: " + reads);
  }

  /** A log that cannot be read leaves the progress as it was, says so, and is read again once it can be. */
  @Test
  void anUnreadableLogSaysSoAndIsReadAgainLater() {
    List<String> output = List.of("epoch       main/loss", "1           0.5", "2           0.4");
    start(1, output, Duration.ofSeconds(30));
    h.api.logsUnreachable(true);
    ChainerJob job = h.submit(mpi(""));
    h.awaitPhase(job, JobPhase.Running);
    ChainerJobStatus unread = h.await(() -> h.status(job), s -> progressRead(s).isPresent(), "ProgressRead said");
    Condition said = progressRead(unread).orElseThrow();
    assertEquals("False", said.getStatus());
    assertEquals("LogUnreadable", said.getReason());
    assertTrue(said.getMessage().startsWith("progress not read: the API server answered 500"), said.getMessage());
    assertNull(unread.getProgress(), "no progress made up");
    assertEquals(JobPhase.Running, unread.getPhase());
    h.api.logsUnreachable(false);
    ChainerJobStatus read = h.await(() -> h.status(job), s -> s.getProgress() != null && progressRead(s).isEmpty(),
        "the progress read once the log can be");
    assertTrue(read.getProgress().getEpoch() >= 1, "an epoch of the log: " + read.getProgress().getEpoch());
  }

  private static Optional<Condition> progressRead(ChainerJobStatus s) {
    return s.getConditions() == null ? Optional.empty()
        : s.getConditions().stream().filter(c -> "ProgressRead".equals(c.getType())).findFirst();
  }
}
