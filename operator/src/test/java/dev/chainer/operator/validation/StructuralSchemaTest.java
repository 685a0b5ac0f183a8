package dev.chainer.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The API server's structural checks, with its wording, on a small schema. */
class StructuralSchemaTest {
  private static final JSONSchemaProps SCHEMA = Serialization.unmarshal("""
      type: object
      required: [name]
      properties:
        name: {type: string, maxLength: 5, pattern: '^[a-z]+$'}
        count: {type: integer, minimum: 1, maximum: 10}
        mode: {type: string, enum: [a, b]}
        tags: {type: array, maxItems: 2, items: {type: string}}
        env: {type: object, maxProperties: 1, additionalProperties: {type: string}}
        size: {x-kubernetes-int-or-string: true}
        free: {type: object, x-kubernetes-preserve-unknown-fields: true}
      """, JSONSchemaProps.class);

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private static JsonNode yaml(String text) {
    try {
      return YAML.readTree(text);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static List<String> problems(String yaml) {
    JsonNode value = yaml(yaml);
    return StructuralSchema.validate(value, SCHEMA, "spec").stream().map(Problem::toString).toList();
  }

  @Test
  void aValidObjectHasNoProblems() {
    assertEquals(List.of(), problems("{name: ab, count: 10, mode: a, tags: [x, y], env: {A: b}, size: 3, "
        + "free: {any: [1, {x: y}]}}"));
    assertEquals(List.of(), problems("{name: ab, size: 2Gi}"));
  }

  @Test
  void eachRuleIsReportedWithItsFieldAndTheServersWording() {
    assertEquals(List.of("spec.name: Required value"), problems("{}"));
    assertEquals(List.of("spec.name: Too long: may not be more than 5 characters",
        "spec.name: Invalid value: \"ABCDEF\": spec.name in body should match '^[a-z]+$'"), problems("{name: ABCDEF}"));
    assertEquals(List.of("spec.count: Invalid value: 0: spec.count in body should be greater than or equal to 1"),
        problems("{name: a, count: 0}"));
    assertEquals(List.of("spec.count: Invalid value: 99999999999: spec.count in body should be less than or equal "
        + "to 10"), problems("{name: a, count: 99999999999}"));
    assertEquals(List.of("spec.count: Invalid value: \"number\": spec.count in body must be of type integer: "
        + "\"number\""), problems("{name: a, count: 2.5}"));
    assertEquals(List.of("spec.mode: Unsupported value: \"c\": supported values: \"a\", \"b\""),
        problems("{name: a, mode: c}"));
    assertEquals(List.of("spec.tags: Too many: 3: must have at most 2 items"), problems("{name: a, tags: [x, y, z]}"));
    assertEquals(List.of("spec.tags[1]: Invalid value: \"integer\": spec.tags[1] in body must be of type string: "
        + "\"integer\""), problems("{name: a, tags: [x, 1]}"));
    assertEquals(List.of("spec.env: Too many: 2: must have at most 1 items"), problems("{name: a, env: {A: b, C: d}}"));
    assertEquals(List.of("spec.size: Invalid value: \"boolean\": spec.size in body must be of type integer or "
        + "string: \"boolean\""), problems("{name: a, size: true}"));
  }

  @Test
  void pruningDropsOnlyWhatTheSchemaDoesNotDeclare() {
    JsonNode value = yaml("{name: a, extra: 1, env: {A: b}, free: {kept: 1}}");
    StructuralSchema.prune(value, SCHEMA);
    assertEquals("{\"name\":\"a\",\"env\":{\"A\":\"b\"},\"free\":{\"kept\":1}}", value.toString());
  }

  @Test
  void theCrdKeepsTheNullsTheEstimatorGaveMeaningAndDropsTheOthers() {
    JsonNode spec = yaml("""
        nodeCount: null
        scriptParams: {--verbose: null}
        environmentVariables: {A: null}
        environmentDefinition: {environmentVariables: {B: null}}
        """);
    StructuralSchema.dropNulls(spec, dev.chainer.operator.api.ChainerJobCrd.specSchema());
    assertEquals(yaml("""
        scriptParams: {--verbose: null}
        environmentVariables: {A: null}
        environmentDefinition: {environmentVariables: {B: null}}
        """), spec);
  }
}
