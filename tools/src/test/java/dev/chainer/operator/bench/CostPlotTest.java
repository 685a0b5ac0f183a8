package dev.chainer.operator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** `bench --from`: saved results of separate runs joined into one report, with a plot of cost against the job count. */
class CostPlotTest {
  @TempDir
  Path dir;

  private static Benchmark.Result result(int jobs, long statusWrites, long reconciles, long rssMib) {
    Map<String, Long> creation = Map.of("create services", (long) jobs, "create apps/statefulsets", (long) jobs,
        "update chainer.dev/chainerjobs/status", statusWrites, "get pods/log", (long) jobs);
    return new Benchmark.Result(jobs, 0, Map.of("creation", creation, "run", Map.of(), "finish", Map.of(),
        "idle", Map.of()), Duration.ofSeconds(2), Duration.ofSeconds(5), new Baseline(Duration.ofSeconds(1), -1, 5L * jobs),
        List.of(10L, 20L), rssMib / 4 * 1048576, rssMib * 1048576, reconciles, -1,
        Map.of("services", (long) jobs, "apps/statefulsets", (long) jobs - 1), 12,
        new Benchmark.Memory(40L * 1048576, 160L * 1048576));
  }

  @Test
  void savedRunsMakeOneReportAndAPlotWithAPointPerJobCount() throws Exception {
    ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule());
    Path small = dir.resolve("small.json");
    Path big = dir.resolve("big.json");
    json.writeValue(small.toFile(), List.of(result(100, 500, 1500, 200), result(10, 50, 150, 180)));
    json.writeValue(big.toFile(), List.of(result(10000, 50000, 200000, 480)));
    Path report = dir.resolve("scale.md");

    assertEquals(0, new CommandLine(new BenchCommand()).execute("--from", small + "," + big, "--out", report.toString()));

    String markdown = Files.readString(report);
    assertTrue(markdown.indexOf("| 10 |") < markdown.indexOf("| 100 |")
        && markdown.indexOf("| 100 |") < markdown.indexOf("| 10000 |"), "sorted by job count:\n" + markdown);
    assertTrue(markdown.contains("| 10000 | 1.00 / 1.00 | 0.00 / 0.00 | 0.00 / 0.00 | 1.00 / 1.00 | 0.00 / 0.00 | 1 |"),
        "one StatefulSet creation made no object: refused once\n" + markdown);
    assertTrue(markdown.contains("| 100 | 2.00 s | 5.00 s | 1.00 s | 400 / 500 | (not known on a cluster) |"),
        "each client's own request rate:\n" + markdown);
    String svg = Files.readString(dir.resolve("scale.svg"));
    assertTrue(svg.startsWith("<svg"), svg);
    Matcher lines = Pattern.compile("<polyline points=\"([^\"]+)\"").matcher(svg);
    int count = 0;
    while (lines.find()) {
      assertEquals(3, lines.group(1).split(" ").length, "a point per job count: " + lines.group(1));
      count++;
    }
    assertEquals(5, count, "writes, reconciles, RSS, heap, ratio");
    assertTrue(svg.contains(">10000<") && svg.contains(">reconciles per job<"), svg);
  }

  @Test
  void axesEndOnRoundNumbers() {
    assertEquals(20, CostPlot.niceCeiling(13.2));
    assertEquals(500, CostPlot.niceCeiling(480));
    assertEquals(1, CostPlot.niceCeiling(0.93));
  }
}
