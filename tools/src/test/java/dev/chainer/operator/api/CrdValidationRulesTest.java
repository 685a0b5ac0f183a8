package dev.chainer.operator.api;

import static dev.chainer.operator.testing.TestJobs.job;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.localcluster.admission.CelRules;
import dev.chainer.operator.testing.Repository;
import dev.chainer.operator.validation.JobFiles;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The CRD's CEL rules, compiled and evaluated with a real CEL implementation, so that `kubectl apply` of a
 * bad ChainerJob is refused with the right message on clusters that run them (1.25+).
 */
class CrdValidationRulesTest {
  private static JSONSchemaProps schema() throws Exception {
    return Repository.committedCrd().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema();
  }

  private static List<String> violations(ChainerJob job) throws Exception {
    return CelRules.violations(schema(), job, null);
  }

  @Test
  void everyRuleCompiles() throws Exception {
    assertTrue(CelRules.compileAll(schema()).size() >= 12);
  }

  @Test
  void everyExamplePasses() throws Exception {
    try (Stream<Path> files = Files.list(Repository.path("examples"))) {
      for (Path example : files.filter(p -> p.toString().endsWith(".yaml")).toList()) {
        assertEquals(List.of(), violations(JobFiles.read(example)), example.toString());
      }
    }
  }

  static Stream<Arguments> refused() {
    String base = "sourceDirectory: /app\nentryScript: t.py\n";
    return Stream.of(
        Arguments.of(base + "useDocker: false", "useDocker must be true"),
        Arguments.of("sourceDirectory: /a\nentryScript: ../x.py", "entryScript must be a relative path"),
        Arguments.of("sourceDirectory: /a\nentryScript: /x.py", "entryScript must be a relative path"),
        Arguments.of(base + "nodeCount: 2", "nodeCount > 1 or processCountPerNode > 1 needs distributedTraining"),
        Arguments.of(base + "pipPackages: [a]\nenvironmentDefinition: {}", "environmentDefinition cannot be combined"),
        Arguments.of(base + "condaDependenciesFile: e.yml\npipPackages: [a]", "condaDependenciesFile cannot be"),
        Arguments.of(base + "userManaged: true\ncondaPackages: [a]", "userManaged: true installs nothing"),
        Arguments.of(base + "processCountPerNode: 2\ndistributedTraining:\n  mpi:\n    processCountPerNode: 3",
            "processCountPerNode and distributedTraining.mpi.processCountPerNode differ"),
        Arguments.of(base + "customDockerImage: a\ncustomDockerBaseImage: b", "use customDockerImage only"),
        Arguments.of(base + "pipRequirementsFile: a\npipRequirementsFilePath: b", "deprecated *Path alias"),
        Arguments.of(base + "sourceDirectoryDataStore:\n  configMap: a\n  secret: b", "exactly one of"),
        Arguments.of(base + "imageRegistryDetails:\n  pullSecretName: a\n  username: u",
            "either pullSecretName or address"),
        Arguments.of(base + "managedBy: \"\"", "managedBy must be a domain-prefixed path"),
        Arguments.of(base + "managedBy: \" \"", "managedBy must be a domain-prefixed path"),
        Arguments.of(base + "managedBy: chainer-operator", "managedBy must be a domain-prefixed path"),
        Arguments.of(base + "managedBy: Example.com/ctl", "managedBy must be a domain-prefixed path"),
        Arguments.of(base + "managedBy: example.com//ctl", "managedBy must be a domain-prefixed path"),
        Arguments.of(base + "managedBy: chainer.dev/chainer-operator/", "managedBy must be a domain-prefixed path"),
        Arguments.of(base + "managedBy: \"chainer.dev/chainer\u2010operator\"", "managedBy must be a domain-prefixed"),
        Arguments.of(base + "managedBy: chainer.dev/Chainer-Operator", "not the operator's own name in another case"),
        Arguments.of(base + "sourceDirectoryDataStore:\n  nfs: {server: \"\", path: /exports}",
            "nfs.server must be the NFS server's host name"),
        Arguments.of(base + "sourceDirectoryDataStore:\n  nfs: {server: \"nfs local\", path: /exports}",
            "nfs.server must be the NFS server's host name"),
        Arguments.of(base + "sourceDirectoryDataStore:\n  nfs: {server: nfs, path: exports}",
            "nfs.path must be an absolute path"),
        Arguments.of(base + "sourceDirectoryDataStore:\n  git: {url: \"ext::sh -c id\"}", "git.url must not use"),
        Arguments.of(base + "sourceDirectoryDataStore:\n  git: {url: \"fd::3\"}", "git.url must not use"),
        Arguments.of(base + "sourceDirectoryDataStore:\n  git: {url: \"https://x/r\\0.git\"}", "git.url must not use"),
        Arguments.of(base + "sourceDirectoryDataStore:\n  secret: ../../other-namespace/secrets/x",
            "must be object names"),
        Arguments.of(base + "inputs:\n- name: d\n  dataStore: {persistentVolumeClaim: Data_1}", "must be object names"),
        Arguments.of(base + "inputs:\n- name: d\n  dataStore: {configMap: \"a/b\"}", "must be object names"),
        Arguments.of(base + "kubernetes:\n  worker:\n    serviceAccountName: \"system:serviceaccount:ns:sa\"",
            "must be object names"),
        Arguments.of(base + "kubernetes:\n  launcher:\n    schedulerName: My Scheduler", "must be object names"),
        Arguments.of(base + "kubernetes:\n  launcher:\n    priorityClassName: High", "must be object names"),
        Arguments.of(base + "kubernetes:\n  worker:\n    labels: {chainer.dev/job-name: x}",
            "must not use the operator's keys"),
        Arguments.of(base + "kubernetes:\n  worker:\n    annotations: {sub.Chainer.dev/x: x}",
            "must not use the operator's keys"),
        Arguments.of(base + "kubernetes:\n  launcher:\n    annotations: {scheduling.k8s.io/group-name: g}",
            "must not use the operator's keys"),
        Arguments.of(base + "kubernetes:\n  launcher:\n    labels: {volcano.sh/queue-name: q}",
            "must not use the operator's keys"),
        Arguments.of(base + "kubernetes:\n  worker:\n    tolerations:\n    - {key: gpu, operator: Exist}",
            "a toleration's operator must be Exists or Equal"),
        Arguments.of(base + "kubernetes:\n  worker:\n    tolerations:\n    - {key: gpu, operator: Exists, effect: "
            + "NoEvict}", "a toleration's effect must be"),
        Arguments.of(base + "kubernetes:\n  launcher:\n    tolerations:\n    - {operator: Equal, value: x}",
            "a toleration without a key must have operator Exists"),
        Arguments.of(base + "kubernetes:\n  worker:\n    tolerations:\n    - {key: gpu, operator: Exists, value: x}",
            "a toleration with operator Exists must have no value"),
        Arguments.of(base + "kubernetes:\n  worker:\n    tolerations:\n    - {key: gpu, operator: Exists, effect: "
            + "NoSchedule, tolerationSeconds: 5}", "tolerationSeconds needs effect NoExecute"),
        Arguments.of(base + "runPolicy:\n  schedulingPolicy:\n    queue: Research", "must name a Volcano Queue"),
        Arguments.of(base + "runPolicy:\n  schedulingPolicy:\n    priorityClassName: \"high \"",
            "must name a Volcano Queue"));
  }

