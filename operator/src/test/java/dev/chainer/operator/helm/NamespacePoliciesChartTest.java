package dev.chainer.operator.helm;

import static dev.chainer.operator.testing.TestJobs.minimal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.config.NamespacePolicy;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.validation.Problem;
import dev.chainer.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** operator.namespacePolicies in the chart's values become the operator's configuration, and refuse jobs with it. */
class NamespacePoliciesChartTest {
  private static OperatorConfig configOf(String values) throws Exception {
    String yaml = Chart.one(Chart.objects(values), ConfigMap.class).orElseThrow().getData().get("config.yaml");
    Path file = Files.createTempFile("config", ".yaml");
    try {
      Files.writeString(file, yaml);
      return OperatorConfig.load(file);
    } finally {
      Files.delete(file);
    }
  }

  @Test
  void byDefaultEveryNamespaceMayDoWhatItsPodsMay() throws Exception {
    NamespacePolicy policy = configOf("{}\n").getNamespacePolicies().forNamespace("anywhere");
    assertEquals(null, policy.getServiceAccounts());
    assertEquals(null, policy.getPriorityClasses());
    assertEquals(null, policy.getNodeSelectors());
    assertTrue(policy.isOperatorReadsSecrets());
    assertTrue(policy.isSecretDataStores());
  }

  @Test
  void valuesNarrowANamespaceAndTheOperatorRefusesItsJobs() throws Exception {
    OperatorConfig config = configOf("""
        operator:
          namespacePolicies:
            default:
              operatorReadsSecrets: false
            namespaces:
              team-a:
                serviceAccounts: [default]
                priorityClasses: [batch-low]
                nodeSelectors:
                  kubernetes.azure.com/agentpool: [team-a-gpu]
        """);
    NamespacePolicy teamA = config.getNamespacePolicies().forNamespace("team-a");
    assertEquals(List.of("default"), teamA.getServiceAccounts());
    assertEquals(Map.of("kubernetes.azure.com/agentpool", List.of("team-a-gpu")), teamA.getNodeSelectors());
    assertTrue(!config.getNamespacePolicies().forNamespace("team-b").isOperatorReadsSecrets());

    ChainerJob job = minimal("computeTarget: team-b-gpu\nkubernetes:\n  launcher:\n    priorityClassName: "
        + "urgent\n");
    List<String> refused = SpecValidator.validate(job, config).stream().filter(Problem::isError)
        .map(Problem::toString).toList();
    assertEquals(List.of(
        "spec.kubernetes.launcher.priorityClassName: 'urgent' is not a priority class that jobs in "
            + "namespace team-a may use (namespacePolicies priorityClasses: batch-low)",
        "spec.computeTarget: selects nodes labelled kubernetes.azure.com/agentpool=team-b-gpu, which jobs in "
            + "namespace team-a may not (namespacePolicies nodeSelectors: kubernetes.azure.com/agentpool may be "
            + "team-a-gpu)"), refused);
  }

  @Test
  void aMisspeltPolicyFailsAtInstallTime() {
    var typo = assertThrows(IllegalStateException.class, () -> Chart.template(
        "operator:\n  namespacePolicies:\n    namespaces:\n      team-a:\n        serviceAcounts: [x]\n"));
    assertTrue(typo.getMessage().contains("serviceAcounts"), typo.getMessage());
    var badNamespace = assertThrows(IllegalStateException.class, () -> Chart.template(
        "operator:\n  namespacePolicies:\n    namespaces:\n      Team_A: {}\n"));
    assertTrue(badNamespace.getMessage().contains("Team_A"), badNamespace.getMessage());
  }
}
