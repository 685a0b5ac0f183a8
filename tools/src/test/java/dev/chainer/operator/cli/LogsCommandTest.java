package dev.chainer.operator.cli;

import static dev.chainer.operator.testing.TestJobs.minimal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.testing.OperatorHarness;
import dev.chainer.operator.testing.WithOperator;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `logs JOB [-f] [--attempt N]`: the launcher's output, whichever pod of whichever attempt holds it. */
class LogsCommandTest extends WithOperator {
  @TempDir
  Path tmp;

  private static List<String> output(int lines) {
    List<String> out = new ArrayList<>();
    for (int i = 1; i <= lines; i++) {
      out.add("training line " + i);
    }
    return out;
  }

  @Test
  void followsTheOutputAcrossARestartWithAMarkerAtEachAttempt() {
    h.kubelet.launcherRunTime(Duration.ofSeconds(6)).launcherOutput(output(30), h.api::appendLog).start();
    h.submit(minimal(""));
    Cli logs = Cli.start("logs", "train", "-f", "--kubeconfig", Cli.kubeconfig(h, tmp).toString());
    OperatorHarness.await(logs::out, o -> o.contains("training line 3\n"), "the first attempt's output");
    h.kubelet.preempt("team-a", "train-launcher");

    assertEquals(0, logs.code(), logs.out() + logs.err());
    String out = logs.out();
    int first = out.indexOf("--- attempt 0 (launcher train-launcher) ---\n");
    int second = out.indexOf("--- attempt 1 (launcher train-launcher-1) ---\n");
    assertTrue(first == 0 && second > first, out);
    assertTrue(out.substring(second).contains("training line 30\n"), "the second attempt to its end: " + out);
    assertTrue(out.substring(first, second).contains("training line 1\n"), out);
    assertEquals(JobPhase.Completed, h.status(h.get(minimal(""))).getPhase());
    // Nothing printed twice within an attempt, though the stream was opened again.
    List<String> attempt1 = out.substring(second).lines().toList();
    assertEquals(attempt1.size(), attempt1.stream().distinct().count(), out);
  }

  @Test
  void printsAGivenAttemptAndSaysWhenThereIsNone() {
    h.kubelet.launcherRunTime(Duration.ofSeconds(1)).launcherOutput(output(5), h.api::appendLog).start();
    var job = h.submit(minimal(""));
    h.awaitPhase(job, JobPhase.Completed);
    String kubeconfig = Cli.kubeconfig(h, tmp).toString();

    Cli logs = Cli.run("logs", "train", "--attempt", "0", "--kubeconfig", kubeconfig);
    assertEquals(0, logs.code(), logs.err());
    assertTrue(logs.out().startsWith("training line 1\n") && logs.out().contains("training line 5\n"), logs.out());
    assertFalse(logs.out().contains("--- attempt"), "no marker without -f");

    Cli missing = Cli.run("logs", "train", "--attempt", "4", "--kubeconfig", kubeconfig);
    assertEquals(1, missing.code());
    assertTrue(missing.err().contains("no launcher pod train-launcher-4 for attempt 4"), missing.err());
  }
}
