package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import java.util.Objects;

/** What the launcher pod is doing. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class LauncherStatus {
  @JsonPropertyDescription("Name of the current launcher pod.")
  private String podName;

  @JsonPropertyDescription("Pod phase of the launcher: Pending, Running, Succeeded or Failed.")
  private String state;

  @JsonPropertyDescription("Exit code of the launcher's training container once it has ended.")
  @Min(Integer.MIN_VALUE)
  @Max(Integer.MAX_VALUE)
  private Integer exitCode;

  @JsonPropertyDescription("Why the launcher ended or waits, e.g. OOMKilled, ImagePullBackOff, Error.")
  private String reason;

  public String getPodName() { return podName; }
  public void setPodName(String v) { this.podName = v; }
  public String getState() { return state; }
  public void setState(String v) { this.state = v; }
  public Integer getExitCode() { return exitCode; }
  public void setExitCode(Integer v) { this.exitCode = v; }
  public String getReason() { return reason; }
  public void setReason(String v) { this.reason = v; }

  @Override
  public boolean equals(Object o) {
    return o instanceof LauncherStatus l && Objects.equals(podName, l.podName) && Objects.equals(state, l.state)
        && Objects.equals(exitCode, l.exitCode) && Objects.equals(reason, l.reason);
  }

  @Override
  public int hashCode() {
    return Objects.hash(podName, state, exitCode, reason);
  }
}
