package dev.chainer.operator.api;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Finishes the generated CRD schema where annotations cannot reach (applied by the CRD generator only).
 * <ul>
 *   <li>Declares apiVersion, kind and a bounded metadata.name / generateName at the root. Without them the API
 *       server costs every CEL rule that reads metadata.name as if the name could fill a whole request.
 *   <li>Gives every integer inside the embedded Kubernetes types (affinity weights, toleration seconds) a minimum
 *       and maximum: an unbounded integer is stored as any int64, and one that its Java field cannot hold would
 *       make the operator's informer fail to read the object.
 * </ul>
 */
public final class CrdSchemaBounds implements SchemaCustomizer.Customizer {
  /** Kubernetes' own range for scheduling weights. */
  private static final double MIN_WEIGHT = 1;
  private static final double MAX_WEIGHT = 100;

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
    return root;
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
