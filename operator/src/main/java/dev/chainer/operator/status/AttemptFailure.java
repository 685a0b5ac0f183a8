package dev.chainer.operator.status;

/** One failed attempt: what went wrong, the object it happened to, and a sentence for people. */
public record AttemptFailure(FailureReason reason, String object, String message) {

  /** e.g. "LauncherLost: launcher pod train-launcher disappeared ...". */
  @Override
  public String toString() {
    return reason + ": " + message;
  }
}
