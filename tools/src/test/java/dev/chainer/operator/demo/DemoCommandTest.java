package dev.chainer.operator.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoCommandTest {
  private static String[] run(DemoCommand demo) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = demo.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
        StandardCharsets.UTF_8));
    return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8),
        err.toString(StandardCharsets.UTF_8)};
  }

  @Test
  void runsTheBundledMnistJobToCompletionAndPrintsTheTimeline() {
    DemoCommand demo = new DemoCommand();
    demo.timeoutSeconds = 60;
    String[] r = run(demo);
    assertEquals("0", r[0], r[1] + r[2]);
    String timeline = r[1];
    for (String expected : new String[] {"submitted ChainerJob default/mnist-2x4-gpu",
        "created  Service mnist-2x4-gpu-worker", "created  StatefulSet mnist-2x4-gpu-worker",
        "created  Pod mnist-2x4-gpu-launcher", "phase    Running", "epoch 20/20 (100%)", "phase    Completed", "job Completed: exit code 0"}) {
      assertTrue(timeline.contains(expected), "missing '" + expected + "' in\n" + timeline);
    }
  }

  @Test
  void anInvalidJobEndsTheDemoWithItsMessages() {
    DemoCommand demo = new DemoCommand();
    demo.file = Path.of("src/test/resources/invalid-job.yaml");
    demo.timeoutSeconds = 30;
    String[] r = run(demo);
    assertEquals("1", r[0]);
    // A current API server refuses it with the CRD's CEL rule, before the operator ever sees it.
    assertTrue(r[2].contains("error: the API server refused the job: ChainerJob.chainer.dev \"invalid\" is invalid: "
        + "spec.useDocker: Invalid value: \"object\": useDocker must be true"), r[2]);
  }
}
