package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/** The snapshot the current attempt resumed from, as its launcher announced it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ResumedFrom {
  @JsonPropertyDescription("Path of the snapshot in the training containers.")
  private String path;

  @JsonPropertyDescription("Training iteration of the snapshot (the number in its name).")
  @Min(0)
  @Max(Limits.MAX_STATUS_COUNT)
  private Long iteration;

  @JsonPropertyDescription("The attempt that resumed from it.")
  @Min(0)
  @Max(Integer.MAX_VALUE)
  private Integer attempt;

  public String getPath() { return path; }
  public void setPath(String v) { this.path = v; }
  public Long getIteration() { return iteration; }
  public void setIteration(Long v) { this.iteration = v; }
  public Integer getAttempt() { return attempt; }
  public void setAttempt(Integer v) { this.attempt = v; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResumedFrom r && Objects.equals(path, r.path) && Objects.equals(iteration, r.iteration)
        && Objects.equals(attempt, r.attempt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(path, iteration, attempt);
  }
}
