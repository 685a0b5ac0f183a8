package dev.chainer.operator.validation;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * What an API server checks of a custom resource against its CRD's structural schema, before any CEL rule: types,
 * required fields, enums, patterns, lengths, item and property counts, numeric bounds, and pruning of fields the
 * schema does not declare. Messages follow the API server's wording, so the operator's validator and the in-process
 * API server say what a real cluster would. CEL rules are not evaluated here.
 */
public final class StructuralSchema {
  private StructuralSchema() {}

  /** Every violation in {@code value} (the node at {@code path}, e.g. "spec"), in document order. */
  public static List<Problem> validate(JsonNode value, JSONSchemaProps schema, String path) {
    List<Problem> out = new ArrayList<>();
    check(value, schema, path, out);
    return out;
  }

  /**
   * Removes, in place, every object field the schema does not declare (unless it preserves unknown fields), and
   * every null the server drops ({@link #dropNulls}).
   */
  public static void prune(JsonNode value, JSONSchemaProps schema) {
    dropNulls(value, schema);
    pruneUnknown(value, schema);
  }

  private static void pruneUnknown(JsonNode value, JSONSchemaProps schema) {
    if (value == null || schema == null || Boolean.TRUE.equals(schema.getXKubernetesPreserveUnknownFields())) {
      return;
    }
    if (value.isObject()) {
      if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
        value.fields().forEachRemaining(e -> pruneUnknown(e.getValue(), schema.getAdditionalProperties().getSchema()));
        return;
      }
      Map<String, JSONSchemaProps> properties = schema.getProperties() == null ? Map.of() : schema.getProperties();
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> field = it.next();
        JSONSchemaProps declared = properties.get(field.getKey());
        if (declared == null) {
          it.remove();
        } else {
          pruneUnknown(field.getValue(), declared);
        }
      }
    } else if (value.isArray() && schema.getItems() != null) {
      value.forEach(item -> pruneUnknown(item, schema.getItems().getSchema()));
    }
  }

  /**
   * Removes, in place, the null value of every object field and map entry that is not nullable and has no default,
   * as the API server does before it validates; a null list item stays, and is refused.
   */
  public static void dropNulls(JsonNode value, JSONSchemaProps schema) {
    if (value == null || schema == null) {
      return;
    }
    if (value.isObject()) {
      boolean map = schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null;
      for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext();) {
        Map.Entry<String, JsonNode> field = it.next();
        JSONSchemaProps child = map ? schema.getAdditionalProperties().getSchema()
            : schema.getProperties() == null ? null : schema.getProperties().get(field.getKey());
        if (field.getValue().isNull() && child != null && !Boolean.TRUE.equals(child.getNullable())
            && child.getDefault() == null) {
          it.remove();
        } else {
          dropNulls(field.getValue(), child);
        }
      }
    } else if (value.isArray() && schema.getItems() != null) {
      value.forEach(item -> dropNulls(item, schema.getItems().getSchema()));
    }
  }

  private static void check(JsonNode value, JSONSchemaProps schema, String path, List<Problem> out) {
    if (schema == null || value == null || value.isMissingNode()) {
      return;
    }
    if (value.isNull()) {
      if (!Boolean.TRUE.equals(schema.getNullable())) {
        out.add(Problem.error(path, "Invalid value: \"null\": " + path + " in body must be of type "
            + typeName(schema) + ": \"null\""));
      }
      return;
    }
    if (Boolean.TRUE.equals(schema.getXKubernetesIntOrString())) {
      if (!value.isIntegralNumber() && !value.isTextual()) {
        out.add(Problem.error(path, "Invalid value: \"" + jsonType(value) + "\": " + path
            + " in body must be of type integer or string: \"" + jsonType(value) + "\""));
      }
      return;
    }
    if (schema.getType() == null) {
      return; // x-kubernetes-preserve-unknown-fields: anything goes
    }
    if (!hasType(value, schema.getType())) {
      out.add(Problem.error(path, "Invalid value: \"" + jsonType(value) + "\": " + path + " in body must be of type "
          + schema.getType() + ": \"" + jsonType(value) + "\""));
      return;
    }
    checkEnum(value, schema, path, out);
    switch (schema.getType()) {
      case "string" -> checkString(value.asText(), schema, path, out);
      case "integer", "number" -> checkNumber(value.decimalValue(), schema, path, out);
      case "array" -> checkArray(value, schema, path, out);
      case "object" -> checkObject(value, schema, path, out);
      default -> { }
    }
  }

  private static boolean hasType(JsonNode value, String type) {
    return switch (type) {
      case "string" -> value.isTextual();
      case "integer" -> value.isIntegralNumber() || (value.isNumber() && value.decimalValue().stripTrailingZeros()
          .scale() <= 0);
      case "number" -> value.isNumber();
      case "boolean" -> value.isBoolean();
      case "array" -> value.isArray();
      case "object" -> value.isObject();
      default -> true;
    };
  }

  private static void checkEnum(JsonNode value, JSONSchemaProps schema, String path, List<Problem> out) {
    if (schema.getEnum() == null || schema.getEnum().isEmpty()) {
      return;
    }
    for (JsonNode allowed : schema.getEnum()) {
      if (allowed.equals(value)) {
        return;
      }
    }
    String supported = schema.getEnum().stream().map(JsonNode::toString).collect(Collectors.joining(", "));
    out.add(Problem.error(path, "Unsupported value: " + value + ": supported values: " + supported));
  }

  private static void checkString(String s, JSONSchemaProps schema, String path, List<Problem> out) {
    int length = s.codePointCount(0, s.length());
    if (schema.getMaxLength() != null && length > schema.getMaxLength()) {
      out.add(Problem.error(path, "Too long: may not be more than " + schema.getMaxLength() + " characters"));
    }
    if (schema.getMinLength() != null && length < schema.getMinLength()) {
      out.add(Problem.error(path, "Invalid value: \"" + s + "\": " + path + " in body should be at least "
          + schema.getMinLength() + " chars long"));
    }
    if (schema.getPattern() != null && !Pattern.compile(schema.getPattern()).matcher(s).find()) {
      out.add(Problem.error(path, "Invalid value: \"" + s + "\": " + path + " in body should match '"
          + schema.getPattern() + "'"));
    }
  }

  private static void checkNumber(BigDecimal n, JSONSchemaProps schema, String path, List<Problem> out) {
    if (schema.getMinimum() != null && n.compareTo(BigDecimal.valueOf(schema.getMinimum())) < 0) {
      out.add(Problem.error(path, "Invalid value: " + n.toPlainString() + ": " + path
          + " in body should be greater than or equal to " + plain(schema.getMinimum())));
    }
    if (schema.getMaximum() != null && n.compareTo(BigDecimal.valueOf(schema.getMaximum())) > 0) {
      out.add(Problem.error(path, "Invalid value: " + n.toPlainString() + ": " + path
          + " in body should be less than or equal to " + plain(schema.getMaximum())));
    }
  }

  private static void checkArray(JsonNode value, JSONSchemaProps schema, String path, List<Problem> out) {
    if (schema.getMaxItems() != null && value.size() > schema.getMaxItems()) {
      out.add(Problem.error(path, "Too many: " + value.size() + ": must have at most " + schema.getMaxItems()
          + " items"));
    }
    if (schema.getMinItems() != null && value.size() < schema.getMinItems()) {
      out.add(Problem.error(path, "Invalid value: " + value.size() + ": " + path + " in body should have at least "
          + schema.getMinItems() + " items"));
    }
    if (schema.getItems() != null) {
      for (int i = 0; i < value.size(); i++) {
        check(value.get(i), schema.getItems().getSchema(), path + "[" + i + "]", out);
      }
    }
  }

  private static void checkObject(JsonNode value, JSONSchemaProps schema, String path, List<Problem> out) {
    if (schema.getMaxProperties() != null && value.size() > schema.getMaxProperties()) {
      out.add(Problem.error(path, "Too many: " + value.size() + ": must have at most " + schema.getMaxProperties()
          + " items"));
    }
    if (schema.getRequired() != null) {
      for (String required : schema.getRequired()) {
        if (!value.has(required)) {
          out.add(Problem.error(child(path, required), "Required value"));
        }
      }
    }
    if (schema.getAdditionalProperties() != null && schema.getAdditionalProperties().getSchema() != null) {
      value.fields().forEachRemaining(e -> check(e.getValue(), schema.getAdditionalProperties().getSchema(),
          path + "[" + e.getKey() + "]", out));
    } else if (schema.getProperties() != null) {
      schema.getProperties().forEach((name, property) -> check(value.get(name), property, child(path, name), out));
    }
  }

  private static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  private static String typeName(JSONSchemaProps schema) {
    return schema.getType() == null ? "object" : schema.getType();
  }

  private static String jsonType(JsonNode value) {
    if (value.isTextual()) {
      return "string";
    }
    if (value.isIntegralNumber()) {
      return "integer";
    }
    if (value.isNumber()) {
      return "number";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    if (value.isArray()) {
      return "array";
    }
    return value.isNull() ? "null" : "object";
  }

  private static String plain(double d) {
    return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
  }
}
