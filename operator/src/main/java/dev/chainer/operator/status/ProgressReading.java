package dev.chainer.operator.status;

import java.util.LinkedHashMap;
import java.util.Map;

/** What the launcher's output said about training progress; every field may be missing. */
public final class ProgressReading {
  static final int MAX_METRICS = 8;

  Long epoch;
  Long totalEpochs;
  Long iteration;
  Long totalIterations;
  Double percent;
  Long secondsRemaining;
  final Map<String, String> metrics = new LinkedHashMap<>();

  public Long epoch() { return epoch; }
  public Long totalEpochs() { return totalEpochs; }
  public Long iteration() { return iteration; }
  public Long totalIterations() { return totalIterations; }
  public Double percent() { return percent; }
  public Long secondsRemaining() { return secondsRemaining; }
  public Map<String, String> metrics() { return metrics; }

  public boolean isEmpty() {
    return epoch == null && iteration == null && percent == null && metrics.isEmpty();
  }

  void metric(String name, String value) {
    if (metrics.containsKey(name) || metrics.size() < MAX_METRICS) {
      metrics.put(name, value);
    }
  }
}
