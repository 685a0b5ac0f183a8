package dev.chainer.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** YAML as kubectl reads it: duplicate and complex keys refused with their path, scalars typed as kubectl types them. */
class JobFileYamlTest {
  private static final String META = "apiVersion: chainer.dev/v1\nkind: ChainerJob\nmetadata:\n  name: t\n";
  private static final String SPEC = "spec:\n  sourceDirectory: /app\n  entryScript: t.py\n"
      + "  frameworkVersion: \"7.0.0\"\n";
  private static final String JOB = META + SPEC;

  static Stream<Arguments> refused() {
    return Stream.of(
        row("a metadata key twice", META + "  name: u\n" + SPEC, "document 1: metadata: duplicate key name"),
        row("a metadata key quoted and plain", META + "  \"name\": u\n" + SPEC, "metadata: duplicate key name"),
        row("a label key single-quoted and plain", META + "  labels:\n    team: a\n    'team': b\n" + SPEC,
            "metadata.labels: duplicate key team"),
        row("a spec key twice", JOB + "  entryScript: u.py\n", "document 1: spec: duplicate key entryScript"),
        row("a spec key quoted and plain", JOB + "  'entryScript': u.py\n", "spec: duplicate key entryScript"),
        row("an env name twice", JOB + "  environmentVariables:\n    A: '1'\n    \"A\": '2'\n",
            "spec.environmentVariables: duplicate key A"),
        row("an env name in flow style", JOB + "  environmentVariables: {A: '1', A: '2'}\n",
            "spec.environmentVariables: duplicate key A"),
        row("a script parameter quoted and plain", JOB + "  scriptParams:\n    --lr: 0.1\n    \"--lr\": 0.2\n",
            "spec.scriptParams: duplicate key --lr"),
        row("a script parameter in flow style", JOB + "  scriptParams: {--lr: 0.1, '--lr': 0.2}\n",
            "spec.scriptParams: duplicate key --lr"),
        row("a number key and its string", JOB + "  environmentVariables:\n    1: a\n    \"1\": b\n",
            "spec.environmentVariables: duplicate key 1"),
        row("y is true to kubectl", META + "  labels:\n    y: a\n    \"true\": b\n" + SPEC,
            "metadata.labels: duplicate key true"),
        row("a top-level key twice", JOB + "kind: ChainerJob\n", "document 1: duplicate key kind"),
        row("a mapping as a key", JOB + "  scriptParams:\n    ? {a: 1}\n    : x\n",
            "spec.scriptParams: a mapping key must be a string or a number, not a mapping"),
        row("a sequence as a key", JOB + "  scriptParams:\n    [a, b]: x\n",
            "spec.scriptParams: a mapping key must be a string or a number, not a sequence"),
        row("an alias of a sequence as a key", JOB + "  arguments: &x [a]\n  scriptParams:\n    *x : 1\n",
            "spec.scriptParams: a mapping key must be a string or a number, not an alias of a sequence"),
        row("a null key", JOB + "  environmentVariables:\n    ~: a\n",
            "spec.environmentVariables: a mapping key cannot be null"),
        row("1:30:00 is text, not 5400", JOB + "  nodeCount: 1:30:00\n",
            "spec.nodeCount in body must be of type integer: \"string\""),
        row("y where a string is due", JOB + "  customDockerImage: y\n",
            "spec.customDockerImage in body must be of type string: \"boolean\""),
        row("on where a string is due", JOB + "  arguments: [on]\n",
            "spec.arguments[0] in body must be of type string: \"boolean\""),
        row(".nan", JOB + "  scriptParams:\n    --lr: .nan\n", "spec.scriptParams[--lr]: NaN has no JSON form"),
        row("-.inf", JOB + "  scriptParams:\n    --lr: -.Inf\n", "spec.scriptParams[--lr]: -Infinity has no JSON form"),
        row("a local tag", JOB + "  arguments: [!custom x]\n", "spec.arguments[0]: the tag !custom is not supported"),
        row("binary", JOB + "  arguments: [!!binary aGk=]\n",
            "spec.arguments[0]: the tag tag:yaml.org,2002:binary is not supported"),
        row("a tag that does not fit", JOB + "  nodeCount: !!int two\n",
            "spec.nodeCount: 'two' cannot be read as tag:yaml.org,2002:int"),
        row("an undefined alias", JOB + "  arguments: [*nope]\n", "spec.arguments[0]: the alias *nope names no anchor"),
        row("a recursive alias", JOB + "  arguments: &r [*r]\n", "spec.arguments[0]: the alias *r names no anchor"),
        row("two merge keys", META + "  labels: &l {a: b}\n  annotations: {<<: *l, <<: *l}\n" + SPEC,
            "metadata.annotations: duplicate key <<"),
        row("a merge of a string", META + "  annotations: {<<: x}\n" + SPEC,
            "metadata.annotations[<<]: a merge key takes a mapping or a list of mappings"),
        row("a key with dots in the path", META + "  labels: {example.com/team: a, \"example.com/team\": b}\n"
            + "  annotations: {example.com/team: [a]}\n" + SPEC, "metadata.labels: duplicate key example.com/team"),
        row("a list as an annotation", META + "  annotations: {example.com/team: [a]}\n" + SPEC,
            "metadata.annotations[example.com/team]: must be a string, got [\"a\"]"),
        row("a bad value under a key with dots", JOB + "  environmentVariables: {A.B: .nan}\n",
            "spec.environmentVariables[A.B]: NaN has no JSON form"),
        row("a number as a label value", META + "  labels: {a: 1}\n" + SPEC,
            "metadata.labels[a]: must be a string, got 1"),
        row("true as an annotation", META + "  annotations: {a: yes}\n" + SPEC,
            "metadata.annotations[a]: must be a string, got true"),
        row("nesting 100 deep", JOB + "  arguments: " + "[".repeat(100) + "]".repeat(100) + "\n",
            "nested deeper than 64 levels"),
        row("not YAML", JOB + "  arguments: [a\n", "document 1: not valid YAML: "),
        row("a list, not an object", "- a\n", "document 1: not a Kubernetes object"),
        row("a second job of the same name", JOB + "---\n" + JOB, "document 2: metadata.name: ChainerJob default/t "
            + "is also document 1"),
        row("the same name, its namespace spelt out", JOB + "---\n" + JOB.replace("  name: t\n",
            "  name: t\n  namespace: default\n"), "document 2: metadata.name: ChainerJob default/t is also document 1"),
        row("an error in the third document", JOB + "---\n---\n" + JOB.replace("name: t", "name: u")
            + "  nodeCount: x\n", "document 3: spec.nodeCount"),
        row("only another kind", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n",
            "holds no ChainerJob (document 1: ConfigMap c)"),
        row("a misspelt kind is not skipped", JOB.replace("kind: ChainerJob", "kind: Chainerjob"),
            "document 1: kind: expected ChainerJob"));
  }

