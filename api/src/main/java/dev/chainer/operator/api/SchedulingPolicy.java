package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Gang scheduling of the workers, when the operator is configured with a gang scheduler (Volcano or the
 * scheduler-plugins coscheduling plugin): each attempt's workers form one PodGroup, placed together or not at all.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(!has(self.queue) || self.queue.matches(" + CrdSchemaBounds.CEL_OBJECT_NAME + "))"
        + " && (!has(self.priorityClassName) || self.priorityClassName == ''"
        + " || self.priorityClassName.matches(" + CrdSchemaBounds.CEL_OBJECT_NAME + "))",
    message = "queue and priorityClassName must name a Volcano Queue and a PriorityClass: lowercase RFC 1123 "
        + "subdomains")
public class SchedulingPolicy {
  @JsonPropertyDescription("Workers that must be placeable together before any is bound; default nodeCount. The "
      + "launcher is never counted: it is created only once the workers are Ready.")
  @Min(1)
  @Max(Limits.MAX_NODES)
  private Integer minAvailable;

  @JsonPropertyDescription("Volcano queue of the PodGroup.")
  @Size(max = Limits.MAX_REFERENCE_NAME_LENGTH)
  private String queue;

  @JsonPropertyDescription("PriorityClass of the PodGroup.")
  @Size(max = Limits.MAX_REFERENCE_NAME_LENGTH)
  private String priorityClassName;

  @JsonPropertyDescription("Seconds the coscheduling plugin waits for the whole gang before it gives up on a try.")
  @Min(1)
  @Max(Integer.MAX_VALUE)
  private Integer scheduleTimeoutSeconds;

  public Integer getMinAvailable() { return minAvailable; }
  public void setMinAvailable(Integer v) { this.minAvailable = v; }
  public String getQueue() { return queue; }
  public void setQueue(String v) { this.queue = v; }
  public String getPriorityClassName() { return priorityClassName; }
  public void setPriorityClassName(String v) { this.priorityClassName = v; }
  public Integer getScheduleTimeoutSeconds() { return scheduleTimeoutSeconds; }
  public void setScheduleTimeoutSeconds(Integer v) { this.scheduleTimeoutSeconds = v; }
}
