package dev.chainer.operator.localcluster.admission;

import dev.chainer.operator.testing.WithApiServer;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobCrd;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.localcluster.LocalApiServer;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The in-process API server refuses, prunes and accepts ChainerJobs and CRDs as a current Kubernetes does. */
class ChainerJobAdmissionTest extends WithApiServer {
  private static final String HEAD = "apiVersion: chainer.dev/v1\nkind: ChainerJob\nmetadata:\n  name: %s\n"
      + "  namespace: a\nspec:\n  sourceDirectory: /app\n  entryScript: train.py\n";

  private GenericKubernetesResource job(String name, String specLines) {
    return Serialization.unmarshal(String.format(HEAD, name) + specLines, GenericKubernetesResource.class);
  }

  private static KubernetesClientException refused(Executable write) {
    KubernetesClientException e = assertThrows(KubernetesClientException.class, write);
    assertEquals(422, e.getCode(), e.getMessage());
    assertEquals("Invalid", e.getStatus().getReason());
    return e;
  }

  @Test
  void aValueOutsideTheSchemasBoundsIsRefusedNamingTheFieldAndTheBound() {
    KubernetesClientException e = refused(() -> client.resource(job("big", "  nodeCount: 99999999999\n"
        + "  distributedTraining:\n    mpi: {}\n")).create());
    assertEquals("ChainerJob.chainer.dev \"big\" is invalid: spec.nodeCount: Invalid value: 99999999999: "
        + "spec.nodeCount in body should be less than or equal to 1000", e.getStatus().getMessage());
    assertEquals("spec.nodeCount", e.getStatus().getDetails().getCauses().get(0).getField());
  }

  @Test
  void typesEnumsListSizesAndNameLengthAreChecked() {
    assertTrue(refused(() -> client.resource(job("t", "  useGpu: \"yes\"\n")).create()).getMessage()
        .contains("spec.useGpu: Invalid value: \"string\": spec.useGpu in body must be of type boolean"));
    assertTrue(refused(() -> client.resource(job("e", "  vmPriority: cheap\n")).create()).getMessage()
        .contains("spec.vmPriority: Unsupported value: \"cheap\": supported values: \"dedicated\", \"lowpriority\""));
    String inputs = "  inputs:\n" + "  - name: d\n    dataStore:\n      configMap: c\n".repeat(33);
    assertTrue(refused(() -> client.resource(job("l", inputs)).create()).getMessage()
        .contains("spec.inputs: Too many: 33: must have at most 32 items"));
    assertTrue(refused(() -> client.resource(job("a".repeat(46), "")).create()).getMessage()
        .contains("metadata.name: Too long: may not be more than 45 characters"));
  }

  @Test
  void theCrdsCelRulesAreEvaluated() {
    assertTrue(refused(() -> client.resource(job("d", "  useDocker: false\n")).create()).getMessage()
        .contains("spec.useDocker: Invalid value: \"object\": useDocker must be true"));
    assertTrue(refused(() -> client.resource(job("m", "  nodeCount: 2\n")).create()).getMessage()
        .contains("nodeCount > 1 or processCountPerNode > 1 needs distributedTraining"));
  }

  @Test
  void transitionRulesCompareWithTheStoredObject() {
    ChainerJob job = client.resources(ChainerJob.class).resource(Serialization.unmarshal(
        String.format(HEAD, "run") + "  frameworkVersion: \"7.0.0\"\n", ChainerJob.class)).create();
    ChainerJobStatus started = new ChainerJobStatus();
    started.setStartTime("2026-01-01T00:00:00Z");
    job.setStatus(started);
    job = client.resources(ChainerJob.class).resource(job).updateStatus();
    ChainerJob resized = Serialization.clone(job);
    resized.getSpec().setEntryScript("other.py");
    assertTrue(refused(() -> client.resources(ChainerJob.class).resource(resized).update()).getMessage()
        .contains("the job has started: only spec.runPolicy can change"));
    ChainerJob suspended = Serialization.clone(job);
    suspended.getSpec().setRunPolicy(new dev.chainer.operator.api.RunPolicy());
    suspended.getSpec().getRunPolicy().setSuspend(true);
    client.resources(ChainerJob.class).resource(suspended).update();
  }

