package dev.chainer.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  // Real output of Chainer 7.8.1 (src/test/resources/mpi/train_chainer.py, 2 ranks, 5 iterations per epoch), as
  // the launcher's log holds it: PrintReport starts each row with ESC[J; ProgressBar draws four lines, then moves
  // back up over them (ESC[4A) and clears (ESC[J) before the next frame or a PrintReport row.

  /** The text up to and including the line that contains {@code marker} (its first occurrence). */
  private static String upTo(String log, String marker) {
    int at = log.indexOf(marker);
    assertTrue(at >= 0, marker);
    int end = log.indexOf('\n', at);
    return end < 0 ? log : log.substring(0, end + 1);
  }

  @Test
  void realPrintReportGivesTheLastRowDespiteTheEraseBeforeEachRow() throws Exception {
    ProgressReading r = ProgressParser.parse(resource("real-printreport.log"));
    assertEquals(5L, r.epoch());
    assertEquals(25L, r.iteration());
    assertEquals(5L, r.totalEpochs(), "'Num epoch: 5'");
    assertNull(r.totalIterations());
    assertEquals(Map.of("main/loss", "0.57702", "validation/main/loss", "0.624366", "main/accuracy", "0.75625"),
        r.metrics(), "the last row's values, as printed; elapsed_time is no metric");
    assertNull(r.percent(), "PrintReport alone has no percent (the estimator derives it from the epochs)");
    assertNull(r.secondsRemaining());

    ProgressReading second = ProgressParser.parse(upTo(resource("real-printreport.log"), "0.778882"));
    assertEquals(2L, second.epoch());
    assertEquals(10L, second.iteration());
    assertEquals("0.659249", second.metrics().get("main/loss"));
  }

  @Test
  void realLogReportGivesTheLastEntryWithFullPrecision() throws Exception {
    ProgressReading r = ProgressParser.parse(resource("real-logreport.json"));
    assertEquals(5L, r.epoch());
    assertEquals(25L, r.iteration());
    assertEquals(Map.of("main/loss", "0.577020275592804", "main/accuracy", "0.75625",
        "validation/main/accuracy", "0.7265625", "validation/main/loss", "0.6243661493062973"), r.metrics());
    assertNull(r.totalEpochs(), "the JSON does not say how long the run is");
    assertNull(r.percent());
  }

  /** The same run's LogReport and PrintReport: the table shows each value with Python's {:g} (6 digits). */
  @Test
  void realLogReportAndPrintReportOfOneRunAgree() throws Exception {
    ProgressReading json = ProgressParser.parse(resource("real-logreport.json"));
    ProgressReading table = ProgressParser.parse(resource("real-printreport.log"));
    assertEquals(table.epoch(), json.epoch());
    assertEquals(table.iteration(), json.iteration());
    for (Map.Entry<String, String> printed : table.metrics().entrySet()) {
      String full = json.metrics().get(printed.getKey());
      assertEquals(printed.getValue(), new BigDecimal(full).round(new MathContext(6)).stripTrailingZeros()
          .toPlainString(), printed.getKey());
    }
  }

  @Test
  void realProgressBarFramesAreReadThroughTheirRedraws() throws Exception {
    String log = resource("real-progressbar.log");
    // The first frame, drawn before any speed is known: "inf iters/sec. Estimated time to finish: 0:00:00."
    ProgressReading first = ProgressParser.parse(upTo(log, "inf iters/sec"));
    assertEquals(13.33, first.percent());
    assertEquals(2L, first.iteration());
    assertEquals(0L, first.epoch());
    assertEquals(3L, first.totalEpochs());
    assertEquals(0L, first.secondsRemaining());
    assertTrue(first.metrics().isEmpty());
    // The second frame, drawn over the first (ESC[4A ESC[J).
    ProgressReading second = ProgressParser.parse(upTo(log, "60.377 iters/sec"));
    assertEquals(26.67, second.percent());
    assertEquals(4L, second.iteration());
    assertEquals(0L, second.secondsRemaining(), "0:00:00.182188");
    // A PrintReport row drawn over a frame: its epoch, iteration and metrics; the percent stays the last frame's.
    ProgressReading row = ProgressParser.parse(upTo(log, "0.702242"));
    assertEquals(1L, row.epoch());
    assertEquals(5L, row.iteration());
    assertEquals("0.702242", row.metrics().get("main/loss"));
    assertEquals("0.475", row.metrics().get("main/accuracy"));
    assertEquals(26.67, row.percent());
  }

  @Test
  void realProgressBarRunEndsAtItsLastRow() throws Exception {
    ProgressReading r = ProgressParser.parse(resource("real-progressbar.log"));
    assertEquals(3L, r.epoch());
    assertEquals(15L, r.iteration(), "the last row (15) is later than the last frame (14 iter)");
    assertEquals(3L, r.totalEpochs());
    assertEquals(Map.of("main/loss", "0.640118", "validation/main/loss", "0.679925", "main/accuracy", "0.65"),
        r.metrics());
    // The bar draws no frame at the end (its last act is an ESC[J that erases the last frame): the percent is the
    // last frame's; a job that succeeds gets 100 from the planner.
    assertEquals(93.33, r.percent());
    assertEquals(0L, r.secondsRemaining(), "0:00:00.016421");
  }

  /**
   * A resumed attempt's log: its own header (PrintReport prints it again), then, at its first report, every row
   * the snapshot's LogReport restored as well as the new ones.
   */
  @Test
  void realResumedRunGivesItsLastRow() throws Exception {
    String resumed = resource("real-printreport-resumed.log");
    ProgressReading r = ProgressParser.parse(resumed);
    assertEquals(5L, r.epoch());
    assertEquals(25L, r.iteration());
    assertEquals(5L, r.totalEpochs());
    assertEquals(Map.of("main/loss", "0.615651", "validation/main/loss", "0.601263", "main/accuracy", "0.7"),
        r.metrics());
    assertNull(r.percent());
    // Both attempts' output in one text (two headers, the old rows twice): the later attempt's last row wins.
    ProgressReading both = ProgressParser.parse(resource("real-printreport.log") + resumed);
    assertEquals(25L, both.iteration());
    assertEquals(r.metrics(), both.metrics());
  }

  /** The readings of the log as it grows line by line: what the operator sees as it polls. */
  private static List<ProgressReading> asItGrows(String log) {
    List<ProgressReading> readings = new ArrayList<>();
    for (int end = log.indexOf('\n'); end >= 0; end = log.indexOf('\n', end + 1)) {
      readings.add(ProgressParser.parse(log.substring(0, end + 1)));
    }
    return readings;
  }

  @Test
  void realLogsReadAsTheyGrowNeverGoBackwards() throws Exception {
    Map<String, List<Long>> iterations = Map.of(
        "real-printreport.log", List.of(5L, 10L, 15L, 20L, 25L),
        "real-printreport-resumed.log", List.of(5L, 10L, 15L, 20L, 25L),
        "real-progressbar.log", List.of(2L, 4L, 5L, 6L, 8L, 10L, 12L, 14L, 15L));
    for (var expected : iterations.entrySet()) {
      String name = expected.getKey();
      long iteration = -1;
      long epoch = -1;
      List<Long> seen = new ArrayList<>();
      for (ProgressReading r : asItGrows(resource(name))) {
        if (r.iteration() == null) {
          assertEquals(-1, iteration, name + ": an iteration once read stays read");
          continue;
        }
        assertTrue(r.iteration() >= iteration && r.epoch() >= epoch, name + ": " + seen + " then " + r.iteration());
        if (r.iteration() != iteration) {
          seen.add(r.iteration());
        }
        iteration = r.iteration();
        epoch = r.epoch();
      }
      assertEquals(expected.getValue(), seen, name + ": every frame and row, in order");
    }
  }
}
