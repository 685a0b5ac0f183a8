package dev.chainer.operator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.testing.Repository;
import dev.chainer.operator.validation.JobFiles;
import dev.chainer.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class RenderCommandTest {
  record Result(int code, String out, String err) {}

  static Result render(Path file, Path config) {
    RenderCommand command = new RenderCommand();
    command.file = file;
    command.config = config;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = command.render(new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** The objects of a multi-document YAML stream. */
  static List<HasMetadata> documents(String yaml) {
    return java.util.Arrays.stream(yaml.split("(?m)^---$")).filter(d -> !d.isBlank())
        .map(d -> (HasMetadata) Serialization.unmarshal(d)).toList();
  }

  static Stream<Path> examples() throws IOException {
    return Files.list(Repository.path("examples")).filter(p -> p.toString().endsWith(".yaml")).sorted();
  }

  private static final String HEAD = "apiVersion: chainer.dev/v1\nkind: ChainerJob\nmetadata:\n  name: t\nspec:\n"
      + "  sourceDirectory: /app\n  entryScript: t.py\n  frameworkVersion: \"7.0.0\"\n";

  private Result renderText(String yaml) throws IOException {
    Path file = Files.createTempFile("job", ".yaml");
    try {
      Files.writeString(file, yaml);
      return render(file, null);
    } finally {
      Files.delete(file);
    }
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> refusedFiles() {
    return Stream.of(
        org.junit.jupiter.params.provider.Arguments.of(HEAD + "  arguments: [a, null]\n",
            "spec.arguments[1]: Invalid value: \"null\": spec.arguments[1] in body must be of type string"),
        org.junit.jupiter.params.provider.Arguments.of(HEAD + "  pipPackages: [null]\n", "spec.pipPackages[0]"),
        org.junit.jupiter.params.provider.Arguments.of(HEAD.replace("chainer.dev/v1", "chainer.dev/v2"),
            "apiVersion: expected chainer.dev/v1, got \"chainer.dev/v2\""),
        org.junit.jupiter.params.provider.Arguments.of(HEAD.replace("kind: ChainerJob", "kind: chainerjob"),
            "kind: expected ChainerJob, got \"chainerjob\""),
        org.junit.jupiter.params.provider.Arguments.of(HEAD + "  nodeCount: 2.5\n",
            "spec.nodeCount in body must be of type integer: \"number\""),
        org.junit.jupiter.params.provider.Arguments.of(HEAD + "  nodeCount: \"4\"\n",
            "spec.nodeCount in body must be of type integer: \"string\""),
        org.junit.jupiter.params.provider.Arguments.of(HEAD + "  nodeCount: 99999999999\n",
            "spec.nodeCount in body should be less than or equal to 1000"),
        org.junit.jupiter.params.provider.Arguments.of(HEAD + "---\n" + HEAD.replace("name: t", "name: u")
            + "  bogus: 1\n", "document 2: spec.bogus: cannot be read: Unrecognized field \"bogus\""));
  }

  @ParameterizedTest
  @MethodSource("refusedFiles")
  void aFileTheServerWouldRefuseIsAnErrorNamingTheFieldNeverAStackTrace(String yaml, String message)
      throws Exception {
    Result r = renderText(yaml);
    assertEquals(1, r.code());
    assertTrue(r.err().contains(message), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void nullsTheServerDropsAreDroppedAliasesResolvedAndEveryDocumentRendered() throws Exception {
    String second = HEAD.replace("name: t\n", "name: second\n");
    // (a null environment variable is kept by the server since the schema makes it nullable, and refused)
    Result r = renderText(HEAD + "  nodeCount: null\n  environmentDefinition: null\n"
        + "  customDockerImage: &img registry.example/x:1\n  arguments: [*img]\n---\n" + second);
    assertEquals(0, r.code(), r.err());
    List<HasMetadata> objects = documents(r.out());
    assertEquals(List.of("t-launcher", "second-launcher"), objects.stream().map(o -> o.getMetadata().getName())
        .toList());
    assertTrue(r.out().contains("- registry.example/x:1"), r.out());
  }

  @Test
  void theOutputReadsLikeKubectl() throws Exception {
    Result r = render(Repository.path("examples/single-process-cpu.yaml"), null);
    assertTrue(r.out().contains("\nkind: Pod\n"), r.out());
    assertTrue(r.out().contains("\n  name: mnist-cpu-launcher\n"), r.out());
    assertTrue(r.out().contains("chainer.dev/attempt: \"0\""), "a string that reads as a number stays quoted");
    assertFalse(r.out().contains("kind: \"Pod\""), r.out());
  }

  @ParameterizedTest
  @MethodSource("examples")
  void everyExampleIsValidAndRenders(Path example) throws Exception {
    assertFalse(SpecValidator.hasErrors(SpecValidator.validate(JobFiles.read(example), OperatorConfig.defaults())));
    Result r = render(example, null);
    assertEquals(0, r.code(), r.err());
    List<HasMetadata> objects = documents(r.out());
    assertTrue(objects.stream().anyMatch(o -> o.getKind().equals("Pod")), r.out());
    assertTrue(Files.readString(example).startsWith("# "), "each example starts with a comment saying what it shows");
  }

  @Test
  void secretsAreRedacted() {
    Result r = render(Repository.path("examples/resume-from-checkpoint.yaml"), null);
    List<HasMetadata> objects = documents(r.out());
    List<Secret> secrets = objects.stream().filter(Secret.class::isInstance).map(Secret.class::cast).toList();
    assertEquals(2, secrets.size());
    for (Secret s : secrets) {
      assertTrue(s.getStringData().values().stream().allMatch(RenderCommand.REDACTED::equals), s.toString());
    }
    assertFalse(r.out().contains("PRIVATE KEY"));
  }

  @Test
  void invalidJobGivesEveryMessageAndExitCodeOneWithoutStackTrace(@TempDir Path dir) throws Exception {
    Path job = dir.resolve("bad.yaml");
    Files.writeString(job, """
        apiVersion: chainer.dev/v1
        kind: ChainerJob
        metadata: {name: bad}
        spec:
          sourceDirectory: /app
          entryScript: ../escape.py
          nodeCount: 2
          useDocker: false
        """);
    Result r = render(job, null);
    assertEquals(1, r.code());
    assertEquals("", r.out());
    assertTrue(r.err().contains("error: document 1: spec.useDocker: must be true"), r.err());
    assertTrue(r.err().contains("error: document 1: spec.entryScript:"), r.err());
    assertTrue(r.err().contains("error: document 1: spec.distributedTraining: is required when nodeCount > 1"), r.err());
    assertTrue(r.err().contains("warning: document 1: spec.frameworkVersion"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void unknownOrMistypedFieldsAreNamed(@TempDir Path dir) throws Exception {
    Path typo = dir.resolve("typo.yaml");
    Files.writeString(typo, "apiVersion: chainer.dev/v1\nkind: ChainerJob\nmetadata: {name: t}\n"
        + "spec:\n  entryScript: t.py\n  nodeCont: 2\n");
    Result r = render(typo, null);
    assertEquals(1, r.code());
    assertTrue(r.err().contains("spec.nodeCont") && r.err().contains("Unrecognized field"), r.err());
    Path wrongType = dir.resolve("type.yaml");
    Files.writeString(wrongType, "apiVersion: chainer.dev/v1\nkind: ChainerJob\nmetadata: {name: t}\n"
        + "spec:\n  entryScript: t.py\n  vmPriority: cheap\n");
    r = render(wrongType, null);
    assertEquals(1, r.code());
    assertTrue(r.err().contains("spec.vmPriority"), r.err());
    assertFalse(r.err().contains("\tat "), r.err());
  }

  @Test
  void missingFileAndNonYamlAreReportedPlainly(@TempDir Path dir) throws Exception {
    Result missing = render(dir.resolve("nope.yaml"), null);
    assertEquals(1, missing.code());
    assertTrue(missing.err().startsWith("error: "), missing.err());
    Path garbage = dir.resolve("g.yaml");
    Files.writeString(garbage, "{{{");
    assertEquals(1, render(garbage, null).code());
  }

  @Test
  void operatorConfigurationChangesTheRendering(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("config.yaml");
    Files.writeString(config, """
        clusterDomain: corp.internal
        frameworkVersions:
          "7.0.0": {cpuImage: registry.corp/chainer:7-cpu, gpuImage: registry.corp/chainer:7-gpu}
        """);
    Result r = render(Repository.path("examples/environment-definition.yaml"), config);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains(".svc.corp.internal slots=2"), r.out());
    assertTrue(r.out().contains("image: registry.corp/chainer:7-cpu"), "the configured default image: " + r.out());
  }

  private static final String MPI = "apiVersion: chainer.dev/v1\nkind: ChainerJob\nmetadata:\n  name: mpi\n"
      + "spec:\n  sourceDirectory: /app\n  entryScript: t.py\n  frameworkVersion: \"7.0.0\"\n  nodeCount: 2\n"
      + "  distributedTraining: {mpi: {processCountPerNode: 1}}\n";

  private static List<String> kinds(String out) {
    return documents(out).stream().map(HasMetadata::getKind).toList();
  }

  private static Result render(String yaml, String config, @TempDir Path dir) throws IOException {
    Path job = Files.writeString(dir.resolve("job.yaml"), yaml);
    return render(job, config == null ? null : Files.writeString(dir.resolve("config.yaml"), config));
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> configurations() {
    String queued = MPI.replace("  name: mpi\n", "  name: mpi\n  labels: {kueue.x-k8s.io/queue-name: team-a}\n");
    return Stream.of(
        org.junit.jupiter.params.provider.Arguments.of("defaults", MPI, null,
            List.of("Service", "ConfigMap", "Secret", "StatefulSet", "Pod")),
        org.junit.jupiter.params.provider.Arguments.of("Kueue", queued, "kueueIntegration: true\n",
            List.of("Workload", "Service", "ConfigMap", "Secret", "StatefulSet", "Pod")),
        org.junit.jupiter.params.provider.Arguments.of("Volcano", MPI, "gangScheduler: volcano\n",
            List.of("Service", "ConfigMap", "Secret", "PodGroup", "StatefulSet", "Pod")),
        org.junit.jupiter.params.provider.Arguments.of("Kueue and scheduler-plugins", queued,
            "kueueIntegration: true\ngangScheduler: scheduler-plugins\n",
            List.of("Workload", "Service", "ConfigMap", "Secret", "PodGroup", "StatefulSet", "Pod")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("configurations")
  void everyObjectTheOperatorCreatesIsShown(String name, String yaml, String config, List<String> kinds,
      @TempDir Path dir) throws Exception {
    Result r = render(yaml, config, dir);
    assertEquals(0, r.code(), r.err());
    assertEquals(kinds, kinds(r.out()), r.out());
    if (kinds.contains("Workload")) {
      assertTrue(r.out().contains("queueName: team-a"), r.out());
      assertTrue(r.out().contains("- name: launcher") && r.out().contains("- name: worker"), r.out());
      assertTrue(r.err().contains("note: document 1: Kueue admits this job"), r.err());
    }
  }

  @Test
  void aJobHandedToAnotherControllerRendersNothingAndSaysWhy(@TempDir Path dir) throws Exception {
    Result r = render(MPI + "  managedBy: kueue.x-k8s.io/multikueue\n", null, dir);
    assertEquals(0, r.code(), r.err());
    assertEquals("", r.out());
    assertTrue(r.err().contains("note: document 1: spec.managedBy is 'kueue.x-k8s.io/multikueue': the operator "
        + "leaves this job to that controller and creates nothing for it"), r.err());
  }

  @Test
  void generateNameIsRenderedWithAStandInForTheServersSuffix(@TempDir Path dir) throws Exception {
    Result r = render(HEAD.replace("  name: t\n", "  generateName: train-\n"), null, dir);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.out().contains("name: train-xxxxx-launcher"), r.out());
    assertTrue(r.err().contains("note: document 1: metadata.generateName: the API server will name the job "
        + "'train-' and 5 random characters; shown here as train-xxxxx"), r.err());
  }

  static Stream<org.junit.jupiter.params.provider.Arguments> badMetadata() {
    return Stream.of(
        org.junit.jupiter.params.provider.Arguments.of(HEAD.replace("  name: t\n", "  generateName: "
            + "a".repeat(41) + "\n"), "error: document 1: metadata.generateName: must be at most 40 characters"),
        org.junit.jupiter.params.provider.Arguments.of(HEAD.replace("  name: t\n", "  generateName: Train-\n"),
            "error: document 1: metadata.generateName: must be at most 40 characters of lower-case letters"),
        org.junit.jupiter.params.provider.Arguments.of(HEAD.replace("  name: t\n", "  generateName: 1-\n"),
            "starting with a letter"),
        org.junit.jupiter.params.provider.Arguments.of(HEAD.replace("  name: t\n", ""),
            "error: document 1: metadata.name: must be a DNS label"),
        org.junit.jupiter.params.provider.Arguments.of(HEAD.replace("  name: t\n", "  name: t\n  namespace: Team_A\n"),
            "error: document 1: metadata.namespace: must be a DNS label (lower-case letters, digits and '-', "
            + "starting and ending with a letter or digit, at most 63 characters), as every namespace name is "
            + "(got 'Team_A')"),
        org.junit.jupiter.params.provider.Arguments.of(HEAD.replace("  name: t\n", "  name: t\n  namespace: "
            + "n".repeat(64) + "\n"), "metadata.namespace: must be a DNS label"),
        org.junit.jupiter.params.provider.Arguments.of(HEAD.replace("  name: t\n", "  name: t\n  namespace: -a\n"),
            "metadata.namespace: must be a DNS label"),
        org.junit.jupiter.params.provider.Arguments.of(HEAD + "---\n" + HEAD,
            "job.yaml: document 2: metadata.name: ChainerJob default/t is also document 1"),
        org.junit.jupiter.params.provider.Arguments.of(HEAD + "  scriptParams: {--lr: 1, \"--lr\": 2}\n",
            "document 1: spec.scriptParams: duplicate key --lr"));
  }

  @ParameterizedTest
  @MethodSource("badMetadata")
  void badMetadataIsRefusedNamingTheDocumentAndField(String yaml, String message, @TempDir Path dir)
      throws Exception {
    Result r = render(yaml, null, dir);
    assertEquals(1, r.code(), r.err());
    assertEquals("", r.out());
    assertTrue(r.err().contains(message), r.err());
  }

  @Test
  void otherKindsAreSkippedSayingSoAndEveryJobIsRendered(@TempDir Path dir) throws Exception {
    Result r = render("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: my-config}\ndata: {a: b}\n---\n---\n"
        + HEAD + "---\n" + HEAD.replace("name: t\n", "name: u\n"), null, dir);
    assertEquals(0, r.code(), r.err());
    assertTrue(r.err().contains("note: skipped document 1: ConfigMap my-config: not a ChainerJob"), r.err());
    assertEquals(List.of("t-launcher", "u-launcher"), documents(r.out()).stream().map(o -> o.getMetadata().getName())
        .toList());
  }

  @Test
  void aFileOverThreeMebibytesIsRefusedBeforeItIsParsed(@TempDir Path dir) throws Exception {
    Result r = render(HEAD + "  arguments:\n" + "  - \"--flag-000000000000\"\n".repeat((8 << 20) / 26), null, dir);
    assertEquals(1, r.code());
    assertTrue(r.err().endsWith("job.yaml: is larger than 3 MiB (3145728 bytes), the most the API server accepts "
        + "in one request: split it into several files\n"), r.err());
  }

  @Test
  void helpWorksFromTheEntryPoint() {
    assertEquals(0, Main.run("--help"));
    assertEquals(0, Main.run("render", "--help"));
  }
}