  private static Arguments row(String name, String yaml, String message) {
    return Arguments.of(name, yaml, message);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusedNamingTheDocumentTheFieldAndTheRule(String name, String yaml, String message) {
    JobFiles.InvalidJobFile e = assertThrows(JobFiles.InvalidJobFile.class, () -> JobFiles.contents(yaml));
    assertTrue(e.getMessage().contains(message), e.getMessage());
  }

  static Stream<Arguments> accepted() {
    Function<ChainerJob, Object> env = j -> j.getSpec().getEnvironmentVariables();
    Function<ChainerJob, Object> nodes = j -> j.getSpec().getNodeCount();
    Function<ChainerJob, Object> params = j -> j.getSpec().getScriptParams().get("--x").textValue();
    Function<ChainerJob, Object> annotations = j -> j.getMetadata().getAnnotations();
    return Stream.of(
        Arguments.of("1:30:00 stays text", JOB + "  environmentVariables: {T: 1:30:00}\n", env, Map.of("T", "1:30:00")),
        Arguments.of("a date stays text", JOB + "  environmentVariables: {D: 2024-01-31}\n", env,
            Map.of("D", "2024-01-31")),
        Arguments.of("an unquoted on as a key is true", JOB + "  environmentVariables: {on: x}\n", env,
            Map.of("true", "x")),
        Arguments.of("2.0 reaches the server as 2", JOB + "  nodeCount: 2.0\n", nodes, 2),
        Arguments.of("0o3 is octal", JOB + "  nodeCount: 0o3\n", nodes, 3),
        Arguments.of("010 is octal too", JOB + "  nodeCount: 010\n", nodes, 8),
        Arguments.of("1_0 is ten", JOB + "  nodeCount: 1_0\n", nodes, 10),
        Arguments.of("!!int on a quoted number", JOB + "  nodeCount: !!int \"4\"\n", nodes, 4),
        Arguments.of("1e400 is text, as kubectl leaves it", JOB + "  scriptParams: {--x: 1e400}\n", params,
            "1e400"),
        Arguments.of("a whole float reaches the operator as an integer", JOB + "  scriptParams: {--x: 2.0}\n",
            (Function<ChainerJob, Object>) j -> j.getSpec().getScriptParams().get("--x").toString(), "2"),
        Arguments.of("nan without a dot is text", JOB + "  scriptParams: {--x: nan}\n", params, "nan"),
        Arguments.of("explicit keys win over merged ones", META + "  labels: &l {a: \"1\", b: \"2\"}\n"
            + "  annotations: {<<: *l, b: \"3\"}\n" + SPEC, annotations, Map.of("a", "1", "b", "3")),
        Arguments.of("the first merged mapping wins", META + "  labels: &l {a: \"1\"}\n"
            + "  annotations: &m {a: \"2\", c: \"3\"}\n" + SPEC.replace("spec:\n",
            "spec:\n  environmentVariables: {<<: [*l, *m]}\n"), env, Map.of("a", "1", "c", "3")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void readAsKubectlSendsIt(String name, String yaml, Function<ChainerJob, Object> field, Object expected)
      throws Exception {
    assertEquals(expected, field.apply(JobFiles.parse(yaml)));
  }

  @Test
  void otherKindsAndEmptyDocumentsAreSkippedSayingWhich() throws Exception {
    JobFiles.Contents c = JobFiles.contents("---\n---\n" + JOB + "---\napiVersion: v1\nkind: ConfigMap\n"
        + "metadata: {name: my-config}\n---\n" + JOB.replace("name: t", "name: u") + "---\n");
    assertEquals(List.of("document 3: ConfigMap my-config"), c.skipped());
    assertEquals(List.of(2, 4), c.jobs().stream().map(JobFiles.Job::document).toList());
  }

  @Test
  void theItemsOfAListAreReadAsKubectlAppliesThem() throws Exception {
    String item = JOB.replace("\n", "\n    ").replace("apiVersion", "  - apiVersion");
    JobFiles.Contents c = JobFiles.contents("apiVersion: v1\nkind: List\nitems:\n" + item.stripTrailing() + "\n"
        + "  - {apiVersion: v1, kind: ConfigMap, metadata: {name: c}}\n" + item.replace("name: t", "name: u"));
    assertEquals(List.of("document 1 items[0]", "document 1 items[2]"), c.jobs().stream().map(JobFiles.Job::where)
        .toList());
    assertEquals(List.of("document 1 items[1]: ConfigMap c"), c.skipped());
    JobFiles.InvalidJobFile e = assertThrows(JobFiles.InvalidJobFile.class, () -> JobFiles.contents(
        "apiVersion: v1\nkind: List\nitems:\n" + item.stripTrailing() + "\n" + item));
    assertTrue(e.getMessage().contains("document 1 items[1]: metadata.name: ChainerJob default/t is also document 1 "
        + "items[0]"), e.getMessage());
  }

  @Test
  void aCommandThatTakesOneJobSaysWhichDocumentsHoldJobs() {
    JobFiles.InvalidJobFile e = assertThrows(JobFiles.InvalidJobFile.class,
        () -> JobFiles.parse(JOB + "---\n" + JOB.replace("name: t", "name: u")));
    assertTrue(e.getMessage().contains("holds 2 ChainerJobs (documents 1, 2)"), e.getMessage());
  }

  @Test
  void jobsWithGenerateNameAreNotTheSameJob() throws Exception {
    String generated = JOB.replace("  name: t\n", "  generateName: t-\n");
    assertEquals(2, JobFiles.contents(generated + "---\n" + generated).jobs().size());
  }
}
