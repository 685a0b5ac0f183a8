package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** What the operator observed of a job. Written only by the operator, only when it changes. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ChainerJobStatus {
  @JsonPropertyDescription("Run state: Queued, Preparing, Starting, Running, Finalizing, Completed, Failed, "
      + "CancelRequested or Canceled.")
  private JobPhase phase;

  @JsonPropertyDescription("Machine-readable reason of the phase, e.g. InvalidSpec, DeadlineExceeded, OOMKilled.")
  private String reason;

  @JsonPropertyDescription("Human-readable explanation of the phase; every validation message for InvalidSpec.")
  private String message;

  @JsonPropertyDescription("Kubernetes-style conditions, each True or False: WorkersReady (MPI jobs), Running, "
      + "Succeeded, Failed, Suspended, Canceled, and Stalled (True while a foreign object holds one of the job's "
      + "names).")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("The metadata.generation this status describes.")
  @Min(0)
  @Max(Limits.MAX_STATUS_COUNT)
  private Long observedGeneration;

  @JsonPropertyDescription("When the job started (RFC 3339).")
  private String startTime;

  @JsonPropertyDescription("When the job reached a terminal phase (RFC 3339).")
  private String completionTime;

  @JsonPropertyDescription("Worker pods that are Ready.")
  @Min(0)
  @Max(Limits.MAX_NODES)
  private Integer readyWorkers;

  @JsonPropertyDescription("Worker pods wanted (nodeCount).")
  @Min(0)
  @Max(Limits.MAX_NODES)
  private Integer totalWorkers;

  @JsonPropertyDescription("readyWorkers/totalWorkers, for kubectl get.")
  private String ready;

  @JsonPropertyDescription("State of the launcher pod.")
  private LauncherStatus launcher;

  @JsonPropertyDescription("How many times the whole job was restarted after a failure.")
  @Min(0)
  @Max(Limits.MAX_BACKOFF_LIMIT)
  private Integer restartCount;

  @JsonPropertyDescription("Which attempt runs now: 0, then one more for each restart after a failure and each "
      + "resume after a suspension. Names the launcher pod and the SSH Secret of the attempt.")
  @Min(0)
  @Max(Integer.MAX_VALUE)
  private Integer attempt;

  @JsonPropertyDescription("When the current suspension began (RFC 3339); absent while not suspended.")
  private String suspendedSince;

  @JsonPropertyDescription("Seconds the job spent suspended after it started: not counted against "
      + "maxRunDurationSeconds.")
  @Min(0)
  @Max(Limits.MAX_STATUS_COUNT)
  private Long suspendedSeconds;

  @JsonPropertyDescription("Training progress read from the launcher's output: epoch, iteration, percent, "
      + "metrics, elapsed time and estimated time remaining.")
  private TrainingProgress progress;

  @JsonPropertyDescription("How many times the job was restarted because the cluster took a pod away (preemption, "
      + "eviction, a lost node): not failures, so not counted in restartCount; bounded by runPolicy.disruptionLimit.")
  @Min(0)
  @Max(Integer.MAX_VALUE)
  private Integer disruptionCount;

  @JsonPropertyDescription("Where the job's results are kept (spec.outputs) and how to read them back; for a job "
      + "without spec.outputs, only a message that what it writes is not kept.")
  private OutputsStatus outputs;

  @JsonPropertyDescription("The snapshot the current attempt resumed from (spec.outputs.checkpoints).")
  private ResumedFrom resumedFrom;

  public JobPhase getPhase() { return phase; }
  public void setPhase(JobPhase v) { this.phase = v; }
  public String getReason() { return reason; }
  public void setReason(String v) { this.reason = v; }
  public String getMessage() { return message; }
  public void setMessage(String v) { this.message = v; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> v) { this.conditions = v; }
  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long v) { this.observedGeneration = v; }
  public String getStartTime() { return startTime; }
  public void setStartTime(String v) { this.startTime = v; }
  public String getCompletionTime() { return completionTime; }
  public void setCompletionTime(String v) { this.completionTime = v; }
  public Integer getReadyWorkers() { return readyWorkers; }
  public void setReadyWorkers(Integer v) { this.readyWorkers = v; }
  public Integer getTotalWorkers() { return totalWorkers; }
  public void setTotalWorkers(Integer v) { this.totalWorkers = v; }
  public String getReady() { return ready; }
  public void setReady(String v) { this.ready = v; }
  public LauncherStatus getLauncher() { return launcher; }
  public void setLauncher(LauncherStatus v) { this.launcher = v; }
  public Integer getRestartCount() { return restartCount; }
  public void setRestartCount(Integer v) { this.restartCount = v; }
  public Integer getAttempt() { return attempt; }

  /** The attempt that runs now; before status.attempt existed, restarts were the only new attempts. */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public int currentAttempt() {
    Integer current = attempt != null ? attempt : restartCount;
    return current == null ? 0 : current;
  }

  public void setAttempt(Integer v) { this.attempt = v; }
  public String getSuspendedSince() { return suspendedSince; }
  public void setSuspendedSince(String v) { this.suspendedSince = v; }
  public Long getSuspendedSeconds() { return suspendedSeconds; }
  public void setSuspendedSeconds(Long v) { this.suspendedSeconds = v; }
  public TrainingProgress getProgress() { return progress; }
  public void setProgress(TrainingProgress v) { this.progress = v; }
  public Integer getDisruptionCount() { return disruptionCount; }
  public void setDisruptionCount(Integer v) { this.disruptionCount = v; }
  public OutputsStatus getOutputs() { return outputs; }
  public void setOutputs(OutputsStatus v) { this.outputs = v; }
  public ResumedFrom getResumedFrom() { return resumedFrom; }
  public void setResumedFrom(ResumedFrom v) { this.resumedFrom = v; }

  @Override
  public boolean equals(Object o) {
    return o instanceof ChainerJobStatus s && phase == s.phase && Objects.equals(reason, s.reason)
        && Objects.equals(message, s.message) && Objects.equals(conditions, s.conditions)
        && Objects.equals(observedGeneration, s.observedGeneration) && Objects.equals(startTime, s.startTime)
        && Objects.equals(completionTime, s.completionTime) && Objects.equals(readyWorkers, s.readyWorkers)
        && Objects.equals(totalWorkers, s.totalWorkers) && Objects.equals(ready, s.ready)
        && Objects.equals(launcher, s.launcher) && Objects.equals(restartCount, s.restartCount)
        && Objects.equals(progress, s.progress) && Objects.equals(attempt, s.attempt)
        && Objects.equals(suspendedSince, s.suspendedSince) && Objects.equals(suspendedSeconds, s.suspendedSeconds)
        && Objects.equals(disruptionCount, s.disruptionCount) && Objects.equals(outputs, s.outputs)
        && Objects.equals(resumedFrom, s.resumedFrom);
  }

  @Override
  public int hashCode() {
    return Objects.hash(phase, reason, message, observedGeneration, startTime, completionTime, readyWorkers,
        totalWorkers, launcher, restartCount);
  }
}
