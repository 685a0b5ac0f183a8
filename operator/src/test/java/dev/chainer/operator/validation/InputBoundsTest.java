package dev.chainer.operator.validation;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Hostile input is refused quickly and with bounded memory, naming what is wrong. Before the bounds, a scalar-alias
 * bomb of 2.3 MB (one 64 KiB label aliased by 200,000 annotations, 13 GB expanded) was accepted by render after
 * 12 s and 700 MiB allocated; now each bomb below is refused in well under a second.
 */
class InputBoundsTest {
  /** Well under a second on a quiet machine; room for a loaded 2-core CI runner. */
  private static final long MAX_MILLIS = 2000;
  /** Bytes allocated while reading, all of it: a 3 MiB file is read into a few copies, never an expansion. */
  private static final long MAX_ALLOCATED = 256L << 20;
  private static final String HEAD = "apiVersion: chainer.dev/v1\nkind: ChainerJob\nmetadata:\n  name: bomb\n";
  private static final String SPEC = "spec:\n  sourceDirectory: /app\n  entryScript: t.py\n"
      + "  frameworkVersion: \"7.0.0\"\n";

  /** Class loading and the JIT's first compilations are the JVM's cost, not the reader's: a few readings first. */
  @BeforeAll
  static void warmUp() throws Exception {
    for (int i = 0; i < 3; i++) {
      JobFiles.contents(HEAD + SPEC + "  arguments:\n" + "  - a\n".repeat(200) + "  scriptParams: {"
          + IntStream.range(0, 200).mapToObj(k -> "--p" + k + ": 1").collect(Collectors.joining(", ")) + "}\n");
    }
  }

  static Stream<Arguments> bombs() {
    String big = "x".repeat(64 * 1024);
    return Stream.of(
        Arguments.of("collection alias bomb", HEAD + SPEC + laughs("[", "]"),
            "document 1: spec\\.environmentVariables\\[L\\d\\]\\[\\d\\]: holds more than 20000 values \\(aliases expanded\\)"),
        Arguments.of("mapping alias bomb", HEAD + SPEC + laughsInMappings(),
            "document 1: spec\\.scriptParams\\[l\\d+\\]\\.k\\d: holds more than 20000 values"),
        Arguments.of("scalar alias bomb", HEAD + "  labels: {l: &s \"" + big + "\"}\n  annotations: {"
            + IntStream.range(0, 200_000).mapToObj(i -> "a" + i + ": *s").collect(Collectors.joining(","))
            + "}\n" + SPEC, "document 1: metadata\\.annotations\\[a\\d+\\]: is larger than 3 MiB"),
        Arguments.of("deep nesting", HEAD + SPEC + "  arguments: " + "[".repeat(20_000) + "]".repeat(20_000) + "\n",
            "nested deeper than 64 levels"),
        Arguments.of("documents that each expand to 2 MB", (HEAD + SPEC + "  customDockerImage: &s \"" + "y".repeat(
            1000) + "\"\n  arguments: [" + "*s,".repeat(2000) + "]\n---\n").repeat(5),
            "document 4: spec\\.arguments\\[\\d+\\]: the file's documents together expand to more than 6291456 bytes"),
        Arguments.of("1.5 million values in 3 MB", HEAD + SPEC + "  arguments: [" + "0,".repeat(1_500_000) + "]\n",
            "document 1: spec\\.arguments\\[\\d+\\]: holds more than 20000 values"),
        Arguments.of("the most values allowed, each wrong", HEAD + SPEC + "  arguments: [" + "0,".repeat(19_000)
            + "]\n", "spec\\.arguments: Too many: 19000: must have at most 256 items; .*; and 18981 more$"),
        Arguments.of("a text over 3 MiB", HEAD + SPEC + "  customDockerImage: \"" + "z".repeat(3 << 20) + "\"\n",
            "^is larger than 3 MiB \\(3145728 bytes\\), the most the API server accepts in one request"));
  }

  /** The billion laughs: nine levels of nine aliases of the level below. */
  private static String laughs(String open, String close) {
    StringBuilder s = new StringBuilder("  environmentVariables:\n    L0: &l0 " + open + "lol,lol,lol,lol,lol,lol,lol,lol,lol"
        + close + "\n");
    for (int i = 1; i < 10; i++) {
      s.append("    L").append(i).append(": &l").append(i).append(' ').append(open)
          .append(String.join(",", java.util.Collections.nCopies(9, "*l" + (i - 1)))).append(close).append('\n');
    }
    return s.toString();
  }

  private static String laughsInMappings() {
    StringBuilder s = new StringBuilder("  scriptParams:\n    l0: &l0 {a: lol, b: lol, c: lol, d: lol, e: lol}\n");
    for (int i = 1; i < 12; i++) {
      s.append("    l").append(i).append(": &l").append(i).append(" {");
      s.append(IntStream.range(0, 6).mapToObj(k -> "k" + k + ": *l").collect(Collectors.joining(
          String.valueOf(i - 1) + ", "))).append(i - 1).append("}\n");
    }
    return s.toString();
  }

  /** A refusal, how long it took and how many bytes the reading allocated. */
  private record Refusal(String message, long millis, long allocated) {
    static Refusal of(org.junit.jupiter.api.function.Executable read) {
      var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
      long allocatedBefore = threads.getCurrentThreadAllocatedBytes();
      long start = System.nanoTime();
      JobFiles.InvalidJobFile e = assertThrows(JobFiles.InvalidJobFile.class, read);
      return new Refusal(e.getMessage(), (System.nanoTime() - start) / 1_000_000,
          threads.getCurrentThreadAllocatedBytes() - allocatedBefore);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("bombs")
  void refusedQuicklyWithBoundedMemory(String name, String yaml, String message) {
    Refusal r = Refusal.of(() -> JobFiles.contents(yaml));
    System.out.printf("%s (%d bytes): refused in %d ms, %d MiB allocated: %s%n", name,
        yaml.getBytes(StandardCharsets.UTF_8).length, r.millis(), r.allocated() >> 20, r.message());
    assertTrue(Pattern.compile(message).matcher(r.message()).find(), r.message());
    assertTrue(r.millis() < MAX_MILLIS, name + " took " + r.millis() + " ms");
    assertTrue(r.allocated() < MAX_ALLOCATED, name + " allocated " + (r.allocated() >> 20) + " MiB");
  }

  @Test
  void anEightMebibyteFileIsRefusedBeforeItIsRead(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("large.yaml");
    Files.writeString(file, HEAD + SPEC + "  arguments:\n" + "  - \"--flag-000000000000\"\n".repeat(
        (8 << 20) / 26));
    Refusal r = Refusal.of(() -> JobFiles.load(file));
    System.out.printf("8 MiB file: refused in %d ms, %d MiB allocated: %s%n", r.millis(), r.allocated() >> 20,
        r.message());
    assertTrue(r.message().startsWith("is larger than 3 MiB (3145728 bytes)"), r.message());
    assertTrue(r.millis() < MAX_MILLIS, "took " + r.millis() + " ms");
    assertTrue(r.allocated() < 16L << 20, "read " + (r.allocated() >> 20) + " MiB of a file it refuses");
  }

  @Test
  void aFileThatIsNotUtf8IsRefused(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("latin1.yaml");
    Files.write(file, (HEAD + SPEC + "  arguments: [caf\u00e9]\n").getBytes(StandardCharsets.ISO_8859_1));
    JobFiles.InvalidJobFile e = assertThrows(JobFiles.InvalidJobFile.class, () -> JobFiles.load(file));
    assertTrue(e.getMessage().equals("is not UTF-8 text"), e.getMessage());
  }
}
