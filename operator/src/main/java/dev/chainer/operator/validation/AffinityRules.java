package dev.chainer.operator.validation;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.List;
import java.util.Set;

/**
 * A role's affinity ({@code spec.kubernetes.<role>.affinity}), checked as the API server checks a pod's
 * (pkg/apis/core/validation: validateAffinity and what it calls), so that the job is refused at the door instead of
 * its workers' StatefulSet being refused (or its pods never scheduled) later. Each rule cites its function there.
 */
final class AffinityRules {
  private static final Set<String> NODE_OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist", "Gt", "Lt");
  private static final Set<String> LABEL_OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  private AffinityRules() {}

  static void check(Affinity affinity, String field, List<Problem> out) {
    if (affinity == null) {
      return;
    }
    if (affinity.getNodeAffinity() != null) {
      var node = affinity.getNodeAffinity();
      String at = field + ".nodeAffinity";
      if (node.getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
        required(node.getRequiredDuringSchedulingIgnoredDuringExecution(),
            at + ".requiredDuringSchedulingIgnoredDuringExecution", out);
      }
      var preferred = node.getPreferredDuringSchedulingIgnoredDuringExecution();
      for (int i = 0; preferred != null && i < preferred.size(); i++) {
        String term = at + ".preferredDuringSchedulingIgnoredDuringExecution[" + i + "]";
        weight(preferred.get(i).getWeight(), term, out);
        if (preferred.get(i).getPreference() == null) {
          out.add(Problem.error(term + ".preference", "is required (a node selector term)"));
        } else {
          term(preferred.get(i).getPreference(), term + ".preference", out);
        }
      }
    }
    if (affinity.getPodAffinity() != null) {
      podTerms(affinity.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(),
          affinity.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(), field + ".podAffinity", out);
    }
    if (affinity.getPodAntiAffinity() != null) {
      podTerms(affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution(),
          affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution(),
          field + ".podAntiAffinity", out);
    }
  }

  /**
   * ValidateNodeSelector: at least one term. A term with no requirement at all is accepted by the server but
   * matches no node (the pods would stay Pending for ever), so it is refused here too.
   */
  private static void required(NodeSelector selector, String field, List<Problem> out) {
    List<NodeSelectorTerm> terms = selector.getNodeSelectorTerms();
    if (terms == null || terms.isEmpty()) {
      out.add(Problem.error(field + ".nodeSelectorTerms", "must have at least one node selector term, as Kubernetes "
          + "requires of a required node affinity"));
      return;
    }
    for (int i = 0; i < terms.size(); i++) {
      term(terms.get(i), field + ".nodeSelectorTerms[" + i + "]", out);
    }
  }

  /** ValidateNodeSelectorTerm and ValidateNodeSelectorRequirement; matchFields takes metadata.name only. */
  private static void term(NodeSelectorTerm term, String field, List<Problem> out) {
    List<NodeSelectorRequirement> expressions = term == null || term.getMatchExpressions() == null ? List.of()
        : term.getMatchExpressions();
    List<NodeSelectorRequirement> fields = term == null || term.getMatchFields() == null ? List.of()
        : term.getMatchFields();
    if (expressions.isEmpty() && fields.isEmpty()) {
      out.add(Problem.error(field, "is empty: a node selector term without matchExpressions or matchFields matches "
          + "no node, so the pods would never be scheduled"));
      return;
    }
    for (int i = 0; i < expressions.size(); i++) {
      NodeSelectorRequirement r = expressions.get(i);
      String at = field + ".matchExpressions[" + i + "]";
      ObjectRules.qualifiedName(r.getKey(), at + ".key", out);
      nodeRequirement(r.getOperator(), r.getValues(), at, out);
    }
    for (int i = 0; i < fields.size(); i++) {
      NodeSelectorRequirement r = fields.get(i);
      String at = field + ".matchFields[" + i + "]";
      if (!"metadata.name".equals(r.getKey())) {
        out.add(Problem.error(at + ".key", "must be metadata.name, the only node field a selector can match, got "
            + QueueRules.shown(r.getKey())));
      }
      if (!"In".equals(r.getOperator()) && !"NotIn".equals(r.getOperator())
          || r.getValues() == null || r.getValues().size() != 1) {
        out.add(Problem.error(at, "must use operator In or NotIn with exactly one value (a node's name), as "
            + "Kubernetes requires of matchFields"));
      }
    }
  }

