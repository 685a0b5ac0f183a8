package dev.chainer.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.config.OperatorConfig;
import java.util.List;

/** What the validator says of a job, as the table-driven rule tests check it. */
final class Verdicts {
  private Verdicts() {}

  static List<Problem> errors(ChainerJob job) {
    return SpecValidator.validate(job, OperatorConfig.defaults()).stream().filter(Problem::isError).toList();
  }

  /** Refused with an error on exactly this field whose message holds these words. */
  static void refused(ChainerJob job, String field, String words) {
    List<Problem> errors = errors(job);
    assertTrue(errors.stream().anyMatch(p -> p.field().equals(field) && p.message().contains(words)),
        () -> "expected " + field + ": ..." + words + "... in " + errors);
    assertTrue(errors.stream().noneMatch(p -> p.message().contains("Exception") || p.message().contains("java.")),
        () -> "a message leaks Java internals: " + errors);
  }

  static void accepted(ChainerJob job) {
    assertEquals(List.of(), errors(job));
  }
}
