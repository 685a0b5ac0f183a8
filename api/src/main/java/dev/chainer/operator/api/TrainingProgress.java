package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Map;
import java.util.Objects;

/** How far training has got, read from what the script already prints (Chainer's ProgressBar and PrintReport). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrainingProgress {
  @JsonPropertyDescription("Current epoch.")
  @Min(0)
  @Max(Limits.MAX_STATUS_COUNT)
  private Long epoch;

  @JsonPropertyDescription("Epochs the run stops after, when known (from the progress bar or --epoch).")
  @Min(0)
  @Max(Limits.MAX_STATUS_COUNT)
  private Long totalEpochs;

  @JsonPropertyDescription("Current iteration.")
  @Min(0)
  @Max(Limits.MAX_STATUS_COUNT)
  private Long iteration;

  @JsonPropertyDescription("Iterations the run stops after, when the stop trigger counts iterations.")
  @Min(0)
  @Max(Limits.MAX_STATUS_COUNT)
  private Long totalIterations;

  @JsonPropertyDescription("Percent done (0-100).")
  @Min(0)
  @Max(100)
  private Integer percent;

  @JsonPropertyDescription("Last reported values of the metrics, e.g. main/loss, validation/main/accuracy "
      + "(at most 8).")
  private Map<String, String> metrics;

  @JsonPropertyDescription("Seconds since the job started.")
  @Min(0)
  @Max(Limits.MAX_STATUS_COUNT)
  private Long elapsedSeconds;

  @JsonPropertyDescription("Estimated seconds until training ends.")
  @Min(0)
  @Max(Limits.MAX_STATUS_COUNT)
  private Long estimatedSecondsRemaining;

  @JsonPropertyDescription("When this progress was read (RFC 3339).")
  private String lastUpdateTime;

  public Long getEpoch() { return epoch; }
  public void setEpoch(Long v) { this.epoch = v; }
  public Long getTotalEpochs() { return totalEpochs; }
  public void setTotalEpochs(Long v) { this.totalEpochs = v; }
  public Long getIteration() { return iteration; }
  public void setIteration(Long v) { this.iteration = v; }
  public Long getTotalIterations() { return totalIterations; }
  public void setTotalIterations(Long v) { this.totalIterations = v; }
  public Integer getPercent() { return percent; }
  public void setPercent(Integer v) { this.percent = v; }
  public Map<String, String> getMetrics() { return metrics; }
  public void setMetrics(Map<String, String> v) { this.metrics = v; }
  public Long getElapsedSeconds() { return elapsedSeconds; }
  public void setElapsedSeconds(Long v) { this.elapsedSeconds = v; }
  public Long getEstimatedSecondsRemaining() { return estimatedSecondsRemaining; }
  public void setEstimatedSecondsRemaining(Long v) { this.estimatedSecondsRemaining = v; }
  public String getLastUpdateTime() { return lastUpdateTime; }
  public void setLastUpdateTime(String v) { this.lastUpdateTime = v; }

  /** Same training state, ignoring when it was read and the time-derived fields. */
  public boolean sameReadingAs(TrainingProgress o) {
    return o != null && Objects.equals(epoch, o.epoch) && Objects.equals(totalEpochs, o.totalEpochs)
        && Objects.equals(iteration, o.iteration) && Objects.equals(totalIterations, o.totalIterations)
        && Objects.equals(percent, o.percent) && Objects.equals(metrics, o.metrics);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TrainingProgress p && sameReadingAs(p) && Objects.equals(elapsedSeconds, p.elapsedSeconds)
        && Objects.equals(estimatedSecondsRemaining, p.estimatedSecondsRemaining)
        && Objects.equals(lastUpdateTime, p.lastUpdateTime);
  }

  @Override
  public int hashCode() {
    return Objects.hash(epoch, iteration, percent, lastUpdateTime);
  }
}
