package dev.chainer.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.reconcile.JobPlanner;
import dev.chainer.operator.reconcile.Plan;
import dev.chainer.operator.spec.JobContext;
import dev.chainer.operator.testing.Observations;
import dev.chainer.operator.validation.Problem;
import dev.chainer.operator.validation.SpecValidator;
import dev.chainer.operator.validation.StructuralSchema;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property over the CRD's own schema: every spec the API server would store (any types and values within the
 * schema's bounds, unknown fields pruned) is read by the operator without failing and gets a status from the
 * planner, either a running phase or Failed/InvalidSpec with messages naming fields. Generated from a fixed seed.
 */
class SchemaAdmittedJobsTest {
  private static final long SEED = 11L;
  private static final int JOBS = 500;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** Values tried, in order, for a string with a pattern; the first one the pattern accepts is used. */
  private static final List<String> PATTERNED = List.of("mpi", "MPI", "2Gi", "512m", "1", "data_1", "a");

  @Test
  void everyStoredSpecIsReadAndGetsAStatus() {
    System.out.println("SchemaAdmittedJobsTest seed " + SEED);
    Random random = new Random(SEED);
    JSONSchemaProps schema = ChainerJobCrd.specSchema();
    int invalid = 0;
    for (int i = 0; i < JOBS; i++) {
      ObjectNode spec = (ObjectNode) value(schema, random, 0);
      if (random.nextBoolean()) { // half of them with a usable script, so that more reach the running path
        spec.put("sourceDirectory", "/app").put("entryScript", "train.py");
        spec.remove(List.of("sourceDirectoryDataStore", "environmentDefinition", "distributedBackend"));
      }
      spec.put("someUnknownField", "pruned by the server");
      StructuralSchema.prune(spec, schema);
      assertEquals(List.of(), StructuralSchema.validate(spec, schema, "spec"), spec::toString);
      ObjectNode object = JSON.objectNode().put("apiVersion", ChainerJob.API_VERSION).put("kind", "ChainerJob");
      object.putObject("metadata").put("name", "job" + i).put("namespace", "ns").put("uid", "u" + i);
      object.set("spec", spec);

      ChainerJob job = Serialization.unmarshal(object.toString(), ChainerJob.class);
      assertNull(job.getSpec().getUnreadable(), () -> "within the schema's bounds, every spec is readable: " + spec);
      JobContext context = JobContext.of(job, OperatorConfig.defaults());
      List<Problem> problems = SpecValidator.validate(context);
      Plan plan = JobPlanner.plan(context, Observations.of(context, Observations.nothing()), problems,
          Instant.parse("2026-01-01T00:00:00Z"), false, false);
      assertNotNull(plan.status().getPhase(), spec::toString);
      if (SpecValidator.hasErrors(problems)) {
        invalid++;
        assertEquals("InvalidSpec", plan.status().getReason());
        assertTrue(problems.stream().allMatch(p -> p.field().startsWith("spec") || p.field().startsWith("metadata")),
            problems::toString);
      }
    }
    System.out.println(JOBS + " generated specs, " + invalid + " invalid");
  }

  /** A random value the schema admits; optional fields appear with probability 1/3, collections stay small. */
  private static JsonNode value(JSONSchemaProps s, Random random, int depth) {
    if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
      return random.nextBoolean() ? JSON.numberNode(random.nextInt(64)) : JSON.textNode("1Gi");
    }
    if (s.getType() == null) {
      return random.nextBoolean() ? JSON.textNode("v" + random.nextInt(9)) : JSON.numberNode(random.nextInt(9));
    }
    if (s.getEnum() != null && !s.getEnum().isEmpty()) {
      return s.getEnum().get(random.nextInt(s.getEnum().size()));
    }
    return switch (s.getType()) {
      case "object" -> object(s, random, depth);
      case "array" -> array(s, random, depth);
      case "string" -> string(s, random);
      case "integer" -> integer(s, random);
      case "number" -> JSON.numberNode(random.nextDouble() * 100);
      default -> JSON.booleanNode(random.nextBoolean());
    };
  }

  private static JsonNode object(JSONSchemaProps s, Random random, int depth) {
    ObjectNode out = JSON.objectNode();
    if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
      int n = depth > 4 ? 0 : random.nextInt(3);
      for (int i = 0; i < n && (s.getMaxProperties() == null || i < s.getMaxProperties()); i++) {
        out.set("k" + i, value(s.getAdditionalProperties().getSchema(), random, depth + 1));
      }
      return out;
    }
    List<String> required = s.getRequired() == null ? List.of() : s.getRequired();
    if (s.getProperties() != null) {
      s.getProperties().forEach((name, p) -> {
        if (required.contains(name) || (depth < 5 && random.nextInt(3) == 0)) {
          JsonNode v = value(p, random, depth + 1);
          if (v != null) {
            out.set(name, v);
          }
        }
      });
    }
    return out;
  }

  private static JsonNode array(JSONSchemaProps s, Random random, int depth) {
    ArrayNode out = JSON.arrayNode();
    int n = depth > 4 ? 0 : random.nextInt(3);
    for (int i = 0; i < n && (s.getMaxItems() == null || i < s.getMaxItems()); i++) {
      JsonNode v = value(s.getItems().getSchema(), random, depth + 1);
      if (v != null) {
        out.add(v);
      }
    }
    return out;
  }

  private static JsonNode string(JSONSchemaProps s, Random random) {
    long max = s.getMaxLength() == null ? 40 : s.getMaxLength();
    if (s.getPattern() != null) {
      java.util.regex.Pattern p = java.util.regex.Pattern.compile(s.getPattern());
      return PATTERNED.stream().filter(v -> p.matcher(v).find() && v.length() <= max).findFirst()
          .<JsonNode>map(JSON::textNode).orElse(null);
    }
    String[] samples = {"", "a", "train.py", "/app", "x y", "$(id)", "Ünïcode", "-flag", "../up"};
    String v = samples[random.nextInt(samples.length)];
    long min = s.getMinLength() == null ? 0 : s.getMinLength();
    if (v.length() < min) {
      v = "a".repeat((int) min);
    }
    return JSON.textNode(v.length() > max ? v.substring(0, (int) max) : v);
  }

  /** Boundaries most of the time: that is where Java types overflow. */
  private static JsonNode integer(JSONSchemaProps s, Random random) {
    long min = s.getMinimum() == null ? Long.MIN_VALUE : (long) Math.ceil(s.getMinimum());
    long max = s.getMaximum() == null ? Long.MAX_VALUE : (long) Math.floor(s.getMaximum());
    return switch (random.nextInt(3)) {
      case 0 -> JSON.numberNode(min);
      case 1 -> JSON.numberNode(max);
      default -> JSON.numberNode(min + (long) (random.nextDouble() * Math.min((double) max - min, 1000)));
    };
  }
}
