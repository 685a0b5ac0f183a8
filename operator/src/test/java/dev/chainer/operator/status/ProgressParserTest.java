package dev.chainer.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Progress from real Chainer output formats. */
class ProgressParserTest {
  private static String resource(String name) throws Exception {
    return Files.readString(Path.of("src/test/resources/progress", name));
  }

  @Test
  void printReportTableGivesTheLatestEpochAndMetricsEvenWithBlankCells() throws Exception {
    ProgressReading r = ProgressParser.parse(resource("chainermn-mnist.log"));
    assertEquals(3L, r.epoch());
    assertEquals(20L, r.totalEpochs(), "ChainerMN's 'Num epoch: 20'");
    assertEquals("0.0611275", r.metrics().get("main/loss"));
    assertEquals("0.98065", r.metrics().get("main/accuracy"));
    assertEquals("0.0789371", r.metrics().get("validation/main/loss"), "blank this epoch: the last reported value");
    assertTrue(!r.metrics().containsKey("elapsed_time"));
  }

  @Test
  void progressBarGivesPercentIterationEpochAndTimeRemaining() throws Exception {
    ProgressReading r = ProgressParser.parse(resource("progress-bar.log"));
    assertEquals(14.58, r.percent());
    assertEquals(1750L, r.iteration());
    assertEquals(2L, r.epoch());
    assertEquals(20L, r.totalEpochs());
    assertEquals(232L, r.secondsRemaining());
  }

  @Test
  void iterationStopTriggerAndDaysInTheEstimate() {
    ProgressReading r = ProgressParser.parse("""
              300 iter, 0 epoch / 100000 iterations
            12.5 iters/sec. Estimated time to finish: 2 days, 3:04:05.123.
        """);
    assertEquals(100000L, r.totalIterations());
    assertNull(r.totalEpochs());
    assertEquals(2 * 86400 + 3 * 3600 + 4 * 60 + 5L, r.secondsRemaining());
  }

  @Test
  void logReportJsonGivesTheLastEntry() throws Exception {
    ProgressReading r = ProgressParser.parse("starting\n" + resource("logreport.json") + "done\n");
    assertEquals(2L, r.epoch());
    assertEquals(1200L, r.iteration());
    assertEquals("0.9753000140190125", r.metrics().get("validation/main/accuracy"));
  }

  @Test
  void multiRankInterleavingAndLaterOutputWin() throws Exception {
    String log = resource("chainermn-mnist.log") + "[1,3]<stdout>: rank 3 epoch garbage 12 x\n"
        + resource("progress-bar.log") + "4           0.05        0.07                  0.985          0.978                     15.0\n";
    ProgressReading r = ProgressParser.parse(log);
    assertEquals(4L, r.epoch());
    assertEquals("0.05", r.metrics().get("main/loss"));
    assertEquals(14.58, r.percent());
  }

  @Test
  void metricsAreBounded() {
    StringBuilder header = new StringBuilder("epoch");
    StringBuilder row = new StringBuilder("1    ");
    for (int i = 0; i < 20; i++) {
      header.append("  metric").append(i);
      row.append("    0.").append(i).append("   ");
    }
    ProgressReading r = ProgressParser.parse(header + "\n" + row + "\n");
    assertEquals(ProgressReading.MAX_METRICS, r.metrics().size());
  }

  @Test
  void aScriptThatReportsNothingHasNoProgressAndGarbageNeverThrows() {
    assertTrue(ProgressParser.parse("hello\nworld\n").isEmpty());
    assertTrue(ProgressParser.parse("").isEmpty());
    assertTrue(ProgressParser.parse(null).isEmpty());
    Random random = new Random(42);
    for (int i = 0; i < 200; i++) {
      byte[] bytes = new byte[random.nextInt(400)];
      random.nextBytes(bytes);
      ProgressParser.parse("epoch  iteration\n[\n" + new String(bytes) + "\n]\n" + new String(bytes));
    }
    assertEquals(Map.of(), ProgressParser.parse("epoch iteration\n1 2 3 4 5 6 7\n").metrics());
  }
}
