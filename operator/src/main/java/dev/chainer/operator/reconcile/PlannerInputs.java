package dev.chainer.operator.reconcile;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Objects;

/**
 * The fields of the job's objects that the planner reads: an update of an object that changes none of them cannot
 * change what the planner decides, so it triggers no reconcile. Most updates are of that kind: the StatefulSet
 * controller writes its status (which the planner never reads: ready workers are counted from the pods) after each
 * of its pods changes, and the kubelet writes a pod's IPs, image ids and container ids in updates of their own. Each
 * filter compares only fields its informer keeps (the reconciler's reduced caches); a field the planner starts
 * reading must be added here too.
 */
final class PlannerInputs {
  private PlannerInputs() {}

  /** Labels, owners and uid: whose object it is and of which attempt (all a Service, ConfigMap or Secret is read for). */
  static boolean ownershipChanged(HasMetadata now, HasMetadata before) {
    ObjectMeta a = now.getMetadata();
    ObjectMeta b = before.getMetadata();
    return !Objects.equals(a.getLabels(), b.getLabels()) || !Objects.equals(a.getOwnerReferences(),
        b.getOwnerReferences()) || !Objects.equals(a.getUid(), b.getUid());
  }

  /** Ownership, annotations (the run spec, the workers' uids) and the deletion of a pod or StatefulSet. */
  static boolean metadataChanged(HasMetadata now, HasMetadata before) {
    return ownershipChanged(now, before)
        || !Objects.equals(now.getMetadata().getAnnotations(), before.getMetadata().getAnnotations())
        || !Objects.equals(now.getMetadata().getDeletionTimestamp(), before.getMetadata().getDeletionTimestamp());
  }

  /** A worker StatefulSet: its metadata, generation (an edit) and replicas (a scale); never its status. */
  static boolean statefulSetChanged(StatefulSet now, StatefulSet before) {
    return metadataChanged(now, before)
        || !Objects.equals(now.getMetadata().getGeneration(), before.getMetadata().getGeneration())
        || !Objects.equals(now.getSpec() == null ? null : now.getSpec().getReplicas(),
            before.getSpec() == null ? null : before.getSpec().getReplicas());
  }

  /**
   * A pod: its metadata and what its status says of its life (phase, reason, message, conditions, each container's
   * state, readiness and restarts); not its IPs, QoS class, images or container ids.
   */
  static boolean podChanged(Pod now, Pod before) {
    if (metadataChanged(now, before)) {
      return true;
    }
    PodStatus a = now.getStatus();
    PodStatus b = before.getStatus();
    if (a == null || b == null) {
      return a != b;
    }
    return !Objects.equals(a.getPhase(), b.getPhase()) || !Objects.equals(a.getReason(), b.getReason())
        || !Objects.equals(a.getMessage(), b.getMessage())
        || !Objects.equals(conditions(a.getConditions()), conditions(b.getConditions()))
        || !Objects.equals(containers(a.getContainerStatuses()), containers(b.getContainerStatuses()))
        || !Objects.equals(containers(a.getInitContainerStatuses()), containers(b.getInitContainerStatuses()));
  }

  private record ConditionRead(String type, String status, String reason, String message, String since) {}

  private static List<ConditionRead> conditions(List<PodCondition> conditions) {
    return conditions == null ? List.of() : conditions.stream().map(c -> new ConditionRead(c.getType(),
        c.getStatus(), c.getReason(), c.getMessage(), c.getLastTransitionTime())).toList();
  }

  private record ContainerRead(String name, Boolean ready, Integer restarts, Object state, Object lastState) {}

  private static List<ContainerRead> containers(List<ContainerStatus> statuses) {
    return statuses == null ? List.of() : statuses.stream().map(s -> new ContainerRead(s.getName(), s.getReady(),
        s.getRestartCount(), s.getState(), s.getLastState())).toList();
  }
}
