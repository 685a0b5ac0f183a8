package dev.chainer.operator.localcluster.admission;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntime;
import dev.cel.runtime.CelRuntimeFactory;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a CRD schema's x-kubernetes-validations on an object the way the API server does: each rule
 * at the node it is declared on, with {@code self} (and, for transition rules on an update, {@code oldSelf}),
 * using Google's CEL implementation. Returns the messages of the rules that fail.
 */
public final class CelRules {
  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("self", SimpleType.DYN).addVar("oldSelf", SimpleType.DYN).build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();
  private static final Map<String, CelRuntime.Program> PROGRAMS = new java.util.concurrent.ConcurrentHashMap<>();

  private CelRules() {}

  /** Every rule in the schema, compiled: a syntax or type error fails here. */
  public static List<String> compileAll(JSONSchemaProps schema) throws Exception {
    List<String> rules = new ArrayList<>();
    collect(schema, rules);
    for (String rule : rules) {
      COMPILER.compile(rule).getAst();
    }
    return rules;
  }

  private static void collect(JSONSchemaProps schema, List<String> out) {
    if (schema == null) {
      return;
    }
    if (schema.getXKubernetesValidations() != null) {
      schema.getXKubernetesValidations().forEach(v -> out.add(v.getRule()));
    }
    if (schema.getProperties() != null) {
      schema.getProperties().values().forEach(p -> collect(p, out));
    }
    if (schema.getItems() != null) {
      collect(schema.getItems().getSchema(), out);
    }
    if (schema.getAdditionalProperties() != null) {
      collect(schema.getAdditionalProperties().getSchema(), out);
    }
  }

  /** A rule that failed: where it is declared (e.g. "spec.inputs[0].dataStore") and its message. */
  public record Violation(String field, String message) {}

  /** Messages of the rules that fail for {@code object} (a create) or for {@code old} becoming {@code object}. */
  public static List<String> violations(JSONSchemaProps schema, Object object, Object old) {
    return evaluate(schema, object, old, "").stream().map(Violation::message).toList();
  }

  /** The rules that fail, each with the field it is declared on below {@code path}. */
  public static List<Violation> evaluate(JSONSchemaProps schema, Object object, Object old, String path) {
    List<Violation> out = new ArrayList<>();
    walk(schema, toCel(Serialization.jsonMapper().convertValue(object, Object.class)),
        old == null ? null : toCel(Serialization.jsonMapper().convertValue(old, Object.class)), path, out);
    return out;
  }

  private static void walk(JSONSchemaProps schema, Object self, Object oldSelf, String path, List<Violation> out) {
    if (schema == null || self == null) {
      return;
    }
    if (schema.getXKubernetesValidations() != null) {
      for (ValidationRule rule : schema.getXKubernetesValidations()) {
        check(rule, self, oldSelf, path, out);
      }
    }
    if (self instanceof Map<?, ?> map && schema.getProperties() != null) {
      for (var e : schema.getProperties().entrySet()) {
        Object oldChild = oldSelf instanceof Map<?, ?> o ? o.get(e.getKey()) : null;
        walk(e.getValue(), map.get(e.getKey()), oldChild, child(path, e.getKey()), out);
      }
    }
    if (self instanceof Map<?, ?> map && schema.getAdditionalProperties() != null
        && schema.getAdditionalProperties().getSchema() != null) {
      for (var e : map.entrySet()) {
        Object oldChild = oldSelf instanceof Map<?, ?> o ? o.get(e.getKey()) : null;
        walk(schema.getAdditionalProperties().getSchema(), e.getValue(), oldChild, path + "[" + e.getKey() + "]",
            out);
      }
    }
    if (self instanceof List<?> list && schema.getItems() != null) {
      for (int i = 0; i < list.size(); i++) {
        walk(schema.getItems().getSchema(), list.get(i), null, path + "[" + i + "]", out);
      }
    }
  }

  private static void check(ValidationRule rule, Object self, Object oldSelf, String path, List<Violation> out) {
    boolean transition = rule.getRule().contains("oldSelf");
    if (transition && oldSelf == null) {
      return; // transition rules only run on updates of a value that existed before
    }
    Map<String, Object> vars = new HashMap<>();
    vars.put("self", self);
    if (transition) {
      vars.put("oldSelf", oldSelf);
    }
    try {
      if (!Boolean.TRUE.equals(program(rule.getRule()).eval(vars))) {
        out.add(new Violation(path, rule.getMessage() != null ? rule.getMessage()
            : "failed rule: " + rule.getRule()));
      }
    } catch (Exception e) {
      out.add(new Violation(path, "rule evaluation failed: " + e.getMessage()));
    }
  }

  private static CelRuntime.Program program(String rule) {
    return PROGRAMS.computeIfAbsent(rule, r -> {
      try {
        return RUNTIME.createProgram(COMPILER.compile(r).getAst());
      } catch (Exception e) {
        throw new IllegalArgumentException("rule does not compile: " + r + ": " + e.getMessage(), e);
      }
    });
  }

  private static String child(String path, String name) {
    return path.isEmpty() ? name : path + "." + name;
  }

  /** JSON values as CEL sees them: integers are int64. */
  private static Object toCel(Object value) {
    if (value instanceof Integer i) {
      return i.longValue();
    }
    if (value instanceof Map<?, ?> map) {
      Map<String, Object> out = new LinkedHashMap<>();
      map.forEach((k, v) -> {
        if (v != null) {
          out.put((String) k, toCel(v));
        }
      });
      return out;
    }
    if (value instanceof List<?> list) {
      return list.stream().map(CelRules::toCel).toList();
    }
    return value;
  }
}
