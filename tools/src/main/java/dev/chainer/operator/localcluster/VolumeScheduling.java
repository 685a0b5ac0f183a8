package dev.chainer.operator.localcluster;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.List;
import java.util.Optional;

/**
 * The scheduler's VolumeBinding plugin, PreFilter step (pkg/scheduler/framework/plugins/volumebinding): a pod whose
 * PersistentVolumeClaim does not exist, is being deleted, has lost its volume, or is not yet bound is not placed on
 * any node. The scheduler then reports it on the pod's PodScheduled condition (False, Unschedulable) with its
 * FitError message, and tries again when claims change; {@link SimulatedKubelet} retries every tick.
 *
 * <p>Generic ephemeral volumes are not modelled (no ephemeral volume controller creates their claims), and every
 * unbound claim counts as an "immediate" one (no StorageClass says WaitForFirstConsumer here).
 */
final class VolumeScheduling {
  private final KubernetesClient client;
  /** Started on first need: a cluster the simulated kubelet runs against may not let it list claims otherwise. */
  private volatile SharedIndexInformer<PersistentVolumeClaim> claims;

  VolumeScheduling(KubernetesClient client) {
    this.client = client;
  }

  /** Why the pod cannot be scheduled, as the PodScheduled condition's message; empty when its volumes allow it. */
  Optional<String> unschedulable(Pod pod) {
    List<String> claimNames = claimNames(pod);
    if (claimNames.isEmpty()) {
      return Optional.empty();
    }
    boolean unbound = false;
    for (String name : claimNames) {
      PersistentVolumeClaim claim = claims().getStore().getByKey(pod.getMetadata().getNamespace() + "/" + name);
      String phase = claim == null || claim.getStatus() == null ? null : claim.getStatus().getPhase();
      // podHasPVCs: the first claim that cannot be used at all ends the check with the lister's or its own error.
      if (claim == null) {
        return Optional.of(fitError("persistentvolumeclaim \"" + name + "\" not found"));
      }
      if ("Lost".equals(phase)) {
        return Optional.of(fitError("persistentvolumeclaim \"" + name + "\" bound to non-existent persistentvolume \""
            + claim.getSpec().getVolumeName() + "\""));
      }
      if (claim.getMetadata().getDeletionTimestamp() != null) {
        return Optional.of(fitError("persistentvolumeclaim \"" + name + "\" is being deleted"));
      }
      unbound |= !"Bound".equals(phase);
    }
    return unbound ? Optional.of(fitError("pod has unbound immediate PersistentVolumeClaims")) : Optional.empty();
  }

  /**
   * FitError.Error() for a PreFilter rejection, then DefaultPreemption's PostFilter message, which on an
   * UnschedulableAndUnresolvable rejection finds no node where preemption would help.
   */
  private static String fitError(String reason) {
    return NodeFit.fitError(reason, NodeFit.NOT_HELPFUL);
  }

  private static List<String> claimNames(Pod pod) {
    List<Volume> volumes = pod.getSpec().getVolumes() == null ? List.of() : pod.getSpec().getVolumes();
    return volumes.stream().filter(v -> v.getPersistentVolumeClaim() != null)
        .map(v -> v.getPersistentVolumeClaim().getClaimName()).toList();
  }

  private SharedIndexInformer<PersistentVolumeClaim> claims() {
    if (claims == null) {
      synchronized (this) {
        if (claims == null) {
          claims = client.persistentVolumeClaims().inAnyNamespace().inform();
        }
      }
    }
    return claims;
  }

  void close() {
    if (claims != null) {
      claims.close();
    }
  }
}