  private static void nodeRequirement(String operator, List<String> values, String field, List<Problem> out) {
    int n = values == null ? 0 : values.size();
    if (operator == null || !NODE_OPERATORS.contains(operator)) {
      out.add(Problem.error(field + ".operator", "is not a valid node selector operator (In, NotIn, Exists, "
          + "DoesNotExist, Gt, Lt), got " + QueueRules.shown(operator)));
    } else if ((operator.equals("In") || operator.equals("NotIn")) && n == 0) {
      out.add(Problem.error(field + ".values", "must be specified when operator is In or NotIn"));
    } else if ((operator.equals("Exists") || operator.equals("DoesNotExist")) && n > 0) {
      out.add(Problem.error(field + ".values", "may not be specified when operator is Exists or DoesNotExist"));
    } else if ((operator.equals("Gt") || operator.equals("Lt")) && (n != 1 || !isInteger(values.get(0)))) {
      out.add(Problem.error(field + ".values", "must be a single integer when operator is Gt or Lt"));
    }
  }

  private static boolean isInteger(String s) {
    try {
      Long.parseLong(s);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /** validatePodAffinityTerm and validateWeightedPodAffinityTerms. */
  private static void podTerms(List<PodAffinityTerm> required, List<WeightedPodAffinityTerm> preferred, String field,
      List<Problem> out) {
    for (int i = 0; required != null && i < required.size(); i++) {
      podTerm(required.get(i), field + ".requiredDuringSchedulingIgnoredDuringExecution[" + i + "]", out);
    }
    for (int i = 0; preferred != null && i < preferred.size(); i++) {
      String at = field + ".preferredDuringSchedulingIgnoredDuringExecution[" + i + "]";
      weight(preferred.get(i).getWeight(), at, out);
      if (preferred.get(i).getPodAffinityTerm() == null) {
        out.add(Problem.error(at + ".podAffinityTerm", "is required"));
      } else {
        podTerm(preferred.get(i).getPodAffinityTerm(), at + ".podAffinityTerm", out);
      }
    }
  }

  private static void podTerm(PodAffinityTerm term, String field, List<Problem> out) {
    if (term.getTopologyKey() == null || term.getTopologyKey().isEmpty()) {
      out.add(Problem.error(field + ".topologyKey", "can not be empty: it is the node label (such as "
          + "kubernetes.io/hostname) whose nodes count as one place"));
    } else {
      ObjectRules.qualifiedName(term.getTopologyKey(), field + ".topologyKey", out);
    }
    labelSelector(term.getLabelSelector(), field + ".labelSelector", out);
    labelSelector(term.getNamespaceSelector(), field + ".namespaceSelector", out);
  }

  /** ValidateLabelSelectorRequirement (apimachinery's metav1 validation). */
  private static void labelSelector(LabelSelector selector, String field, List<Problem> out) {
    if (selector == null) {
      return;
    }
    if (selector.getMatchLabels() != null) {
      ObjectRules.labels(selector.getMatchLabels(), field + ".matchLabels", out);
    }
    List<LabelSelectorRequirement> expressions = selector.getMatchExpressions() == null ? List.of()
        : selector.getMatchExpressions();
    for (int i = 0; i < expressions.size(); i++) {
      LabelSelectorRequirement r = expressions.get(i);
      String at = field + ".matchExpressions[" + i + "]";
      ObjectRules.qualifiedName(r.getKey(), at + ".key", out);
      int n = r.getValues() == null ? 0 : r.getValues().size();
      String op = r.getOperator();
      if (op == null || !LABEL_OPERATORS.contains(op)) {
        out.add(Problem.error(at + ".operator", "is not a valid label selector operator (In, NotIn, Exists, "
            + "DoesNotExist), got " + QueueRules.shown(op)));
      } else if ((op.equals("In") || op.equals("NotIn")) && n == 0) {
        out.add(Problem.error(at + ".values", "must be specified when operator is In or NotIn"));
      } else if ((op.equals("Exists") || op.equals("DoesNotExist")) && n > 0) {
        out.add(Problem.error(at + ".values", "may not be specified when operator is Exists or DoesNotExist"));
      }
    }
  }

  /** A preferred term's weight: 1 to 100 (validatePreferredSchedulingTerms, validateWeightedPodAffinityTerms). */
  private static void weight(Integer weight, String field, List<Problem> out) {
    if (weight == null || weight < 1 || weight > 100) {
      out.add(Problem.error(field + ".weight", "must be in the range 1-100, got " + weight));
    }
  }
}
