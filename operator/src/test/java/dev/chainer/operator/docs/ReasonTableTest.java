package dev.chainer.operator.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.status.FailureReason;
import dev.chainer.operator.status.JobConditions;
import dev.chainer.operator.status.OutputsReadiness;
import dev.chainer.operator.status.PodStall;
import dev.chainer.operator.status.Refusal;
import dev.chainer.operator.testing.Repository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The README's reason table names every reason the operator can write on a job's status or Events: the reasons of
 * its enums and lists, and every literal reason in the code that writes statuses and Events.
 */
class ReasonTableTest {
  /** A reason written as a literal: on the status, as an Event, as a wait, or as a validation advice. */
  private static final Pattern LITERAL = Pattern.compile("(?:setReason|warning|normal|blocked|pause)\\(\"([A-Z][A-Za-z]+)\""
      + "|finish\\(JobPhase\\.[A-Za-z]+, \"([A-Z][A-Za-z]+)\"|advice\\([^;]*?, \"([A-Z][A-Za-z]+)\", \"");

  @Test
  void everyReasonTheCodeWritesIsInTheTable() throws Exception {
    Set<String> written = new TreeSet<>();
    Arrays.stream(FailureReason.values()).map(Enum::name).forEach(written::add);
    Arrays.stream(Refusal.Kind.values()).map(Enum::name).forEach(written::add);
    written.addAll(PodStall.REASONS);
    written.addAll(OutputsReadiness.REASONS);
    written.addAll(List.of(JobConditions.RESOURCE_CONFLICT, JobConditions.REFUSED_BY_CONFIGURATION, "InvalidSpec",
        "Deprecated", "WaitingForAdmission"));
    Set<String> literals = new TreeSet<>();
    try (Stream<Path> files = Files.walk(Repository.path("operator/src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        Matcher m = LITERAL.matcher(Files.readString(f));
        while (m.find()) {
          literals.add(m.group(1) != null ? m.group(1) : m.group(2) != null ? m.group(2) : m.group(3));
        }
      }
    }
    assertTrue(literals.containsAll(List.of("Restarting", "Resumed", "SnapshotsNotKept", "SettingIgnored")),
        "the scan finds literal reasons: " + literals);
    written.addAll(literals);
    String readme = Files.readString(Repository.path("README.md"));
    int start = readme.indexOf("### Reasons");
    assertTrue(start >= 0, "the README has a '### Reasons' table");
    int end = readme.indexOf("\n## ", start);
    String table = readme.substring(start, end < 0 ? readme.length() : end);
    Set<String> missing = new TreeSet<>();
    for (String reason : written) {
      if (!table.contains("`" + reason + "`")) {
        missing.add(reason);
      }
    }
    assertEquals(Set.of(), missing, "reasons the code writes that the README's table lacks");
  }
}
