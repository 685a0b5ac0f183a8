package dev.chainer.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.config.OperatorConfig;
import java.util.Arrays;
import java.util.List;

/** What the door tests assert: a job refused with an error at the field whose message says the rule, or accepted. */
final class DoorAssertions {
  private DoorAssertions() {}

  static List<Problem> errors(ChainerJob job, OperatorConfig config) {
    return SpecValidator.validate(job, config).stream().filter(Problem::isError).toList();
  }

  static List<Problem> errors(ChainerJob job) {
    return errors(job, OperatorConfig.defaults());
  }

  /** Some error names exactly the field and holds every part of the rule. */
  static void assertRefused(List<Problem> errors, String field, String... rule) {
    assertTrue(errors.stream().anyMatch(p -> p.field().equals(field)
        && Arrays.stream(rule).allMatch(part -> p.message().contains(part))),
        () -> "expected an error at " + field + " saying " + List.of(rule) + ", got " + errors);
  }

  static void assertAccepted(List<Problem> errors) {
    assertEquals(List.of(), errors);
  }
}
