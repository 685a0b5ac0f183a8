package dev.chainer.operator.localcluster;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.PodResource;

/**
 * What the control plane does when it takes a pod away, each as the component that does it calls the API (so it also
 * works against a real API server): mark the pod {@code DisruptionTarget=True} with the component's reason, then
 * delete it. A graceful deletion leaves the pod to its kubelet (SIGTERM, exit 143, removal: {@link SimulatedKubelet});
 * the pod garbage collector's is forced. Without disruption conditions (a server before 1.26, or the feature gate
 * off) each only deletes, as they did then.
 */
final class Disruptions {
  private final KubernetesClient client;
  private volatile boolean conditions = true;

  Disruptions(KubernetesClient client) {
    this.client = client;
  }

  void conditions(boolean on) {
    this.conditions = on;
  }

  boolean conditions() {
    return conditions;
  }

  /**
   * kube-scheduler preempts the pod for a higher-priority one (preemption.go, prepareCandidate): it patches the
   * victim's status with the condition, naming the preemptor's scheduler, then deletes it with the default grace.
   */
  void preempt(String namespace, String name) {
    Pod pod = pod(namespace, name).get();
    if (pod == null) {
      return;
    }
    String scheduler = pod.getSpec().getSchedulerName() == null ? "default-scheduler"
        : pod.getSpec().getSchedulerName();
    markThenDelete(pod(namespace, name), DisruptionTarget.condition(DisruptionTarget.PREEMPTION_BY_SCHEDULER,
        DisruptionTarget.preemptionMessage(scheduler)));
  }

  /**
   * The taint eviction controller deletes a pod that does not tolerate a NoExecute taint its node got
   * (taint_eviction.go, addConditionAndDeletePod): the condition, then a delete with the default grace.
   */
  void taintEvict(String namespace, String name) {
    markThenDelete(pod(namespace, name), DisruptionTarget.condition(DisruptionTarget.DELETION_BY_TAINT_MANAGER,
        DisruptionTarget.TAINT_MANAGER_MESSAGE));
  }

  /**
   * A drain (kubectl drain, an autoscaler, Kueue) asks the Eviction API: POST pods/{name}/eviction, policy/v1. The API
   * server adds the condition and deletes the pod gracefully; false when it answers 429 (a disruption budget says no).
   */
  boolean evictThroughApi(String namespace, String name) {
    return pod(namespace, name).evict(new EvictionBuilder().withNewMetadata().withName(name).withNamespace(namespace)
        .endMetadata().build());
  }

  /**
   * The pod's node is gone: the pod garbage collector (gc_controller.go, gcOrphaned,
   * markFailedAndDeletePodWithCondition) patches a pod that has not ended to phase Failed with the condition (nothing
   * else reports it: no kubelet is left), then deletes it with grace 0, so it goes at once. Before 1.26 it only
   * force-deleted.
   */
  void loseNode(String namespace, String name) {
    PodResource resource = pod(namespace, name);
    Pod pod = resource.get();
    String phase = pod == null || pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if (pod != null && conditions && !"Succeeded".equals(phase) && !"Failed".equals(phase)) {
      PodCondition condition = DisruptionTarget.condition(DisruptionTarget.DELETION_BY_POD_GC,
          DisruptionTarget.POD_GC_MESSAGE);
      resource.editStatus(p -> {
        PodStatus status = p.getStatus() == null ? new PodStatus() : p.getStatus();
        status.setPhase("Failed");
        p.setStatus(DisruptionTarget.with(status, condition));
        return p;
      });
    }
    resource.withGracePeriod(0).delete();
  }

  private void markThenDelete(PodResource resource, PodCondition condition) {
    if (conditions) {
      resource.editStatus(p -> {
        p.setStatus(DisruptionTarget.with(p.getStatus() == null ? new PodStatus() : p.getStatus(), condition));
        return p;
      });
    }
    resource.delete();
  }

  private PodResource pod(String namespace, String name) {
    return client.pods().inNamespace(namespace).withName(name);
  }
}
