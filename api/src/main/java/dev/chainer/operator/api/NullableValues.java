package dev.chainer.operator.api;

import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.util.List;

/**
 * Marks the map values that may be written as {@code null} as nullable (applied by the CRD generator only). The API
 * server drops a null map value whose schema is not nullable before it validates (structural-schema pruning of
 * nulls), so without this:
 * <ul>
 *   <li>a scriptParams flag written {@code --verbose: null} would vanish, where the estimator passed the bare flag;
 *   <li>an environment variable written {@code NAME: null} would vanish silently; kept, it reaches the operator,
 *       which refuses it naming the variable.
 * </ul>
 */
public final class NullableValues implements SchemaCustomizer.Customizer {
  static final List<List<String>> MAPS = List.of(List.of("spec", "scriptParams"),
      List.of("spec", "environmentVariables"), List.of("spec", "environmentDefinition", "environmentVariables"));

  @Override
  public JSONSchemaProps apply(JSONSchemaProps root, String input, KubernetesSerialization serialization) {
    for (List<String> path : MAPS) {
      JSONSchemaProps s = root;
      for (String field : path) {
        s = s == null || s.getProperties() == null ? null : s.getProperties().get(field);
      }
      if (s == null || s.getAdditionalProperties() == null || s.getAdditionalProperties().getSchema() == null) {
        throw new IllegalStateException("the CRD has no map at " + String.join(".", path));
      }
      s.getAdditionalProperties().getSchema().setNullable(true);
    }
    return root;
  }
}
