package dev.chainer.operator.api;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finishes the generated CRD schema where annotations cannot reach (applied by the CRD generator only).
 * <ul>
 *   <li>Declares apiVersion, kind and a bounded metadata.name / generateName at the root. Without them the API
 *       server costs every CEL rule that reads metadata.name as if the name could fill a whole request.
 *   <li>Gives every integer inside the embedded Kubernetes types (affinity weights, toleration seconds) a minimum
 *       and maximum: an unbounded integer is stored as any int64, and one that its Java field cannot hold would
 *       make the operator's informer fail to read the object.
 *   <li>Gives every toleration the rules the API server checks (pkg/apis/core/validation, ValidateTolerations),
 *       with lengths bounded so that their cost stays small, and a tolerationSeconds of 0 or more.
 *   <li>Gives spec.managedBy the rule Kubernetes has for a Job's managedBy ({@link #MANAGED_BY_PATTERN}), so that
 *       `kubectl apply` refuses a value no controller would ever pick up.
 * </ul>
 */
public final class CrdSchemaBounds implements SchemaCustomizer.Customizer {
  /** Kubernetes' own range for scheduling weights. */
  private static final double MIN_WEIGHT = 1;
  private static final double MAX_WEIGHT = 100;
  private static final String SUBDOMAIN = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
  /**
   * An object's name (apimachinery's IsDNS1123Subdomain) as a CEL string literal of an RE2 pattern, for the rules of
   * the model classes that name Secrets, ConfigMaps, claims, ServiceAccounts, PriorityClasses and queues.
   */
  public static final String CEL_OBJECT_NAME = "'^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'";
  private static final String PATH_SEGMENT = "[-A-Za-z0-9._~%!$&'()*+,;=:]+";
  /**
   * A controller's name, as Kubernetes checks a batch/v1 Job's managedBy (pkg/apis/batch/validation,
   * validateManagedBy with apimachinery's IsDomainPrefixedPath): a DNS-1123 subdomain, '/', then a path of
   * {@code [A-Za-z0-9/-._~%!$&'()*+,;=:]}; here without empty segments ('//', a trailing '/'), which only hide a
   * typo. Read alike by Java and by CEL's RE2.
   */
  public static final String MANAGED_BY_PATTERN = "^" + SUBDOMAIN + "/" + PATH_SEGMENT + "(/" + PATH_SEGMENT + ")*$";
  static final String MANAGED_BY_MESSAGE = "managedBy must be a domain-prefixed path such as "
      + ChainerJobSpec.MANAGED_BY_OPERATOR + " (a lowercase DNS-1123 subdomain, '/', then a path), and not the "
      + "operator's own name in another case";

  @Override
  public JSONSchemaProps apply(JSONSchemaProps root, String input, KubernetesSerialization serialization) {
    Map<String, JSONSchemaProps> properties = new LinkedHashMap<>(root.getProperties());
    properties.putIfAbsent("apiVersion", string(null));
    properties.putIfAbsent("kind", string(null));
    JSONSchemaProps metadata = new JSONSchemaProps();
    metadata.setType("object");
    Map<String, JSONSchemaProps> names = new LinkedHashMap<>(); // ordered: the generated CRD must not vary
    names.put("generateName", string(Limits.MAX_JOB_NAME_LENGTH - 5)); // gets a 5-character random suffix
    names.put("name", string(Limits.MAX_JOB_NAME_LENGTH));
    metadata.setProperties(names);
    properties.put("metadata", metadata);
    root.setProperties(properties);
    boundIntegers(root, null);
    ruleOnManagedBy(properties.get("spec"));
    tolerationRules(properties.get("spec"), null);
    return root;
  }

