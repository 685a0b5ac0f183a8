package dev.chainer.operator.api;

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
final class CrdRules {
  private static final CelCompiler COMPILER = CelCompilerFactory.standardCelCompilerBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("self", SimpleType.DYN).addVar("oldSelf", SimpleType.DYN).build();
  private static final CelRuntime RUNTIME = CelRuntimeFactory.standardCelRuntimeBuilder().build();

  private CrdRules() {}

  /** Every rule in the schema, compiled: a syntax or type error fails here. */
  static List<String> compileAll(JSONSchemaProps schema) throws Exception {
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

  /** Messages of the rules that fail for {@code object} (a create) or for {@code old} becoming {@code object}. */
  static List<String> violations(JSONSchemaProps schema, Object object, Object old) throws Exception {
    List<String> out = new ArrayList<>();
    walk(schema, toCel(Serialization.jsonMapper().convertValue(object, Object.class)),
        old == null ? null : toCel(Serialization.jsonMapper().convertValue(old, Object.class)), out);
    return out;
  }

  @SuppressWarnings("unchecked")
  private static void walk(JSONSchemaProps schema, Object self, Object oldSelf, List<String> out) throws Exception {
    if (schema == null || self == null) {
      return;
    }
    if (schema.getXKubernetesValidations() != null) {
      for (ValidationRule rule : schema.getXKubernetesValidations()) {
        boolean transition = rule.getRule().contains("oldSelf");
        if (transition && oldSelf == null) {
          continue; // transition rules only run on updates
        }
        Map<String, Object> vars = new HashMap<>();
        vars.put("self", self);
        if (transition) {
          vars.put("oldSelf", oldSelf);
        }
        CelRuntime.Program program = RUNTIME.createProgram(COMPILER.compile(rule.getRule()).getAst());
        if (!Boolean.TRUE.equals(program.eval(vars))) {
          out.add(rule.getMessage());
        }
      }
    }
    if (self instanceof Map<?, ?> map && schema.getProperties() != null) {
      for (var e : schema.getProperties().entrySet()) {
        Object oldChild = oldSelf instanceof Map<?, ?> o ? o.get(e.getKey()) : null;
        walk(e.getValue(), map.get(e.getKey()), oldChild, out);
      }
    }
    if (self instanceof List<?> list && schema.getItems() != null) {
      for (Object item : list) {
        walk(schema.getItems().getSchema(), item, null, out);
      }
    }
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
      return list.stream().map(CrdRules::toCel).toList();
    }
    return value;
  }
}
