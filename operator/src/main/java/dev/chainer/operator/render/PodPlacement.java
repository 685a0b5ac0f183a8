package dev.chainer.operator.render;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.PodSettings;
import dev.chainer.operator.api.VmPriority;
import dev.chainer.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Where and as whom a job's pods run: computeTarget, vmSize and vmPriority as node selectors and
 * tolerations, merged with the role's Kubernetes settings (which win on the same key), plus pull secrets.
 */
public final class PodPlacement {
  private PodPlacement() {}

  public static void apply(PodSpecBuilder pod, RenderContext ctx, PodSettings role) {
    pod.withNodeSelector(nodeSelector(ctx.spec(), ctx.config(), role))
        .withTolerations(tolerations(ctx.spec(), ctx.config(), role))
        .withAffinity(role.getAffinity())
        .withPriorityClassName(role.getPriorityClassName())
        .withServiceAccountName(role.getServiceAccountName())
        .withSchedulerName(role.getSchedulerName())
        .withImagePullSecrets(pullSecrets(ctx));
  }

  static Map<String, String> nodeSelector(ChainerJobSpec spec, OperatorConfig config, PodSettings role) {
    Map<String, String> selector = new TreeMap<>();
    String target = spec.getComputeTarget();
    if (target != null && !target.isEmpty() && !target.equals("local")) {
      selector.put(config.getComputeTargetNodeLabel(), target);
    }
    if (spec.getVmSize() != null && !spec.getVmSize().isEmpty()) {
      selector.put(config.getVmSizeNodeLabel(), spec.getVmSize());
    }
    if (spec.getVmPriority() == VmPriority.LOW_PRIORITY) {
      selector.putAll(config.getLowPriorityNodeSelector());
    }
    if (role.getNodeSelector() != null) {
      selector.putAll(role.getNodeSelector());
    }
    return selector.isEmpty() ? null : selector;
  }

  static List<Toleration> tolerations(ChainerJobSpec spec, OperatorConfig config, PodSettings role) {
    List<Toleration> tolerations = new ArrayList<>();
    if (spec.getVmPriority() == VmPriority.LOW_PRIORITY) {
      tolerations.addAll(config.getLowPriorityTolerations());
    }
    if (role.getTolerations() != null) {
      tolerations.addAll(role.getTolerations());
    }
    return tolerations.isEmpty() ? null : tolerations;
  }

  static List<LocalObjectReference> pullSecrets(RenderContext ctx) {
    var registry = ctx.effective().imageRegistryDetails();
    if (registry == null) {
      return null;
    }
    String name = registry.getPullSecretName() != null ? registry.getPullSecretName()
        : ctx.names().registrySecret();
    return List.of(new LocalObjectReference(name));
  }
}