  /** Each toleration list's items, wherever the spec has one (the launcher's and the workers'). */
  private static void tolerationRules(JSONSchemaProps s, String name) {
    if (s == null) {
      return;
    }
    if ("tolerations".equals(name) && s.getItems() != null && s.getItems().getSchema() != null) {
      JSONSchemaProps item = s.getItems().getSchema();
      Map<String, JSONSchemaProps> fields = item.getProperties();
      bound(fields.get("key"), 317L); // a qualified name: a 253-character prefix, '/', a 63-character name
      bound(fields.get("operator"), 16L);
      bound(fields.get("effect"), 16L);
      bound(fields.get("value"), 63L); // a label value
      if (fields.get("tolerationSeconds") != null) {
        fields.get("tolerationSeconds").setMinimum(0.0);
      }
      item.setXKubernetesValidations(List.of(
          rule("!has(self.operator) || self.operator in ['', 'Exists', 'Equal']",
              "a toleration's operator must be Exists or Equal"),
          rule("!has(self.effect) || self.effect in ['', 'NoSchedule', 'PreferNoSchedule', 'NoExecute']",
              "a toleration's effect must be NoSchedule, PreferNoSchedule or NoExecute"),
          rule("(has(self.key) && self.key != '') || (has(self.operator) && self.operator == 'Exists')",
              "a toleration without a key must have operator Exists (it matches every taint)"),
          rule("!has(self.operator) || self.operator != 'Exists' || !has(self.value) || self.value == ''",
              "a toleration with operator Exists must have no value"),
          rule("!has(self.tolerationSeconds) || (has(self.effect) && self.effect == 'NoExecute')",
              "a toleration's tolerationSeconds needs effect NoExecute")));
      return;
    }
    if (s.getProperties() != null) {
      s.getProperties().forEach((k, v) -> tolerationRules(v, k));
    }
  }

  private static void bound(JSONSchemaProps string, long maxLength) {
    if (string != null && string.getMaxLength() == null) {
      string.setMaxLength(maxLength);
    }
  }

  private static ValidationRule rule(String expression, String message) {
    ValidationRule rule = new ValidationRule();
    rule.setRule(expression);
    rule.setMessage(message);
    return rule;
  }

  /** The pattern goes in a double-quoted CEL literal: it holds a single quote. */
  private static void ruleOnManagedBy(JSONSchemaProps spec) {
    JSONSchemaProps managedBy = spec == null || spec.getProperties() == null ? null
        : spec.getProperties().get("managedBy");
    if (managedBy == null) {
      return;
    }
    String pattern = "\"" + MANAGED_BY_PATTERN.replace("\\", "\\\\") + "\"";
    String own = ChainerJobSpec.MANAGED_BY_OPERATOR.replace(".", "\\\\.");
    ValidationRule rule = rule("self.matches(" + pattern + ") && (self == '" + ChainerJobSpec.MANAGED_BY_OPERATOR
        + "' || !self.matches('^(?i)" + own + "$'))", MANAGED_BY_MESSAGE);
    List<ValidationRule> rules = new ArrayList<>(managedBy.getXKubernetesValidations() == null ? List.of()
        : managedBy.getXKubernetesValidations());
    rules.add(rule);
    managedBy.setXKubernetesValidations(rules);
  }

  private static JSONSchemaProps string(Integer maxLength) {
    JSONSchemaProps s = new JSONSchemaProps();
    s.setType("string");
    if (maxLength != null) {
      s.setMaxLength(maxLength.longValue());
    }
    return s;
  }

  private static void boundIntegers(JSONSchemaProps s, String name) {
    if (s == null) {
      return;
    }
    if ("integer".equals(s.getType()) && (s.getMinimum() == null || s.getMaximum() == null)) {
      boolean weight = "weight".equals(name);
      if (s.getMinimum() == null) {
        s.setMinimum(weight ? MIN_WEIGHT : Integer.MIN_VALUE);
      }
      if (s.getMaximum() == null) {
        s.setMaximum(weight ? MAX_WEIGHT : Integer.MAX_VALUE);
      }
    }
    if (s.getProperties() != null) {
      s.getProperties().forEach((k, v) -> boundIntegers(v, k));
    }
    if (s.getItems() != null) {
      boundIntegers(s.getItems().getSchema(), name);
    }
    if (s.getAdditionalProperties() != null) {
      boundIntegers(s.getAdditionalProperties().getSchema(), name);
    }
  }
}
