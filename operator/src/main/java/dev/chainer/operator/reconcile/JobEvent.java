package dev.chainer.operator.reconcile;

/** A Kubernetes Event to record on a ChainerJob. */
public record JobEvent(String type, String reason, String message) {
  public static JobEvent normal(String reason, String message) {
    return new JobEvent("Normal", reason, message);
  }

  public static JobEvent warning(String reason, String message) {
    return new JobEvent("Warning", reason, message);
  }
}
