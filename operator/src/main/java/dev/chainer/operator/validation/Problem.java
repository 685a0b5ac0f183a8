package dev.chainer.operator.validation;

/**
 * One thing wrong (or deprecated, or likely to disappoint) in a ChainerJob, naming the field and the rule. A warning
 * carries the reason of the Warning Event that reports it.
 */
public record Problem(Severity severity, String field, String message, String reason) {
  public enum Severity { ERROR, WARNING }

  /**
   * Control characters a user wrote (a NUL, a newline in a label value) are shown escaped, as the API server quotes
   * an invalid value: a message stays one line on the status, in the Event and in render's output.
   */
  public Problem {
    field = escaped(field);
    message = escaped(message);
  }

  static String escaped(String text) {
    if (text == null || text.codePoints().noneMatch(Problem::isControl)) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    text.codePoints().forEach(c -> {
      if (isControl(c)) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.toString();
  }

  private static boolean isControl(int c) {
    return Character.isISOControl(c) || c == 0x2028 || c == 0x2029;
  }

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
