package dev.chainer.operator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.testing.DoorCorpus;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The door's proof at `render`: every must-refuse file of the hostile corpus exits 1 with an error line naming the
 * field and the rule; every valid one exits 0 and shows the objects the operator would create.
 */
class DoorCorpusRenderTest {
  static Stream<DoorCorpus> refused() {
    return DoorCorpus.all().stream().filter(c -> !c.valid());
  }

  static Stream<DoorCorpus> valid() {
    return DoorCorpus.all().stream().filter(DoorCorpus::valid);
  }

  /** render -f FILE, with --config when the file asks for an operator configuration. */
  static RenderCommandTest.Result render(DoorCorpus c, Path tmp) {
    if (c.config() == null) {
      return RenderCommandTest.render(c.file(), null);
    }
    try {
      return RenderCommandTest.render(c.file(), Files.writeString(tmp.resolve("config.yaml"), c.config() + "\n"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void refusedNamingTheFieldAndTheRule(DoorCorpus c, @TempDir Path tmp) {
    RenderCommandTest.Result r = render(c, tmp);
    assertEquals(1, r.code(), () -> c + " was accepted:\n" + r.err());
    assertTrue(Arrays.stream(r.err().split("\n")).anyMatch(c::explainedBy),
        () -> c + ": no error names " + c.field() + " saying '" + c.rule() + "':\n" + r.err());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("valid")
  void validRendered(DoorCorpus c, @TempDir Path tmp) {
    RenderCommandTest.Result r = render(c, tmp);
    assertEquals(0, r.code(), () -> c + " was refused:\n" + r.err());
    assertTrue(r.out().contains("kind: Pod") || r.out().contains("kind: StatefulSet"), () -> c + ": " + r.out());
  }

  /**
   * The bombs of the corpus and a file over the API server's request limit (made here: 8 MiB is no file to keep)
   * are refused within a second each, once the code is loaded.
   */
  @Test
  void bombsAndLargeFilesRefusedWithinTheBound(@TempDir Path tmp) throws IOException {
    RenderCommandTest.render(valid().findFirst().orElseThrow().file(), null);
    Path large = Files.writeString(tmp.resolve("large.yaml"), "apiVersion: chainer.dev/v1\nkind: ChainerJob\n"
        + "metadata:\n  name: large\n  annotations:\n    a: \"" + "x".repeat(8 << 20) + "\"\n",
        StandardCharsets.UTF_8);
    Stream<Path> costly = Stream.concat(refused().filter(c -> c.kind().equals("cost")).map(DoorCorpus::file),
        Stream.of(large));
    costly.forEach(file -> {
      long start = System.nanoTime();
      RenderCommandTest.Result r = RenderCommandTest.render(file, null);
      long millis = (System.nanoTime() - start) / 1_000_000;
      assertEquals(1, r.code(), file::toString);
      assertTrue(millis < 1000, () -> file + " took " + millis + " ms");
    });
  }
}
