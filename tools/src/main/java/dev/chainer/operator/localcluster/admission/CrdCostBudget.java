package dev.chainer.operator.localcluster.admission;

import dev.cel.common.CelValidationException;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.ArrayList;
import java.util.List;

/**
 * The API server's CEL budget check on a CRD (apiextensions' validation): every rule's estimated cost is multiplied
 * by how many times the rule can run in one object (the product of maxItems / maxProperties of the lists and maps
 * above it, or, under any unbounded one, as many as fit in a request), and the CRD is refused when one rule's
 * product exceeds {@link #RULE_LIMIT} or the sum over all rules exceeds {@link #CRD_LIMIT}.
 */
public final class CrdCostBudget {
  /** StaticEstimatedCostLimit: one rule, times its cardinality. */
  public static final long RULE_LIMIT = 10_000_000L;
  /** StaticEstimatedCRDCostLimit: all rules of a CRD version together. */
  public static final long CRD_LIMIT = 100_000_000L;

  /** One rule's estimate: where it is declared, its cost per evaluation, and times its cardinality. */
  public record RuleCost(String location, String rule, long cost, long cardinality, long total) {}

  private CrdCostBudget() {}

  /** Every rule of a CRD version's schema, with its estimate, in schema order. */
  public static List<RuleCost> rules(JSONSchemaProps root) throws CelValidationException {
    List<RuleCost> out = new ArrayList<>();
    walk(root, CelDeclType.ofResourceRoot(root), "openAPIV3Schema", 1L, out);
    return out;
  }

  /** How the API server words a factor in its refusal (getCostErrorMessage). */
  public static String factor(long cost, long limit) {
    double f = (double) cost / limit;
    if (f > 100) {
      return "more than 100x";
    }
    return f < 1.5 ? String.format(java.util.Locale.ROOT, "%fx", f) : String.format(java.util.Locale.ROOT, "%.1fx", f);
  }

  public static long total(List<RuleCost> rules) {
    long sum = 0;
    for (RuleCost r : rules) {
      sum = r.total() > Long.MAX_VALUE - sum ? Long.MAX_VALUE : sum + r.total();
    }
    return sum;
  }

  /**
   * @param cardinality how many times this node can occur in one object; null when some list or map above it is
   *     unbounded, in which case the node's own smallest JSON size decides
   */
  private static void walk(JSONSchemaProps s, CelDeclType type, String location, Long cardinality,
      List<RuleCost> out) throws CelValidationException {
    if (s == null || type == null) {
      return;
    }
    if (s.getXKubernetesValidations() != null) {
      long times = cardinality != null ? cardinality
          : CelDeclType.MAX_REQUEST_BYTES / (type.minSerializedSize + 1);
      for (var v : s.getXKubernetesValidations()) {
        long cost = CelCostEstimator.estimate(v.getRule(), type).max();
        out.add(new RuleCost(location, v.getRule(), cost, times, multiply(cost, times)));
      }
    }
    if (type.kind == CelDeclType.Kind.LIST) {
      walk(s.getItems().getSchema(), type.elem, location + ".items", times(cardinality, s.getMaxItems()), out);
    } else if (type.kind == CelDeclType.Kind.MAP) {
      walk(s.getAdditionalProperties().getSchema(), type.elem, location + ".additionalProperties",
          times(cardinality, s.getMaxProperties()), out);
    } else if (type.kind == CelDeclType.Kind.OBJECT && s.getProperties() != null) {
      for (var e : s.getProperties().entrySet()) {
        walk(e.getValue(), type.fields.get(e.getKey()), location + ".properties[" + e.getKey() + "]", cardinality,
            out);
      }
    }
  }

  private static Long times(Long cardinality, Long max) {
    return cardinality == null || max == null ? null : multiply(cardinality, max);
  }

  private static long multiply(long a, long b) {
    if (a == 0 || b == 0) {
      return 0;
    }
    return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
  }
}