  /** What these rules must let through: the operator's own name, other controllers, ordinary names and keys. */
  @Test
  void validNamesAndKeysPass() throws Exception {
    String base = "sourceDirectory: /app\nentryScript: t.py\n";
    for (String spec : List.of("managedBy: chainer.dev/chainer-operator", "managedBy: kueue.x-k8s.io/multikueue",
        "managedBy: example.com/team/ctl-v2", "kubernetes:\n  worker:\n    serviceAccountName: trainer.v2\n"
            + "    priorityClassName: \"\"\n    labels: {team: a, mychainer.dev/x: y, example.com/chainer.dev: z}",
        "sourceDirectoryDataStore:\n  git: {url: \"git@github.com:chainer/chainer.git\"}",
        "sourceDirectoryDataStore:\n  nfs: {server: 10.0.0.4, path: /exports/code}",
        "runPolicy:\n  schedulingPolicy:\n    queue: research.gpu",
        "kubernetes:\n  worker:\n    tolerations:\n    - {key: gpu, operator: Exists, effect: NoExecute, "
            + "tolerationSeconds: 30}\n    - {operator: Exists}\n    - {key: pool, value: a}")) {
      assertEquals(List.of(), violations(job(base + spec)), spec);
    }
  }

  @ParameterizedTest
  @MethodSource("refused")
  void badJobsAreRefusedWithTheRulesMessage(String spec, String message) throws Exception {
    List<String> messages = violations(job(spec));
    assertTrue(messages.stream().anyMatch(m -> m.contains(message)), () -> "expected '" + message + "' in "
        + messages);
  }

  @Test
  void nameLongerThan45IsRefused() throws Exception {
    assertTrue(violations(job("a".repeat(46), "sourceDirectory: /a\nentryScript: t.py")).stream()
        .anyMatch(m -> m.startsWith("metadata.name must be a DNS label of at most 45")));
  }

  @Test
  void aStartedJobOnlyAcceptsRunPolicyChanges() throws Exception {
    ChainerJob before = mpi("");
    ChainerJobStatus status = new ChainerJobStatus();
    status.setStartTime("2026-01-01T00:00:00Z");
    before.setStatus(status);
    ChainerJob resized = Serialization.clone(before);
    resized.getSpec().setNodeCount(4);
    ChainerJob suspended = Serialization.clone(before);
    suspended.getSpec().setRunPolicy(new RunPolicy());
    suspended.getSpec().getRunPolicy().setSuspend(true);
    assertTrue(CelRules.violations(schema(), resized, before).stream().anyMatch(m -> m.startsWith(
        "the job has started: only spec.runPolicy can change")));
    assertEquals(List.of(), CelRules.violations(schema(), suspended, before));
    ChainerJob notStarted = Serialization.clone(before);
    notStarted.setStatus(null);
    assertEquals(List.of(), CelRules.violations(schema(), resized, notStarted));
  }
}
