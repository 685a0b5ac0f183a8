package dev.chainer.operator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.api.LauncherStatus;
import dev.chainer.operator.api.TrainingProgress;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What `watch` shows for a status: pure text, so every rule is checked here without a cluster. */
class ProgressViewTest {
  private static ChainerJobStatus running() {
    ChainerJobStatus s = new ChainerJobStatus();
    s.setPhase(JobPhase.Running);
    s.setAttempt(1);
    s.setRestartCount(1);
    s.setReadyWorkers(2);
    s.setTotalWorkers(2);
    TrainingProgress p = new TrainingProgress();
    p.setPercent(45);
    p.setEpoch(9L);
    p.setTotalEpochs(20L);
    p.setIteration(5400L);
    p.setEstimatedSecondsRemaining(75L);
    p.setMetrics(new java.util.LinkedHashMap<>(Map.of("main/loss", "0.06")));
    s.setProgress(p);
    return s;
  }

  @Test
  void theSummaryHasPhaseAttemptWorkersRestartsBarEpochIterationTimeLeftAndMetrics() {
    assertEquals("Running  attempt 1  workers 2/2  restarts 1  [#########-----------] 45%  epoch 9/20  "
        + "iteration 5400  1m15s left  main/loss=0.06", ProgressView.summary(running()));
  }

  @Test
  void onATerminalTheViewIsABlockRedrawnInPlace() {
    StringWriter text = new StringWriter();
    WatchCommand.LiveText live = WatchCommand.LiveText.terminal(new PrintWriter(text));
    live.show(List.of(), running());
    assertEquals(List.of("Running  attempt 1  workers 2/2  restarts 1",
        "  [#########-----------] 45%  epoch 9/20  iteration 5400  1m15s left", "  main/loss=0.06"),
        text.toString().lines().toList());
    text.getBuffer().setLength(0);
    live.show(List.of("attempt 2 begins: worker lost"), running());
    assertTrue(text.toString().startsWith("\033[3F\033[J" + "attempt 2 begins: worker lost\n"), text.toString());
  }

  @Test
  void aNewAttemptIsAnnouncedWithWhyTheLastOneEnded() {
    ChainerJobStatus before = running();
    ChainerJobStatus after = running();
    after.setAttempt(2);
    after.setPhase(JobPhase.Queued);
    after.setReason("Restarting");
    after.setMessage("the launcher was OOMKilled");
    assertEquals(List.of("attempt 2 begins: the launcher was OOMKilled"), ProgressView.happenings(before, after));
    assertEquals(List.of(), ProgressView.happenings(after, after), "nothing new, nothing said");
  }

  @Test
  void theEndSaysHowWithTheLaunchersExitCode() {
    ChainerJobStatus failed = running();
    failed.setPhase(JobPhase.Failed);
    failed.setReason("Error");
    failed.setMessage("the launcher exited 3");
    LauncherStatus launcher = new LauncherStatus();
    launcher.setExitCode(3);
    failed.setLauncher(launcher);
    assertEquals(List.of("Failed (Error): launcher exit code 3 - the launcher exited 3"),
        ProgressView.happenings(running(), failed));
  }

  @ParameterizedTest
  @CsvSource({"0, 0s", "59, 59s", "75, 1m15s", "3725, 1h02m05s"})
  void timeLeftReadsLikeAClock(long seconds, String shown) {
    assertEquals(shown, ProgressView.duration(seconds));
  }

  @ParameterizedTest
  @CsvSource({"0, [--------------------]", "50, [##########----------]", "100, [####################]",
      "130, [####################]"})
  void theBarIsTwentyCharactersWide(int percent, String bar) {
    assertEquals(bar, ProgressView.bar(percent));
  }
}
