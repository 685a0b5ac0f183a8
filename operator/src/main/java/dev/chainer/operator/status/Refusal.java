package dev.chainer.operator.status;

import io.fabric8.kubernetes.api.model.Event;
import java.util.Optional;

/**
 * The API server refused to create one of the job's objects, for the operator or for the StatefulSet controller
 * acting for it (whose refusals show only as FailedCreate Events on the StatefulSet). Each kind of refusal is a
 * reason on the job; those that may clear without a change to the job (quota, the operator's own permissions) make
 * it wait, Stalled; the others (Pod Security, an admission webhook, an invalid object) fail it.
 *
 * @param object what was refused, e.g. "Pod train-launcher"
 * @param code the HTTP status, 0 when only an Event told
 * @param message the server's own words, bounded
 */
public record Refusal(String object, int code, String message) {
  private static final int MAX_MESSAGE = 512;

  /** What kind of refusal, as the job's reason, and whether it may clear by itself. */
  public enum Kind {
    QuotaExceeded(true),
    /** The priority class the job names does not exist (yet): Kueue's own integrations refuse such a job. */
    PriorityClassNotFound(true),
    OperatorForbidden(true),
    PodSecurityViolation(false),
    AdmissionDenied(false),
    ObjectInvalid(false),
    CreateRefused(false);

    private final boolean mayClear;

    Kind(boolean mayClear) {
      this.mayClear = mayClear;
    }

    public boolean mayClear() {
      return mayClear;
    }
  }

  public static Refusal of(String object, int code, String message) {
    String m = message == null ? "" : message;
    return new Refusal(object, code, m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m);
  }

  /** A FailedCreate Event the StatefulSet controller recorded: the server's words are in its message. */
  public static Optional<Refusal> ofEvent(Event e) {
    if (!"FailedCreate".equals(e.getReason()) || e.getMessage() == null) {
      return Optional.empty();
    }
    return Optional.of(of("the pods of StatefulSet " + e.getInvolvedObject().getName(), 0, e.getMessage()));
  }

  /** Transient failures (the server busy or down, a timeout) are retried, not refusals. */
  public static boolean isRefusal(int code) {
    return code == 400 || code == 403 || code == 404 || code == 422;
  }

  public Kind kind() {
    if (message.contains("exceeded quota")) {
      return Kind.QuotaExceeded;
    }
    if (code == 404 && message.contains("priority class")) {
      return Kind.PriorityClassNotFound;
    }
    if (message.contains("violates PodSecurity")) {
      return Kind.PodSecurityViolation;
    }
    if (message.contains("admission webhook")) {
      return Kind.AdmissionDenied;
    }
    if (message.contains("cannot create resource") || message.contains("is forbidden: User")) {
      return Kind.OperatorForbidden;
    }
    if (code == 422 || message.contains("is invalid")) {
      return Kind.ObjectInvalid;
    }
    // A 403 of no known kind may be a permission being granted or a policy being fixed: wait and try again.
    return code == 403 ? Kind.OperatorForbidden : Kind.CreateRefused;
  }

  /** e.g. "the API server refused Pod train-launcher (403): pods "train-launcher" is forbidden: violates ...". */
  @Override
  public String toString() {
    return "the API server refused " + object + (code == 0 ? "" : " (" + code + ")") + ": " + message;
  }
}
