package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.ImageRegistryDetails;
import dev.chainer.operator.api.PodSettings;
import dev.chainer.operator.api.RunPolicy;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;

/** Rules for what becomes Kubernetes fields: node selection, registry credentials, resources, run policy. */
final class KubernetesRules {
  private KubernetesRules() {}

  static void check(ChainerJobSpec spec, List<Problem> out) {
    if (spec.getComputeTarget() != null && !Rules.isLabelValue(spec.getComputeTarget())) {
      out.add(Problem.error("spec.computeTarget", "must be a node pool name usable as a label value (at most 63 "
          + "letters, digits, '-', '_', '.'), got '" + spec.getComputeTarget() + "'"));
    }
    if (spec.getVmSize() != null && !Rules.isLabelValue(spec.getVmSize())) {
      out.add(Problem.error("spec.vmSize", "must be an instance type usable as a label value, got '"
          + spec.getVmSize() + "'"));
    }
    checkRegistry(spec.getImageRegistryDetails(), "spec.imageRegistryDetails", out);
    if (spec.getEnvironmentDefinition() != null && spec.getEnvironmentDefinition().getDocker() != null) {
      checkRegistry(spec.getEnvironmentDefinition().getDocker().getImageRegistryDetails(),
          "spec.environmentDefinition.docker.imageRegistryDetails", out);
    }
    if (spec.getKubernetes() != null) {
      checkPod(spec.getKubernetes().getLauncher(), "spec.kubernetes.launcher", out);
      checkPod(spec.getKubernetes().getWorker(), "spec.kubernetes.worker", out);
    }
    checkRunPolicy(spec.getRunPolicy(), out);
  }

  private static void checkRegistry(ImageRegistryDetails registry, String field, List<Problem> out) {
    if (registry == null) {
      return;
    }
    boolean credentials = registry.getAddress() != null || registry.getUsername() != null
        || registry.getPasswordSecretRef() != null;
    if (registry.getPullSecretName() != null && credentials) {
      out.add(Problem.error(field, "takes either pullSecretName or address + username + passwordSecretRef, not both"));
    } else if (registry.getPullSecretName() == null && (registry.getAddress() == null
        || registry.getUsername() == null || registry.getPasswordSecretRef() == null
        || registry.getPasswordSecretRef().getName() == null)) {
      out.add(Problem.error(field, "needs pullSecretName, or all of address, username and passwordSecretRef.name"));
    }
  }

  private static void checkPod(PodSettings pod, String field, List<Problem> out) {
    if (pod == null || pod.getResources() == null) {
      return;
    }
    ResourceRequirements resources = pod.getResources();
    checkQuantities(resources.getRequests(), field + ".resources.requests", out);
    checkQuantities(resources.getLimits(), field + ".resources.limits", out);
  }

  private static void checkQuantities(Map<String, Quantity> quantities, String field, List<Problem> out) {
    if (quantities == null) {
      return;
    }
    quantities.forEach((name, quantity) -> {
      String text = quantity == null ? null
          : (quantity.getAmount() == null ? "" : quantity.getAmount())
              + (quantity.getFormat() == null ? "" : quantity.getFormat());
      if (!Rules.isQuantity(text)) {
        out.add(Problem.error(field + "[" + name + "]", "'" + text + "' is not a Kubernetes quantity"));
      }
    });
  }

  private static void checkRunPolicy(RunPolicy policy, List<Problem> out) {
    if (policy == null) {
      return;
    }
    if (policy.getBackoffLimit() != null && policy.getBackoffLimit() < 0) {
      out.add(Problem.error("spec.runPolicy.backoffLimit", "must be 0 or more, got " + policy.getBackoffLimit()));
    }
    if (policy.getTtlSecondsAfterFinished() != null && policy.getTtlSecondsAfterFinished() < 0) {
      out.add(Problem.error("spec.runPolicy.ttlSecondsAfterFinished", "must be 0 or more, got "
          + policy.getTtlSecondsAfterFinished()));
    }
  }
}
