package dev.chainer.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.chainer.operator.api.TrainingProgress;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProgressEstimatorTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void percentAndTimeRemainingFromEpochsWhenTheOutputHasNoBar() {
    ProgressReading r = ProgressParser.parse("epoch  main/loss\n5      0.1\n");
    TrainingProgress p = ProgressEstimator.estimate(r, 20L, START, START.plusSeconds(100));
    assertEquals(25, p.getPercent());
    assertEquals(20L, p.getTotalEpochs());
    assertEquals(100L, p.getElapsedSeconds());
    assertEquals(300L, p.getEstimatedSecondsRemaining());
    assertEquals(START.plusSeconds(100).toString(), p.getLastUpdateTime());
  }

  @Test
  void theBarsOwnEstimateWins() throws Exception {
    ProgressReading r = ProgressParser.parse(java.nio.file.Files.readString(
        java.nio.file.Path.of("src/test/resources/progress/progress-bar.log")));
    TrainingProgress p = ProgressEstimator.estimate(r, 99L, START, START.plusSeconds(40));
    assertEquals(14, p.getPercent());
    assertEquals(20L, p.getTotalEpochs(), "the bar's total beats the arguments'");
    assertEquals(232L, p.getEstimatedSecondsRemaining());
  }

  @Test
  void nothingReportedIsNoProgress() {
    assertNull(ProgressEstimator.estimate(ProgressParser.parse("hi"), 10L, START, START));
  }
}
