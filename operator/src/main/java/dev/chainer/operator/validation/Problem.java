package dev.chainer.operator.validation;

/** One thing wrong (or deprecated) in a ChainerJob, naming the field and the rule. */
public record Problem(Severity severity, String field, String message) {
  public enum Severity { ERROR, WARNING }

  public static Problem error(String field, String message) {
    return new Problem(Severity.ERROR, field, message);
  }

  public static Problem warning(String field, String message) {
    return new Problem(Severity.WARNING, field, message);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  @Override
  public String toString() {
    return field + ": " + message;
  }
}
