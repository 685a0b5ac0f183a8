package dev.chainer.operator.validation;

import static dev.chainer.operator.testing.TestJobs.job;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.config.OperatorConfig;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecValidatorTest {
  private static final String BASE = "sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\n";

  private static List<Problem> validate(ChainerJob job) {
    return SpecValidator.validate(job, OperatorConfig.defaults());
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of("useDocker false", BASE + "useDocker: false", "spec.useDocker",
            "Kubernetes always runs containers"),
        Arguments.of("environmentDefinition with separate fields", BASE
            + "pipPackages: [numpy]\nshmSize: 1Gi\nenvironmentDefinition:\n  docker:\n    image: x",
            "spec.environmentDefinition", "cannot be combined with pipPackages, shmSize"),
        Arguments.of("conda file with packages", "sourceDirectory: /app\nentryScript: t.py\nframeworkVersion: \"7.0.0\"\n"
            + "condaDependenciesFile: env.yml\npipPackages: [x]\ncondaPackages: [y]",
            "spec.condaDependenciesFile", "cannot be combined with pipPackages, condaPackages"),
        Arguments.of("nodeCount 0", BASE + "nodeCount: 0", "spec.nodeCount", "at least 1"),
        Arguments.of("processCountPerNode 0", BASE + "processCountPerNode: 0", "spec.processCountPerNode",
            "at least 1"),
        Arguments.of("unsupported backend", BASE + "distributedBackend: gloo", "spec.distributedBackend",
            "'gloo' is not supported by Chainer: the only backend is 'mpi'"),
        Arguments.of("userManaged with packages", BASE + "userManaged: true\npipPackages: [numpy]",
            "spec.userManaged", "installs nothing, so it cannot be combined with pipPackages"),
        Arguments.of("userManaged in environmentDefinition", BASE
            + "environmentDefinition:\n  python:\n    userManaged: true\n    condaPackages: [numpy]",
            "spec.environmentDefinition.python.userManaged", "cannot be combined with condaPackages"),
        Arguments.of("several nodes without backend", BASE + "nodeCount: 2", "spec.distributedTraining",
            "is required when nodeCount > 1 or processCountPerNode > 1"),
        Arguments.of("several processes without backend", BASE + "processCountPerNode: 4",
            "spec.distributedTraining", "processCountPerNode 4"),
        Arguments.of("both custom images", BASE + "customDockerImage: a\ncustomDockerBaseImage: b",
            "spec.customDockerBaseImage", "use customDockerImage only"),
        Arguments.of("unsupported framework version", "sourceDirectory: /app\nentryScript: t.py\n"
            + "frameworkVersion: \"6.0.0\"", "spec.frameworkVersion", "supported versions: 5.1.0, 7.0.0"),
        Arguments.of("conflicting process counts", BASE
            + "processCountPerNode: 2\ndistributedTraining:\n  mpi:\n    processCountPerNode: 4",
            "spec.processCountPerNode", "is 2 but distributedTraining.mpi.processCountPerNode is 4"),
        Arguments.of("file and deprecated alias", BASE
            + "pipRequirementsFile: a.txt\npipRequirementsFilePath: b.txt", "spec.pipRequirementsFilePath",
            "use pipRequirementsFile only"),
        Arguments.of("conda file and alias", BASE
            + "condaDependenciesFile: a.yml\ncondaDependenciesFilePath: b.yml", "spec.condaDependenciesFilePath",
            "use condaDependenciesFile only"),
        Arguments.of("entryScript missing", "sourceDirectory: /app\nframeworkVersion: \"7.0.0\"",
            "spec.entryScript", "is required"),
        Arguments.of("entryScript escaping", "sourceDirectory: /app\nentryScript: ../../etc/x.py\n"
            + "frameworkVersion: \"7.0.0\"", "spec.entryScript", "relative path inside sourceDirectory"),
        Arguments.of("entryScript absolute", "sourceDirectory: /app\nentryScript: /bin/x.py\n"
            + "frameworkVersion: \"7.0.0\"", "spec.entryScript", "no leading '/'"),
        Arguments.of("invalid shm size", BASE + "shmSize: two-gigs", "spec.shmSize",
            "Invalid value: \"two-gigs\": spec.shmSize in body should match"),
        Arguments.of("invalid resource quantity", BASE
            + "kubernetes:\n  worker:\n    resources:\n      limits:\n        memory: lots",
            "spec.kubernetes.worker.resources.limits[memory]", "not a Kubernetes quantity"),
        Arguments.of("source directory missing without store", "entryScript: t.py\nframeworkVersion: \"7.0.0\"",
            "spec.sourceDirectory", "is required: the directory in the image that holds entryScript (an absolute "
            + "path such as /app), or set sourceDirectoryDataStore"),
        Arguments.of("source directory relative without store", "sourceDirectory: app\nentryScript: t.py\n"
            + "frameworkVersion: \"7.0.0\"", "spec.sourceDirectory", "absolute path in the image"),
        Arguments.of("source directory escaping store", "sourceDirectoryDataStore:\n  persistentVolumeClaim: c\n"
            + "sourceDirectory: ../x\nentryScript: t.py\nframeworkVersion: \"7.0.0\"", "spec.sourceDirectory",
            "relative path inside sourceDirectoryDataStore"),
        Arguments.of("data store with two kinds", "sourceDirectoryDataStore:\n  persistentVolumeClaim: c\n"
            + "  configMap: m\nentryScript: t.py\nframeworkVersion: \"7.0.0\"", "spec.sourceDirectoryDataStore",
            "exactly one of"),
        Arguments.of("git input", BASE + "inputs:\n- name: d\n  dataStore:\n    git:\n      url: https://x",
            "spec.inputs[0].dataStore.git", "only be a sourceDirectoryDataStore"),
        Arguments.of("input without name", BASE + "inputs:\n- dataStore:\n    persistentVolumeClaim: c",
            "spec.inputs[0].name", "AZUREML_DATAREFERENCE_<name>"),
        Arguments.of("duplicate input names", BASE + "inputs:\n- name: d\n  dataStore:\n    configMap: a\n"
            + "- name: d\n  dataStore:\n    configMap: b", "spec.inputs[1].name", "used by another input"),
        Arguments.of("relative pathOnCompute", BASE + "inputs:\n- name: d\n  pathOnCompute: data\n"
            + "  dataStore:\n    configMap: a", "spec.inputs[0].pathOnCompute", "absolute path"),
        Arguments.of("escaping pathOnDataStore", BASE + "resumeFrom:\n  pathOnDataStore: ../../x\n"
            + "  dataStore:\n    persistentVolumeClaim: a", "spec.resumeFrom.pathOnDataStore",
            "relative path inside the data store"),
        Arguments.of("bad environment variable name", BASE + "environmentVariables:\n  \"1BAD\": x",
            "spec.environmentVariables[1BAD]", "not a valid environment variable name"),
        Arguments.of("nested script parameter", BASE + "scriptParams:\n  --opt:\n    a: b",
            "spec.scriptParams[--opt]", "string, number, boolean, null or a list"),
        Arguments.of("registry half given", BASE + "imageRegistryDetails:\n  address: r.io",
            "spec.imageRegistryDetails", "needs pullSecretName, or all of address, username"),
        Arguments.of("bad compute target", BASE + "computeTarget: \"gpu pool!\"", "spec.computeTarget",
            "label value"),
        Arguments.of("negative backoffLimit", BASE + "runPolicy:\n  backoffLimit: -1",
            "spec.runPolicy.backoffLimit", "0 or more"),
        Arguments.of("zero deadline", BASE + "maxRunDurationSeconds: 0", "spec.maxRunDurationSeconds",
            "at least 1 second"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("errors")
  void reportsTheFieldAndTheRule(String name, String spec, String field, String message) {
    List<Problem> problems = validate(job(spec));
    assertTrue(problems.stream().anyMatch(p -> p.isError() && p.field().equals(field)
        && p.message().contains(message)), () -> "expected an error on " + field + " saying '" + message
        + "', got " + problems);
  }

  @Test
  void nameTooLongForDerivedObjectsIsAnError() {
    String name = "a".repeat(46);
    List<Problem> problems = validate(job(name, BASE));
    assertTrue(problems.stream().anyMatch(p -> p.field().equals("metadata.name")
        && p.message().contains("at most 45 characters") && p.message().contains("46 characters")), problems::toString);
    assertFalse(SpecValidator.hasErrors(validate(job("a".repeat(45), BASE))));
  }

  @Test
  void nameMustBeADnsLabelStartingWithALetter() {
    assertTrue(SpecValidator.hasErrors(validate(job("9lives", BASE))));
  }

  @Test
  void returnsEveryProblemAtOnce() {
    List<Problem> problems = validate(job("entryScript: /abs.py\nuseDocker: false\nnodeCount: 3\n"
        + "frameworkVersion: \"1.0\"\nshmSize: big"));
    List<String> fields = problems.stream().filter(Problem::isError).map(Problem::field).toList();
    assertTrue(fields.containsAll(List.of("spec.useDocker", "spec.distributedTraining", "spec.frameworkVersion",
        "spec.shmSize", "spec.entryScript", "spec.sourceDirectory")), problems::toString);
  }

  @Test
  void deprecatedFieldsAreWarningsNotErrors() {
    List<Problem> problems = validate(job(BASE + "distributedBackend: mpi\nnodeCount: 2\n"
        + "customDockerBaseImage: img\npipRequirementsFilePath: req.txt"));
    assertFalse(SpecValidator.hasErrors(problems), problems::toString);
    List<String> warned = problems.stream().map(Problem::field).toList();
    assertEquals(List.of("spec.distributedBackend", "spec.customDockerBaseImage", "spec.pipRequirementsFilePath"),
        warned);
    assertTrue(problems.stream().allMatch(p -> p.message().contains("deprecated")), problems::toString);
    List<Problem> conda = validate(job(BASE + "condaDependenciesFilePath: env.yml"));
    assertEquals(List.of(Problem.warning("spec.condaDependenciesFilePath", "is deprecated: use condaDependenciesFile")),
        conda);
  }

  @Test
  void missingFrameworkVersionFallsBackWithAWarning() {
    List<Problem> problems = validate(job("sourceDirectory: /app\nentryScript: t.py"));
    assertEquals(List.of(Problem.warning("spec.frameworkVersion", "is not set: using Chainer 5.1.0")), problems);
  }

  @Test
  void supportedVersionsComeFromTheOperatorConfiguration() {
    OperatorConfig config = OperatorConfig.defaults();
    config.getFrameworkVersions().remove("5.1.0");
    config.setDefaultFrameworkVersion("7.0.0");
    List<Problem> problems = SpecValidator.validate(job("sourceDirectory: /app\nentryScript: t.py\n"
        + "frameworkVersion: \"5.1.0\""), config);
    assertTrue(problems.stream().anyMatch(p -> p.message().endsWith("supported versions: 7.0.0")), problems::toString);
  }

  @Test
  void aValidMpiJobHasNoProblems() {
    assertEquals(List.of(), validate(job(BASE + "nodeCount: 4\ndistributedTraining:\n  mpi:\n"
        + "    processCountPerNode: 8\n    implementation: IntelMPI\nuseGpu: true\nshmSize: 16Gi")));
  }
}
