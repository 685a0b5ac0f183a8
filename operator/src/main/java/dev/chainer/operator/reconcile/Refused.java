package dev.chainer.operator.reconcile;

import dev.chainer.operator.status.Refusal;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;

/** The API server refused a create (403, 422, ...): not transient, so the job must say so rather than retry. */
final class Refused extends RuntimeException {
  private final transient Refusal refusal;

  Refused(Refusal refusal) {
    super(refusal.toString(), null, false, false);
    this.refusal = refusal;
  }

  Refusal refusal() {
    return refusal;
  }

  /** The refusal a failed create stands for, if it is one (not a conflict, not a transient failure). */
  static Optional<Refused> of(String what, KubernetesClientException e) {
    if (!Refusal.isRefusal(e.getCode())) {
      return Optional.empty();
    }
    String message = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
        : e.getMessage();
    return Optional.of(new Refused(Refusal.of(what, e.getCode(), message)));
  }
}
