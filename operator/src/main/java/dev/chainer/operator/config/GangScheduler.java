package dev.chainer.operator.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The gang scheduler of the cluster, whose PodGroups the operator creates for each attempt's workers. */
public enum GangScheduler {
  @JsonProperty("none")
  NONE(null, null, null),
  /** Volcano: scheduling.volcano.sh/v1beta1 PodGroup; pods annotated with scheduling.k8s.io/group-name. */
  @JsonProperty("volcano")
  VOLCANO("scheduling.volcano.sh/v1beta1", "scheduling.k8s.io/group-name", "volcano"),
  /** scheduler-plugins coscheduling: scheduling.x-k8s.io/v1alpha1 PodGroup; pods labelled with its name. */
  @JsonProperty("scheduler-plugins")
  SCHEDULER_PLUGINS("scheduling.x-k8s.io/v1alpha1", "scheduling.x-k8s.io/pod-group", "scheduler-plugins-scheduler");

  private final String apiVersion;
  private final String podKey;
  private final String defaultSchedulerName;

  GangScheduler(String apiVersion, String podKey, String defaultSchedulerName) {
    this.apiVersion = apiVersion;
    this.podKey = podKey;
    this.defaultSchedulerName = defaultSchedulerName;
  }

  public String apiVersion() { return apiVersion; }
  /** The annotation (Volcano) or label (scheduler-plugins) that puts a pod in its PodGroup. */
  public String podKey() { return podKey; }
  public String defaultSchedulerName() { return defaultSchedulerName; }
}
