package dev.chainer.operator.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

/**
 * The hostile corpus of issue 25 (tools/src/test/resources/door/CLASS/NAME.yaml): ChainerJob files written from
 * Kubernetes', Kueue's, Volcano's, Open MPI's and the estimator's rules. Each file's header says what it must give:
 * {@code # expect: valid}, or {@code # expect: FIELD | RULE} (the refusal must name the field and contain the rule's
 * words; an empty rule asks only for the field); {@code # doors: render} marks files whose point is in the YAML text
 * itself (duplicate keys, aliases, sizes), which only the file readers see, or that need an operator configuration
 * ({@code # config: gangScheduler: volcano}, one line of its YAML).
 */
public record DoorCorpus(Path file, String kind, String field, String rule, List<String> doors, String config) {
  public static final Path ROOT = Repository.path("tools/src/test/resources/door");

  public static List<DoorCorpus> all() {
    try (Stream<Path> files = Files.walk(ROOT)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().map(DoorCorpus::read).toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static DoorCorpus read(Path file) {
    String expect = header(file, "expect");
    String doors = header(file, "doors");
    List<String> through = doors == null ? List.of("render", "operator") : Arrays.asList(doors.split(","));
    String kind = file.getParent().getFileName().toString();
    String config = header(file, "config");
    if (expect.equals("valid")) {
      return new DoorCorpus(file, kind, null, null, through, config);
    }
    int bar = expect.indexOf(" | ");
    return new DoorCorpus(file, kind, expect.substring(0, bar).trim(), expect.substring(bar + 3).trim(), through,
        config);
  }

  private static String header(Path file, String key) {
    try (Stream<String> lines = Files.lines(file, StandardCharsets.UTF_8)) {
      return lines.takeWhile(l -> l.startsWith("#")).filter(l -> l.startsWith("# " + key + ": "))
          .map(l -> l.substring(key.length() + 4)).findFirst().orElse(null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public boolean valid() {
    return field == null;
  }

  public boolean through(String door) {
    return doors.contains(door);
  }

  /**
   * Whether a message (one line of an error, or a status message) names the field (not a field inside it: "spec"
   * is not named by "spec.nodeCount") and says the rule.
   */
  public boolean explainedBy(String message) {
    return names(message) && message.contains(rule);
  }

  /** Whether a message names the field itself, not a field inside it. */
  public boolean names(String message) {
    for (int at = message.indexOf(field); at >= 0; at = message.indexOf(field, at + 1)) {
      int next = at + field.length();
      if (next == message.length() || !(Character.isLetterOrDigit(message.charAt(next))
          || message.charAt(next) == '.')) {
        return true;
      }
    }
    return false;
  }

  public String name() {
    return kind + "/" + file.getFileName();
  }

  @Override
  public String toString() {
    return name();
  }
}
