package dev.chainer.operator.validation;

import static dev.chainer.operator.testing.TestJobs.minimal;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.config.OperatorConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What each namespace's policy lets its jobs ask for, from an operator configuration as a platform team writes it. */
class TenancyRulesTest {
  static final String POLICIES = """
      namespacePolicies:
        default:
          serviceAccounts: [default]
          operatorReadsSecrets: false
        namespaces:
          team-a:
            serviceAccounts: [default, trainer]
            priorityClasses: [batch-low]
            nodeSelectors:
              kubernetes.azure.com/agentpool: [team-a-gpu]
              kubernetes.azure.com/scalesetpriority: [spot]
              node.kubernetes.io/instance-type: ["*"]
            secretDataStores: false
          team-c:
            serviceAccounts: [trainer]
            nodeSelectors: {}
      """;
  private static final OperatorConfig CONFIG = load(POLICIES);

  static OperatorConfig load(String yaml) {
    try {
      Path file = Files.createTempFile("operator", ".yaml");
      try {
        Files.writeString(file, yaml);
        return OperatorConfig.load(file);
      } finally {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static Stream<Arguments> cases() {
    String registry = "imageRegistryDetails:\n  address: r.io\n  username: u\n  passwordSecretRef:\n"
        + "    name: regcred\n";
    String secretInput = "inputs:\n- name: keys\n  dataStore:\n    secret: other-job-ssh\n";
    return Stream.of(
        // service accounts: a role that names none runs as "default"
        allowed("team-a", minimal("")),
        allowed("team-a", minimal("kubernetes:\n  launcher:\n    serviceAccountName: trainer\n")),
        refused("team-a", mpi("kubernetes:\n  worker:\n    serviceAccountName: builder\n"),
            "spec.kubernetes.worker.serviceAccountName", "'builder' is not a service account that jobs in namespace "
                + "team-a may run as (namespacePolicies serviceAccounts: default, trainer)"),
        refused("team-b", minimal("kubernetes:\n  launcher:\n    serviceAccountName: trainer\n"),
            "spec.kubernetes.launcher.serviceAccountName", "(namespacePolicies serviceAccounts: default)"),
        refused("team-c", minimal(""), "spec.kubernetes.launcher.serviceAccountName",
            "is not set, so the pods would run as service account 'default', which is not one that jobs in "
                + "namespace team-c may run as (namespacePolicies serviceAccounts: trainer)"),
        // priority classes: naming none is always allowed
        allowed("team-a", minimal("kubernetes:\n  launcher:\n    priorityClassName: batch-low\n")),
        refused("team-a", minimal("kubernetes:\n  launcher:\n    priorityClassName: system-cluster-critical\n"),
            "spec.kubernetes.launcher.priorityClassName", "'system-cluster-critical' is not a priority class that "
                + "jobs in namespace team-a may use (namespacePolicies priorityClasses: batch-low)"),
        refused("team-a", mpi("runPolicy:\n  schedulingPolicy:\n    priorityClassName: urgent\n"),
            "spec.runPolicy.schedulingPolicy.priorityClassName", "'urgent' is not a priority class"),
        allowed("team-b", minimal("kubernetes:\n  launcher:\n    priorityClassName: system-cluster-critical\n")),
        // node labels, from the estimator's placement fields and the roles' nodeSelector
        allowed("team-a", minimal("computeTarget: team-a-gpu\nvmSize: Standard_NC6s_v3\nvmPriority: lowpriority\n")),
        allowed("team-a", minimal("computeTarget: local\n")),
        refused("team-a", minimal("computeTarget: team-b-gpu\n"), "spec.computeTarget",
            "selects nodes labelled kubernetes.azure.com/agentpool=team-b-gpu, which jobs in namespace team-a may "
                + "not (namespacePolicies nodeSelectors: kubernetes.azure.com/agentpool may be team-a-gpu)"),
        refused("team-a", minimal("kubernetes:\n  launcher:\n    nodeSelector:\n      gpu: a100\n"),
            "spec.kubernetes.launcher.nodeSelector[gpu]", "the label gpu is not allowed; allowed labels: "
                + "kubernetes.azure.com/agentpool, kubernetes.azure.com/scalesetpriority, "
                + "node.kubernetes.io/instance-type"),
        refused("team-c", minimal("kubernetes:\n  launcher:\n    serviceAccountName: trainer\n"
            + "vmPriority: lowpriority\n"), "spec.vmPriority", "kubernetes.azure.com/scalesetpriority=spot, which jobs "
                + "in namespace team-c may not (namespacePolicies nodeSelectors: the label "
                + "kubernetes.azure.com/scalesetpriority is not allowed; allowed labels: none)"),
        allowed("team-b", mpi("computeTarget: anything\nkubernetes:\n  worker:\n    nodeSelector:\n      gpu: a100\n")),
        // Secrets: the registry password the operator would read, and Secrets mounted as data
        allowed("team-a", minimal(registry)),
        refused("team-b", minimal(registry), "spec.imageRegistryDetails.passwordSecretRef", "asks the operator to "
            + "read a Secret for the job, which it does not for jobs in namespace team-b (namespacePolicies "
            + "operatorReadsSecrets: false): name an existing kubernetes.io/dockerconfigjson Secret in pullSecretName"),
        refused("team-b", minimal("environmentDefinition:\n  docker:\n    image: r.io/train:1\n    "
            + registry.replace("\n", "\n    ").stripTrailing() + "\n"),
            "spec.environmentDefinition.docker.imageRegistryDetails.passwordSecretRef", "operatorReadsSecrets: false"),
        allowed("team-b", minimal("imageRegistryDetails:\n  pullSecretName: regcred\n")),
        refused("team-a", minimal(secretInput), "spec.inputs[keys].dataStore.secret", "mounts the Secret "
            + "'other-job-ssh', and jobs in namespace team-a may not mount Secrets as data (namespacePolicies "
            + "secretDataStores: false)"),
        refused("team-a", minimal("sourceDirectoryDataStore:\n  secret: code\nsourceDirectory: .\n"),
            "spec.sourceDirectoryDataStore.secret", "secretDataStores: false"),
        allowed("team-b", minimal(secretInput)));
  }

  private static Arguments allowed(String namespace, ChainerJob job) {
    return Arguments.of(namespace, job, null, null);
  }

  private static Arguments refused(String namespace, ChainerJob job, String field, String message) {
    return Arguments.of(namespace, job, field, message);
  }

  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("cases")
  void eachNamespaceGetsWhatItsPolicyAllows(String namespace, ChainerJob job, String field, String message) {
    job.getMetadata().setNamespace(namespace);
    List<Problem> tenancy = policyProblems(job, CONFIG);
    if (field == null) {
      assertEquals(List.of(), tenancy);
    } else {
      assertEquals(1, tenancy.size(), tenancy.toString());
      assertEquals(field, tenancy.get(0).field());
      assertEquals("InvalidSpec", tenancy.get(0).reason());
      assertTrue(tenancy.get(0).message().contains(message),
          tenancy.get(0).message());
    }
  }

  /** Without namespacePolicies the namespace is the only boundary: every case above passes. */
  @ParameterizedTest(name = "{0} {2}")
  @MethodSource("cases")
  void withoutPoliciesEverythingOfTheNamespaceIsAllowed(String namespace, ChainerJob job, String field,
      String message) {
    job.getMetadata().setNamespace(namespace);
    assertEquals(List.of(), policyProblems(job, OperatorConfig.defaults()));
  }

  @Test
  void aNamespaceEntryReplacesTheDefaultWhole() {
    assertEquals(List.of("trainer"), CONFIG.getNamespacePolicies().forNamespace("team-c").getServiceAccounts());
    assertEquals(true, CONFIG.getNamespacePolicies().forNamespace("team-c").isOperatorReadsSecrets(),
        "team-c's own entry does not inherit the default's operatorReadsSecrets: false");
    assertEquals(false, CONFIG.getNamespacePolicies().forNamespace("elsewhere").isOperatorReadsSecrets());
  }

  /** A misspelt key would allow everything it meant to narrow: the operator refuses the configuration instead. */
  @Test
  void aMisspeltPolicyKeyIsRefusedNotIgnored() {
    var typo = assertThrows(RuntimeException.class, () -> load(
        "namespacePolicies:\n  namespaces:\n    team-a:\n      serviceAcounts: [trainer]\n"));
    assertTrue(typo.getMessage().contains("serviceAcounts"), typo.getMessage());
    var top = assertThrows(RuntimeException.class, () -> load(
        "namespacePolicies:\n  defaults: {}\n"));
    assertTrue(top.getMessage().contains("defaults"), top.getMessage());
  }

  private static List<Problem> policyProblems(ChainerJob job, OperatorConfig config) {
    return SpecValidator.validate(job, config).stream().filter(p -> p.message().contains("namespacePolicies"))
        .toList();
  }
}
