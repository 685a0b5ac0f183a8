package dev.chainer.operator.status;

import dev.chainer.operator.api.TrainingProgress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;

/** Turns a progress reading into the status's progress: totals, percent, elapsed time and time remaining. */
public final class ProgressEstimator {
  private ProgressEstimator() {}

  /**
   * @param epochsFromArguments the run's length from its own arguments (--epoch), when the output does not say
   * @return null when the reading holds nothing
   */
  public static TrainingProgress estimate(ProgressReading reading, Long epochsFromArguments, Instant started,
      Instant now) {
    if (reading.isEmpty()) {
      return null;
    }
    TrainingProgress p = new TrainingProgress();
    p.setEpoch(reading.epoch());
    p.setIteration(reading.iteration());
    p.setTotalIterations(reading.totalIterations());
    p.setTotalEpochs(reading.totalEpochs() != null ? reading.totalEpochs() : epochsFromArguments);
    p.setMetrics(reading.metrics().isEmpty() ? null : new LinkedHashMap<>(reading.metrics()));
    Double percent = reading.percent();
    if (percent == null && p.getIteration() != null && p.getTotalIterations() != null && p.getTotalIterations() > 0) {
      percent = 100.0 * p.getIteration() / p.getTotalIterations();
    }
    if (percent == null && p.getEpoch() != null && p.getTotalEpochs() != null && p.getTotalEpochs() > 0) {
      percent = 100.0 * p.getEpoch() / p.getTotalEpochs();
    }
    if (percent != null) {
      p.setPercent((int) Math.max(0, Math.min(100, Math.floor(percent))));
    }
    long elapsed = started == null ? 0 : Math.max(0, Duration.between(started, now).toSeconds());
    p.setElapsedSeconds(started == null ? null : elapsed);
    if (reading.secondsRemaining() != null) {
      p.setEstimatedSecondsRemaining(reading.secondsRemaining());
    } else if (percent != null && percent > 0 && started != null) {
      p.setEstimatedSecondsRemaining(Math.round(elapsed * (100 - percent) / percent));
    }
    p.setLastUpdateTime(now.toString());
    return p;
  }
}
