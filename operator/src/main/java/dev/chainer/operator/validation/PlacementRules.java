package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.PodSettings;
import dev.chainer.operator.api.VmPriority;
import dev.chainer.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where a role's pods may run: its tolerations and affinity as the API server checks them (named by the user's
 * field, before any object exists), and the node labels the operator derives from computeTarget, vmSize and
 * vmPriority (PodPlacement) against the role's own nodeSelector and required node affinity: the same label asked
 * with two values either silently drops the estimator's setting (the role's nodeSelector wins) or matches no node.
 */
final class PlacementRules {
  private PlacementRules() {}

  static void check(ChainerJobSpec spec, OperatorConfig config, List<Problem> out) {
    if (spec.getKubernetes() == null) {
      return;
    }
    Map<String, String[]> derived = derivedLabels(spec, config);
    for (String role : List.of("launcher", "worker")) {
      PodSettings pod = role.equals("launcher") ? spec.getKubernetes().getLauncher()
          : spec.getKubernetes().getWorker();
      if (pod == null) {
        continue;
      }
      String field = "spec.kubernetes." + role;
      PodSpecRules.tolerations(pod.getTolerations(), field + ".tolerations", out);
      AffinityRules.check(pod.getAffinity(), field + ".affinity", out);
      contradictions(derived, pod, field, out);
    }
  }

  /** Node label -> {value, the spec field it comes from}, as PodPlacement.nodeSelector derives them. */
  private static Map<String, String[]> derivedLabels(ChainerJobSpec spec, OperatorConfig config) {
    Map<String, String[]> labels = new LinkedHashMap<>();
    String target = spec.getComputeTarget();
    if (target != null && !target.isEmpty() && !target.equals("local")) {
      labels.put(config.getComputeTargetNodeLabel(), new String[] {target, "spec.computeTarget"});
    }
    if (spec.getVmSize() != null && !spec.getVmSize().isEmpty()) {
      labels.put(config.getVmSizeNodeLabel(), new String[] {spec.getVmSize(), "spec.vmSize"});
    }
    if (spec.getVmPriority() == VmPriority.LOW_PRIORITY && config.getLowPriorityNodeSelector() != null) {
      config.getLowPriorityNodeSelector().forEach((k, v) -> labels.put(k, new String[] {v, "spec.vmPriority"}));
    }
    return labels;
  }

  private static void contradictions(Map<String, String[]> derived, PodSettings pod, String field,
      List<Problem> out) {
    derived.forEach((label, from) -> {
      String mine = pod.getNodeSelector() == null ? null : pod.getNodeSelector().get(label);
      if (mine != null && !mine.equals(from[0])) {
        out.add(Problem.error(field + ".nodeSelector[" + label + "]", "is " + QueueRules.shown(mine) + ", but "
            + from[1] + " puts the pods on nodes with " + label + "=" + from[0] + ": set one of them"));
      }
      var required = pod.getAffinity() == null || pod.getAffinity().getNodeAffinity() == null ? null
          : pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
      List<NodeSelectorTerm> terms = required == null || required.getNodeSelectorTerms() == null ? List.of()
          : required.getNodeSelectorTerms();
      if (!terms.isEmpty() && terms.stream().allMatch(t -> excludes(t, label, from[0]))) {
        out.add(Problem.error(field + ".affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution",
            "admits no node with " + label + "=" + from[0] + ", which " + from[1] + " requires: no node can match "
            + "both, so the pods would never be scheduled"));
      }
    });
  }

  /** Whether a term (its requirements ANDed) rules out nodes whose label has the value. */
  private static boolean excludes(NodeSelectorTerm term, String label, String value) {
    if (term == null || term.getMatchExpressions() == null) {
      return false;
    }
    for (NodeSelectorRequirement r : term.getMatchExpressions()) {
      if (!label.equals(r.getKey()) || r.getOperator() == null) {
        continue;
      }
      List<String> values = r.getValues() == null ? List.of() : r.getValues();
      boolean excluded = switch (r.getOperator()) {
        case "In" -> !values.contains(value);
        case "NotIn" -> values.contains(value);
        case "DoesNotExist" -> true;
        default -> false;
      };
      if (excluded) {
        return true;
      }
    }
    return false;
  }
}
