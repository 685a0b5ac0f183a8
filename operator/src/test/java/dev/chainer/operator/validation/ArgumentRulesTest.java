package dev.chainer.operator.validation;

import static dev.chainer.operator.testing.TestJobs.minimal;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What becomes the script's argv: refused when it could not reach the script as written, or says two things. */
class ArgumentRulesTest {
  private static final String INPUT = "inputs:\n- name: mnist\n  dataStore:\n    persistentVolumeClaim: data\n";
  private static final String RESUME = "resumeFrom:\n  dataStore:\n    persistentVolumeClaim: models\n";

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("NUL in a value", "scriptParams:\n  --out: \"a\\0b\"\n", "spec.scriptParams[--out]",
            "control character U+0000 at position 1: a command-line argument"),
        Arguments.of("newline in a value", "scriptParams:\n  --out: \"a\\nb\"\n", "spec.scriptParams[--out]",
            "U+000A"),
        Arguments.of("escape in a list item", "scriptParams:\n  --layers: [1, \"\\e[31m\"]\n",
            "spec.scriptParams[--layers]", "U+001B"),
        Arguments.of("bell in a flag", "scriptParams:\n  \"--out\\a\": x\n", "spec.scriptParams[--out\\u0007]",
            "U+0007"),
        Arguments.of("NUL in arguments", "arguments: [\"x\\0\"]\n", "spec.arguments[0]", "U+0000"),
        Arguments.of("newline in arguments", "arguments: [ok, \"--lr\\n0.1\"]\n", "spec.arguments[1]", "U+000A"),
        Arguments.of("undeclared data reference", INPUT + "scriptParams:\n  --data: $AZUREML_DATAREFERENCE_mnsit\n",
            "spec.scriptParams[--data]", "names no data reference of the job, and would reach the script "
            + "literally; declared: mnist"),
        Arguments.of("undeclared data reference in arguments", "arguments: [$AZUREML_DATAREFERENCE_data]\n",
            "spec.arguments[0]", "declared: none"),
        Arguments.of("data reference of resumeFrom without resumeFrom",
            INPUT + "arguments: [$AZUREML_DATAREFERENCE_MODEL_LOCATION]\n", "spec.arguments[0]", "declared: mnist"),
        Arguments.of("--resume-from in scriptParams", RESUME + "scriptParams:\n  --resume-from: /x\n",
            "spec.scriptParams[--resume-from]", "repeats the flag the operator adds for spec.resumeFrom"),
        Arguments.of("--resume_from in scriptParams", RESUME + "scriptParams:\n  --resume_from: /x\n",
            "spec.scriptParams[--resume_from]", "repeats the flag"),
        Arguments.of("--resume-from= in arguments", RESUME + "arguments: [--resume-from=/x]\n", "spec.arguments[0]",
            "repeats the flag"),
        Arguments.of("--Resume-From in arguments", RESUME + "arguments: [--epoch, 3, --Resume-From, /x]\n",
            "spec.arguments[2]", "repeats the flag"),
        Arguments.of("--resume_from= as a value", RESUME + "scriptParams:\n  --x: --resume_from=/y\n",
            "spec.scriptParams[--x]", "repeats the flag"),
        Arguments.of("nested value", "scriptParams:\n  --opt:\n    a: b\n", "spec.scriptParams[--opt]",
            "string, number, boolean, null or a list"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void isRefusedNamingTheFieldAndTheRule(String name, String extra, String field, String words) {
    Verdicts.refused(minimal(extra), field, words);
  }

  /**
   * A number no double holds can only come from a job built in code: a job file reads 1e400 as the text kubectl
   * sends (accepted below) and refuses .nan and .inf itself (JobFileYamlTest), and JSON has neither.
   */
  static Stream<Arguments> unrepresentable() {
    return Stream.of(Arguments.of(Double.POSITIVE_INFINITY, "is infinite or beyond a 64-bit float (such as 1e400 or "
        + ".inf)"), Arguments.of(Double.NEGATIVE_INFINITY, "no 64-bit float holds"),
        Arguments.of(Double.NaN, "is not a number (.nan)"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unrepresentable")
  void aNumberNoDoubleHoldsIsRefusedWhenBuiltInCode(double value, String words) {
    var job = minimal("");
    job.getSpec().setScriptParams(java.util.Map.of("--lr", com.fasterxml.jackson.databind.node.DoubleNode.valueOf(
        value)));
    Verdicts.refused(job, "spec.scriptParams[--lr]", words);
    var list = minimal("");
    list.getSpec().setScriptParams(java.util.Map.of("--lr", com.fasterxml.jackson.databind.node.JsonNodeFactory
        .instance.arrayNode().add(1).add(value)));
    Verdicts.refused(list, "spec.scriptParams[--lr]", words);
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("bare flags", "scriptParams:\n  --a: null\n  --b: \"\"\n  --c: []\n"),
        Arguments.of("a tab in a value", "scriptParams:\n  --sep: \"\\t\"\n"),
        Arguments.of("declared data references", INPUT + RESUME
            + "scriptParams:\n  --data: $AZUREML_DATAREFERENCE_mnist\narguments: [$AZUREML_DATAREFERENCE_MODEL_LOCATION]\n"),
        Arguments.of("outputs reference", "outputs:\n  claimTemplate: {}\narguments: [$AZUREML_DATAREFERENCE_outputs]\n"),
        Arguments.of("--resume-from without resumeFrom", "scriptParams:\n  --resume-from: /x\n"),
        Arguments.of("another flag like it", RESUME + "scriptParams:\n  --resume-from-epoch: 3\n"),
        Arguments.of("large and small floats", "scriptParams:\n  --lr: 1.0e-300\n  --big: 1.7976931348623157e308\n"),
        Arguments.of("1e400 in a file: the text kubectl sends", "scriptParams:\n  --lr: 1e400\n  --neg: -1e400\n"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void isAccepted(String name, String extra) {
    Verdicts.accepted(minimal(extra));
  }
}
