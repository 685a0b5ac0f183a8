package dev.chainer.operator.render;

import static dev.chainer.operator.testing.TestJobs.minimal;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ScriptArgumentsTest {
  private static List<String> argv(String extra, Map<String, String> dataPaths) {
    return ScriptArguments.of(minimal(extra).getSpec(), dataPaths);
  }

  @Test
  void flagsInSortedOrderEachFollowedByItsValue() {
    assertEquals(List.of("--batchsize", "100", "--epoch", "20", "--out", "result"),
        argv("scriptParams:\n  --out: result\n  --epoch: 20\n  --batchsize: 100", Map.of()));
  }

  @Test
  void nullEmptyStringAndEmptyListGiveTheFlagAlone() {
    assertEquals(List.of("--a", "--b", "--c", "--d", "0"),
        argv("scriptParams:\n  --a: null\n  --b: \"\"\n  --c: []\n  --d: 0", Map.of()));
  }

  @Test
  void listsGiveTheFlagThenEachItem() {
    assertEquals(List.of("--layers", "1", "2", "x"), argv("scriptParams:\n  --layers: [1, 2, x]", Map.of()));
  }

  @Test
  void booleansAndFloatsAsPythonPrintsThem() {
    assertEquals(List.of("--amp", "False", "--lr", "0.01", "--scale", "2.0", "--verbose", "True"),
        argv("scriptParams:\n  --verbose: true\n  --amp: false\n  --lr: 0.01\n  --scale: 2.0", Map.of()));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({"1e-05, 1e-05", "0.00001, 1e-05", "0.0001, 0.0001", "1.0e+16, 1e+16", "1.5, 1.5", "100.0, 100.0",
      "-0.0, -0.0", "2.5e-7, 2.5e-07", "1.0e+300, 1e+300"})
  void floatsAsPythonsStrPrintsThem(String yaml, String python) {
    assertEquals(List.of("--lr", python), argv("scriptParams:\n  --lr: " + yaml, Map.of()));
  }

  @Test
  void argumentsFollowInTheirOwnOrderVerbatim() {
    assertEquals(List.of("--k", "v", "z", "a", "it's \"quoted\" $(rm -rf /) ; *.py `id`"),
        argv("scriptParams:\n  --k: v\narguments:\n- z\n- a\n- \"it's \\\"quoted\\\" $(rm -rf /) ; *.py `id`\"",
            Map.of()));
  }

  @Test
  void dataReferenceValuesBecomeTheirPaths() {
    assertEquals(List.of("--data", "/mnt/mnist", "--other", "$AZUREML_DATAREFERENCE_unknown", "/mnt/mnist"),
        argv("scriptParams:\n  --data: $AZUREML_DATAREFERENCE_mnist\n  --other: $AZUREML_DATAREFERENCE_unknown\n"
            + "arguments: [$AZUREML_DATAREFERENCE_mnist]", Map.of("mnist", "/mnt/mnist")));
  }

  @Test
  void resumeFromIsAppendedAfterTheUsersArguments() {
    assertEquals(List.of("--epoch", "5", "last", "--resume-from", "/opt/chainer/model-location"),
        argv("scriptParams:\n  --epoch: 5\narguments: [last]\nresumeFrom:\n  dataStore:\n"
            + "    persistentVolumeClaim: ckpt", Map.of(DataMounts.MODEL_LOCATION, Paths.MODEL_LOCATION)));
  }
}
