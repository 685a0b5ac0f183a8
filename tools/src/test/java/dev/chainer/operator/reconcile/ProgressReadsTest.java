package dev.chainer.operator.reconcile;

import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What reading a launcher's log costs: one bounded read per interval at most, and a log that fails costs nothing. */
class ProgressReadsTest {
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
