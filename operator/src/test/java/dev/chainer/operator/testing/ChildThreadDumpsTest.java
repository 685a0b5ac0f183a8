package dev.chainer.operator.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ChildThreadDumpsTest {
  @Test
  void aTimedOutTestLeavesTheThreadsOfTheJvmsItStarted() throws Exception {
    String java = ProcessHandle.current().info().command().orElseThrow();
    Path source = Path.of("src/test/resources/Sleeper.java");
    Process child = new ProcessBuilder(java, source.toString()).start();
    try {
      String out = "";
      for (int i = 0; i < 100 && !out.contains("Sleeper.main"); i++) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ChildThreadDumps.dumpChildren(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        out = bytes.toString(StandardCharsets.UTF_8);
        if (!out.contains("Sleeper.main")) {
          TimeUnit.MILLISECONDS.sleep(200); // the child is still compiling its source
        }
      }
      assertTrue(out.contains("==== threads of child JVM " + child.pid()), out);
      assertTrue(out.contains("Sleeper.main"), out);
    } finally {
      child.destroyForcibly().waitFor();
    }
  }
}
