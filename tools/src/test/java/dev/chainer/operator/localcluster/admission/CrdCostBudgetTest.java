package dev.chainer.operator.localcluster.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.localcluster.admission.CelCostEstimator.Size;
import dev.chainer.operator.localcluster.admission.CrdCostBudget.RuleCost;
import dev.chainer.operator.testing.Repository;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The CRD stays inside the API server's CEL cost budget with room to spare: every rule at most half the per-rule
 * limit, all rules together at most half the per-CRD limit. The estimator itself is checked against what a real
 * Kubernetes 1.34 API server answered for the CRD it refused.
 */
class CrdCostBudgetTest {
  private static JSONSchemaProps schema(Path file) throws Exception {
    return Serialization.unmarshal(Files.readString(file), CustomResourceDefinition.class).getSpec().getVersions()
        .get(0).getSchema().getOpenAPIV3Schema();
  }

  @Test
  void theCommittedCrdUsesAtMostHalfOfEitherBudget() throws Exception {
    List<RuleCost> rules = CrdCostBudget.rules(schema(Repository.path("crds/chainerjobs.chainer.dev-v1.yml")));
    assertTrue(rules.size() >= 12, "rules found: " + rules.size());
    for (RuleCost r : rules) {
      assertTrue(r.total() <= CrdCostBudget.RULE_LIMIT / 2, () -> r.location() + " costs " + r.total()
          + " (" + r.cost() + " x " + r.cardinality() + "), over half the per-rule limit: " + r.rule());
    }
    long total = CrdCostBudget.total(rules);
    assertTrue(total <= CrdCostBudget.CRD_LIMIT / 2, "all rules together cost " + total);
  }

  @Test
  void theEstimatorRefusesWhatKubernetes134RefusedWithTheSameFactors() throws Exception {
    // The server's answer: the rule on spec.inputs[].dataStore "exceeds budget by factor of 10.3x", and the CRD's
    // total "exceeds budget by factor of 1.049672x".
    List<RuleCost> rules = CrdCostBudget.rules(schema(Path.of("src/test/resources/crds/refused-by-kubernetes-1.34.yml")));
    List<RuleCost> over = rules.stream().filter(r -> r.total() > CrdCostBudget.RULE_LIMIT).toList();
    assertEquals(1, over.size(), over::toString);
    assertEquals("openAPIV3Schema.properties[spec].properties[inputs].items.properties[dataStore]",
        over.get(0).location());
    assertEquals("10.3x", CrdCostBudget.factor(over.get(0).total(), CrdCostBudget.RULE_LIMIT));
    assertEquals("1.049672x", CrdCostBudget.factor(CrdCostBudget.total(rules), CrdCostBudget.CRD_LIMIT));
  }

  @Test
  void aBoundOnWhatARuleReadsIsWhatBringsItsCostDown() throws Exception {
    JSONSchemaProps unbounded = Serialization.unmarshal("{\"type\":\"string\"}", JSONSchemaProps.class);
    JSONSchemaProps bounded = Serialization.unmarshal("{\"type\":\"string\",\"maxLength\":64}", JSONSchemaProps.class);
    String rule = "self.matches('^[a-z]+$')";
    // reading self costs 1; matches: (3 MiB - 2 + 1) * 0.1 rounded up, times the 8-character regex * 0.25
    assertEquals(new Size(3, 1 + 314_573L * 2), CelCostEstimator.estimate(rule, CelDeclType.of(unbounded)));
    // (64 characters * 4 bytes + 1) * 0.1 rounded up = 26, times 2
    assertEquals(new Size(3, 1 + 26 * 2), CelCostEstimator.estimate(rule, CelDeclType.of(bounded)));
  }

  @Test
  void aRuleUnderAnUnboundedListRunsAsOftenAsItsItemsFitInARequest() throws Exception {
    JSONSchemaProps list = Serialization.unmarshal("{\"type\":\"object\",\"properties\":{\"items\":{\"type\":\"array\","
        + "\"items\":{\"type\":\"object\",\"x-kubernetes-validations\":[{\"rule\":\"has(self.a)\"}],"
        + "\"properties\":{\"a\":{\"type\":\"string\"}}}}}}", JSONSchemaProps.class);
    RuleCost unbounded = CrdCostBudget.rules(list).get(0);
    assertEquals(CelDeclType.MAX_REQUEST_BYTES / 3, unbounded.cardinality()); // {} plus a comma per item
    list.getProperties().get("items").setMaxItems(32L);
    assertEquals(32, CrdCostBudget.rules(list).get(0).cardinality());
  }
}
