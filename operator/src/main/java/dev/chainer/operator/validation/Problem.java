package dev.chainer.operator.validation;

/**
 * One thing wrong (or deprecated, or likely to disappoint) in a ChainerJob, naming the field and the rule. A warning
 * carries the reason of the Warning Event that reports it.
 */
public record Problem(Severity severity, String field, String message, String reason) {
  public enum Severity { ERROR, WARNING }

  public Problem(Severity severity, String field, String message) {
    this(severity, field, message, severity == Severity.ERROR ? "InvalidSpec" : "Deprecated");
  }

  /** A valid spec that will not do what its author likely wants; reported once as a Warning Event with the reason. */
  public static Problem advice(String field, String reason, String message) {
    return new Problem(Severity.WARNING, field, message, reason);
  }

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
