package dev.chainer.operator.status;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.Optional;

/**
 * How the cluster took a pod away, as the pod itself says. Since Kubernetes 1.26 whatever removes a pod that did
 * not fail first marks it with the condition DisruptionTarget=True and a reason: PreemptionByScheduler (called
 * PreemptionByKubeScheduler in 1.26), EvictionByEvictionAPI, TerminationByKubelet (node pressure, graceful node
 * shutdown), DeletionByTaintManager (a NoExecute taint such as an unreachable node), DeletionByPodGC (the node is
 * gone). Older servers mark only a node-pressure eviction, with the pod's reason Evicted.
 */
public enum Disruption {
  PREEMPTED("was preempted by the scheduler for a pod of higher priority"),
  EVICTED("was evicted"),
  NODE_LOST("was removed with its node (lost, or tainted NoExecute)");

  public static final String CONDITION = "DisruptionTarget";
  private final String sentence;

  Disruption(String sentence) {
    this.sentence = sentence;
  }

  /** What happened, to follow "worker pod x". */
  public String sentence() {
    return sentence;
  }

  public static Optional<Disruption> of(Pod pod) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    if (pod.getStatus().getConditions() != null) {
      for (PodCondition c : pod.getStatus().getConditions()) {
        if (CONDITION.equals(c.getType()) && "True".equals(c.getStatus())) {
          return Optional.of(ofReason(c.getReason()));
        }
      }
    }
    return "Evicted".equals(pod.getStatus().getReason()) ? Optional.of(EVICTED) : Optional.empty();
  }

  /** The condition's reason; one this operator does not know yet is still a disruption (an eviction). */
  static Disruption ofReason(String reason) {
    if (reason == null) {
      return EVICTED;
    }
    return switch (reason) {
      case "PreemptionByScheduler", "PreemptionByKubeScheduler" -> PREEMPTED;
      case "DeletionByTaintManager", "DeletionByPodGC" -> NODE_LOST;
      default -> EVICTED;
    };
  }

  /** The disruption of a pod, as the attempt's failure: reason, the pod, and what its condition said. */
  static Optional<AttemptFailure> failure(Pod pod, boolean launcher) {
    String name = pod.getMetadata().getName();
    return of(pod).map(d -> new AttemptFailure(FailureReason.disruption(launcher, d), name,
        (launcher ? "launcher pod " : "worker pod ") + name + " " + d.sentence() + detail(pod)));
  }

  private static String detail(Pod pod) {
    if (pod.getStatus().getConditions() != null) {
      for (PodCondition c : pod.getStatus().getConditions()) {
        if (CONDITION.equals(c.getType()) && "True".equals(c.getStatus())) {
          return " (" + c.getReason() + (c.getMessage() == null || c.getMessage().isBlank() ? "" : ": "
              + c.getMessage()) + ")";
        }
      }
    }
    return PodFacts.podMessage(pod);
  }
}
