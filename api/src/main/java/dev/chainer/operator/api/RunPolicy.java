package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** How the operator runs the job: retries, clean-up, suspension and cancellation. Editable at any time. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class RunPolicy {
  @Min(0)
  @Max(Limits.MAX_BACKOFF_LIMIT)
  @JsonPropertyDescription("How many times the whole job (fresh workers and launcher) is restarted after a "
      + "failure; default 0, no automatic retry; at most 100.")
  private Integer backoffLimit;

  @Min(0)
  @Max(Limits.MAX_DISRUPTION_LIMIT)
  @JsonPropertyDescription("How many times the job is restarted because the cluster took one of its pods away "
      + "(preemption, eviction, a lost or drained node) before it fails; these restarts do not count against "
      + "backoffLimit. Default 10, at most 1000.")
  private Integer disruptionLimit;

  @JsonPropertyDescription("Which workers are deleted when the job ends: Running (default; frees GPUs at once), "
      + "All or None. The launcher pod always stays for its logs.")
  private CleanPodPolicy cleanPodPolicy;

  @Min(0)
  @Max(Limits.MAX_SECONDS)
  @JsonPropertyDescription("Seconds after the job finished at which the ChainerJob and all it owns are deleted; "
      + "kept forever when unset.")
  private Long ttlSecondsAfterFinished;

  @JsonPropertyDescription("true: remove the job's pods and keep it Queued (Kueue sets this); false resumes it.")
  private Boolean suspend;

  @JsonPropertyDescription("true: cancel the job, keeping its record (CancelRequested, then Canceled).")
  private Boolean cancel;

  @JsonPropertyDescription("Gang scheduling of the workers (when the operator is configured with a gang "
      + "scheduler): minAvailable, queue, priorityClassName, scheduleTimeoutSeconds.")
  private SchedulingPolicy schedulingPolicy;

  public SchedulingPolicy getSchedulingPolicy() { return schedulingPolicy; }
  public void setSchedulingPolicy(SchedulingPolicy v) { this.schedulingPolicy = v; }
  public Integer getDisruptionLimit() { return disruptionLimit; }
  public void setDisruptionLimit(Integer v) { this.disruptionLimit = v; }
  public Integer getBackoffLimit() { return backoffLimit; }
  public void setBackoffLimit(Integer v) { this.backoffLimit = v; }
  public CleanPodPolicy getCleanPodPolicy() { return cleanPodPolicy; }
  public void setCleanPodPolicy(CleanPodPolicy v) { this.cleanPodPolicy = v; }
  public Long getTtlSecondsAfterFinished() { return ttlSecondsAfterFinished; }
  public void setTtlSecondsAfterFinished(Long v) { this.ttlSecondsAfterFinished = v; }
  public Boolean getSuspend() { return suspend; }
  public void setSuspend(Boolean v) { this.suspend = v; }
  public Boolean getCancel() { return cancel; }
  public void setCancel(Boolean v) { this.cancel = v; }
}
