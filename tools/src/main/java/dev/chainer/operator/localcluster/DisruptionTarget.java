package dev.chainer.operator.localcluster;

import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod condition {@code DisruptionTarget=True} that Kubernetes (1.26+, feature PodDisruptionConditions, GA in 1.31)
 * writes on a pod it is about to take away, so that its owner can tell a disruption from a failure (batch/v1 Job's
 * podFailurePolicy matches on it). Reasons and messages are the ones Kubernetes writes, each from the component that
 * writes it (k8s.io/api/core/v1 PodReason* constants and the components' own literals).
 */
public final class DisruptionTarget {
  public static final String TYPE = "DisruptionTarget";
  /** kube-scheduler's preemption (pkg/scheduler/framework/preemption); 1.26 alone said PreemptionByKubeScheduler. */
  public static final String PREEMPTION_BY_SCHEDULER = "PreemptionByScheduler";
  /** The Eviction API, the pods/eviction subresource (pkg/registry/core/pod/storage/eviction.go). */
  public static final String EVICTION_BY_EVICTION_API = "EvictionByEvictionAPI";
  /** Taint-based eviction of a pod that does not tolerate a NoExecute taint (pkg/controller/tainteviction). */
  public static final String DELETION_BY_TAINT_MANAGER = "DeletionByTaintManager";
  /** The pod garbage collector removing a pod whose node no longer exists (pkg/controller/podgc). */
  public static final String DELETION_BY_POD_GC = "DeletionByPodGC";
  /** The kubelet itself: node-pressure eviction (pkg/kubelet/eviction), graceful node shutdown (nodeshutdown). */
  public static final String TERMINATION_BY_KUBELET = "TerminationByKubelet";

  /** The scheduler's message names the preemptor's scheduler: {@code default-scheduler: preempting ...}. */
  public static String preemptionMessage(String schedulerName) {
    return schedulerName + ": preempting to accommodate a higher priority pod";
  }

  public static final String EVICTION_API_MESSAGE = "Eviction API: evicting";
  public static final String TAINT_MANAGER_MESSAGE = "Taint manager: deleting due to NoExecute taint";
  public static final String POD_GC_MESSAGE = "PodGC: node no longer exists";
  /** nodeshutdown's nodeShutdownMessage, also the pod's status message (status reason {@code Terminated}). */
  public static final String NODE_SHUTDOWN_MESSAGE = "Pod was terminated in response to imminent node shutdown.";

  private DisruptionTarget() {}

  public static PodCondition condition(String reason, String message) {
    return new PodConditionBuilder().withType(TYPE).withStatus("True").withReason(reason).withMessage(message)
        .withLastTransitionTime(now()).build();
  }

  /**
   * apipod.UpdatePodCondition: the condition replaces one of its type in place (keeping its lastTransitionTime when
   * the status is unchanged) or is appended. Returns the same status object, changed.
   */
  static PodStatus with(PodStatus status, PodCondition condition) {
    List<PodCondition> conditions = new ArrayList<>(status.getConditions() == null ? List.of()
        : status.getConditions());
    boolean replaced = false;
    for (int i = 0; i < conditions.size(); i++) {
      PodCondition old = conditions.get(i);
      if (condition.getType().equals(old.getType())) {
        if (condition.getStatus().equals(old.getStatus())) {
          condition.setLastTransitionTime(old.getLastTransitionTime());
        }
        conditions.set(i, condition);
        replaced = true;
      }
    }
    if (!replaced) {
      conditions.add(condition);
    }
    status.setConditions(conditions);
    return status;
  }

  /** Whether a pod's status carries the condition, True. */
  public static boolean isOn(PodStatus status) {
    return status != null && status.getConditions() != null && status.getConditions().stream()
        .anyMatch(c -> TYPE.equals(c.getType()) && "True".equals(c.getStatus()));
  }

  /** Conditions' times are RFC 3339 in whole seconds, as metav1.Time serializes. */
  static String now() {
    return Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
  }
}