  @Test
  void statusWritesAreCheckedToo() {
    ChainerJob job = client.resources(ChainerJob.class).resource(Serialization.unmarshal(
        String.format(HEAD, "s") + "  frameworkVersion: \"7.0.0\"\n", ChainerJob.class)).create();
    ChainerJobStatus status = new ChainerJobStatus();
    status.setRestartCount(5000);
    job.setStatus(status);
    ChainerJob bad = job;
    assertTrue(refused(() -> client.resources(ChainerJob.class).resource(bad).updateStatus()).getMessage()
        .contains("status.restartCount: Invalid value: 5000"));
  }

  @Test
  void theEstimatorsEmptyValuesDockerSizesAndBareFlagsAreStored() {
    client.resource(job("empty", "  frameworkVersion: \"7.0.0\"\n  environmentDefinition:\n    docker:\n"
        + "      shmSize: 1.5g\n  pipPackages: []\n  condaPackages: []\n  useGpu: false\n  environmentVariables: {}\n"
        + "  scriptParams:\n    --verbose: null\n")).create();
    GenericKubernetesResource stored = client.genericKubernetesResources("chainer.dev/v1", "ChainerJob")
        .inNamespace("a").withName("empty").get();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) stored.getAdditionalProperties().get("spec");
    assertTrue(((Map<?, ?>) spec.get("scriptParams")).containsKey("--verbose"), spec::toString);
    assertTrue(refused(() -> client.resource(job("clash", "  environmentDefinition: {}\n  pipPackages: [numpy]\n"))
        .create()).getMessage().contains("environmentDefinition cannot be combined with pipPackages"));
    assertTrue(refused(() -> client.resource(job("shm", "  shmSize: 2gm\n")).create()).getMessage()
        .contains("spec.shmSize in body should match"));
  }

  @Test
  void fieldsTheSchemaDoesNotDeclareAreDropped() {
    client.resource(job("p", "  frameworkVersion: \"7.0.0\"\n  bogus: 1\n  runPolicy:\n    alsoBogus: x\n"))
        .create();
    GenericKubernetesResource stored = client.genericKubernetesResources("chainer.dev/v1", "ChainerJob")
        .inNamespace("a").withName("p").get();
    @SuppressWarnings("unchecked")
    Map<String, Object> spec = (Map<String, Object>) stored.getAdditionalProperties().get("spec");
    assertFalse(spec.containsKey("bogus"), spec::toString);
    assertEquals(Map.of(), spec.get("runPolicy"));
    assertEquals("7.0.0", spec.get("frameworkVersion"));
  }

  @Test
  void aCrdOverTheCelCostBudgetIsRefusedAsKubernetes134RefusedIt() throws Exception {
    CustomResourceDefinition refusedCrd = Serialization.unmarshal(
        Files.readString(Path.of("src/test/resources/crds/refused-by-kubernetes-1.34.yml")),
        CustomResourceDefinition.class);
    KubernetesClientException e = refused(() -> client.resource(refusedCrd).update());
    assertTrue(e.getMessage().contains("spec.validation.openAPIV3Schema.properties[spec].properties[inputs].items"
        + ".properties[dataStore].x-kubernetes-validations: Forbidden: estimated rule cost exceeds budget by factor "
        + "of 10.3x"), e.getMessage());
    assertTrue(e.getMessage().contains("exceeds budget by factor of 1.049672x"), e.getMessage());
    client.resource(ChainerJobCrd.definition()).update(); // today's CRD is accepted
  }

  @Test
  void withoutCelAServerStoresWhatOnlyTheRulesRefuseAndDropsTheRules() {
    try (LocalApiServer old = LocalApiServer.startWithoutCel()) {
      old.client().resource(job("d", "  useDocker: false\n")).create();
      CustomResourceDefinition stored = old.client().apiextensions().v1().customResourceDefinitions()
          .withName("chainerjobs.chainer.dev").get();
      assertFalse(Serialization.asJson(stored).contains("x-kubernetes-validations"));
      // the structural schema still applies
      refused(() -> old.client().resource(job("big", "  nodeCount: 5000\n")).create());
    }
  }
}
