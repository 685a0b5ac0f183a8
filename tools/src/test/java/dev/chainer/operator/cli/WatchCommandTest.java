package dev.chainer.operator.cli;

import static dev.chainer.operator.testing.TestJobs.minimal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.demo.DemoCommand;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.reconcile.ChainerOperator;
import dev.chainer.operator.testing.OperatorHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `watch JOB`: a line per change when not on a terminal, and an exit status as wait_for_completion's. */
class WatchCommandTest {
  private OperatorHarness h;

  @TempDir
  Path tmp;

  @BeforeEach
  void start() {
    OperatorConfig config = OperatorConfig.defaults();
    config.setProgressIntervalSeconds(1); // progress read every second, as the demo does
    h = new OperatorHarness(config, ChainerOperator.Settings.allNamespaces());
  }

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void followsAJobToCompletionAndExitsZero() {
    h.kubelet.launcherRunTime(Duration.ofSeconds(4)).launcherOutput(DemoCommand.trainerReport(10), h.api::appendLog)
        .start();
    h.submit(minimal("scriptParams:\n  --epoch: 10"));

    Cli watch = Cli.run("watch", "train", "-n", "team-a", "--kubeconfig", Cli.kubeconfig(h, tmp).toString());

    assertEquals(WatchCommand.COMPLETED, watch.code(), watch.out() + watch.err());
    List<String> lines = watch.out().lines().toList();
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("Running  attempt 0")), watch.out());
    assertTrue(lines.stream().anyMatch(l -> l.matches(".*\\[#+-*\\] \\d+%  epoch \\d+/10.*main/loss=.*")),
        "a progress bar with percent, epoch and metrics: " + watch.out());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("Completed (Succeeded): launcher exit code 0")), watch.out());
    assertTrue(lines.get(lines.size() - 1).matches("Completed .*100%  epoch 10/10.*"),
        "the end shows the last epoch reported: " + watch.out());
    assertEquals(lines.size(), lines.stream().distinct().count(), "a line per change, never one repeated");
  }

  @Test
  void aFailedJobExitsOneAndPointsAtItsLog() {
    h.kubelet.launcherRunTime(Duration.ofSeconds(1)).launcherExitCode(3).start();
    h.submit(minimal("runPolicy:\n  backoffLimit: 0"));

    Cli watch = Cli.run("watch", "train", "--plain", "--kubeconfig", Cli.kubeconfig(h, tmp).toString());

    assertEquals(WatchCommand.FAILED, watch.code(), watch.out() + watch.err());
    assertTrue(watch.out().lines().anyMatch(l -> l.startsWith("Failed") && l.contains("exit code 3")), watch.out());
    assertTrue(watch.err().contains("kubectl chainer logs train -n team-a --attempt 0"), watch.err());
  }

  @Test
  void aJobThatDoesNotExistExitsTwo() {
    Cli watch = Cli.run("watch", "nope", "--kubeconfig", Cli.kubeconfig(h, tmp).toString());

    assertEquals(WatchCommand.OTHER, watch.code());
    assertTrue(watch.err().contains("chainerjob nope not found in namespace team-a"), watch.err());
  }

  @Test
  void aRestartIsShownWithItsReason() {
    h.kubelet.launcherRunTime(Duration.ofSeconds(3)).start();
    h.submit(minimal(""));
    Cli watch = Cli.start("watch", "train", "--kubeconfig", Cli.kubeconfig(h, tmp).toString());
    OperatorHarness.await(() -> watch.out(), o -> o.contains("Running"), "Running");
    h.kubelet.preempt("team-a", "train-launcher");

    assertEquals(WatchCommand.COMPLETED, watch.code(), watch.out() + watch.err());
    assertTrue(watch.out().lines().anyMatch(l -> l.startsWith("attempt 1 begins: ")), watch.out());
    assertTrue(watch.out().lines().anyMatch(l -> l.contains("attempt 1") && l.contains("disruptions 1")), watch.out());
  }
}
