package dev.chainer.operator.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed CRD is the one generated from the Java model, and it explains every field. */
class CrdTest {
  static final Path COMMITTED = Path.of(System.getProperty("chainer.repository", ".."), "crds/chainerjobs.chainer.dev-v1.yml");
  static final Path GENERATED = Path.of("target/classes/META-INF/fabric8/chainerjobs.chainer.dev-v1.yml");

  static CustomResourceDefinition committed() throws Exception {
    return Serialization.unmarshal(Files.readString(COMMITTED), CustomResourceDefinition.class);
  }

  static JSONSchemaProps spec() throws Exception {
    return committed().getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  @Test
  void committedCrdMatchesTheGeneratedOne() throws Exception {
    assertEquals(Files.readString(GENERATED), Files.readString(COMMITTED),
        "crds/ is out of date: run 'mvn -pl api process-classes' and copy api/" + GENERATED + " to " + COMMITTED);
  }

  @Test
  void smallEnoughForClientSideApply() throws Exception {
    // kubectl's client-side apply stores the object in an annotation limited to 256 KiB.
    long size = Files.size(COMMITTED);
    assertTrue(size < 256 * 1024, "CRD is " + size + " bytes");
  }

  @Test
  void namesGroupAndVersion() throws Exception {
    var crd = committed();
    assertEquals("chainerjobs.chainer.dev", crd.getMetadata().getName());
    assertEquals("chainer.dev", crd.getSpec().getGroup());
    assertEquals("ChainerJob", crd.getSpec().getNames().getKind());
    assertEquals(List.of("chj"), crd.getSpec().getNames().getShortNames());
    assertEquals("Namespaced", crd.getSpec().getScope());
    var version = crd.getSpec().getVersions().get(0);
    assertEquals("v1", version.getName());
    assertTrue(version.getSubresources().getStatus() != null, "status subresource");
    List<String> columns = version.getAdditionalPrinterColumns().stream().map(c -> c.getName()).toList();
    assertTrue(columns.containsAll(List.of("Phase", "Ready", "Age")), columns::toString);
  }

  @Test
  void everyEstimatorParameterIsASpecField() throws Exception {
    List<String> estimator = List.of("sourceDirectory", "sourceDirectoryDataStore", "computeTarget", "vmSize",
        "vmPriority", "entryScript", "scriptParams", "nodeCount", "processCountPerNode", "distributedBackend",
        "distributedTraining", "useGpu", "useDocker", "customDockerBaseImage", "customDockerImage",
        "imageRegistryDetails", "userManaged", "condaPackages", "pipPackages", "condaDependenciesFile",
        "condaDependenciesFilePath", "pipRequirementsFile", "pipRequirementsFilePath", "environmentVariables",
        "environmentDefinition", "inputs", "shmSize", "resumeFrom", "maxRunDurationSeconds", "frameworkVersion",
        "arguments", "kubernetes", "runPolicy", "managedBy", "outputs");
    assertEquals(estimator.stream().sorted().toList(), spec().getProperties().keySet().stream().sorted().toList());
    assertEquals(List.of("entryScript"), spec().getRequired());
  }

  @Test
  void kubectlExplainHasADescriptionForEverySpecField() throws Exception {
    List<String> missing = new ArrayList<>();
    collectUndescribed("spec", spec(), missing);
    assertEquals(List.of(), missing);
  }

  @Test
  void defaultsAndUnitsAreExplained() throws Exception {
    Map<String, JSONSchemaProps> fields = spec().getProperties();
    assertTrue(fields.get("shmSize").getDescription().contains("Default 2g"));
    assertTrue(fields.get("nodeCount").getDescription().contains("default 1"));
    assertTrue(fields.get("maxRunDurationSeconds").getDescription().contains("seconds"));
    assertTrue(fields.get("frameworkVersion").getDescription().contains("default 5.1.0"));
  }

  @Test
  void celRulesGuardTheEstimatorsRules() throws Exception {
    String rules = spec().getXKubernetesValidations().stream().map(v -> v.getRule()).toList().toString();
    assertTrue(rules.contains("has(self.distributedBackend) || has(self.distributedTraining)"), rules);
    assertTrue(rules.contains("!has(self.environmentDefinition)"), rules);
    assertEquals("self == true", spec().getProperties().get("useDocker").getXKubernetesValidations().get(0).getRule());
  }

  /** Our own fields must be described; the Kubernetes types we embed (Affinity, ...) are not ours to describe. */
  private static void collectUndescribed(String path, JSONSchemaProps props, List<String> missing) {
    if (props.getProperties() == null) {
      return;
    }
    props.getProperties().forEach((name, child) -> {
      String childPath = path + "." + name;
      if (child.getDescription() == null || child.getDescription().isBlank()) {
        missing.add(childPath);
      }
      if (!List.of("resources", "tolerations", "affinity").contains(name)) {
        collectUndescribed(childPath, child, missing);
        if (child.getItems() != null && child.getItems().getSchema() != null) {
          collectUndescribed(childPath + "[]", child.getItems().getSchema(), missing);
        }
      }
    });
  }
}
