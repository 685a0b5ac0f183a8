package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.status.OutputsReadiness;
import java.time.Duration;
import java.time.Instant;

/**
 * Whether the job's outputs store can serve its pods before they start (see {@link OutputsReadiness}), the claim
 * the operator must create, and the stall the job shows while it cannot.
 */
final class OutputsGate {
  private final Planning s;

  OutputsGate(Planning s) {
    this.s = s;
  }

  /** Whether the outputs store can serve the pods; nothing to judge when its claim was not read (no claim). */
  OutputsReadiness.Verdict verdict() {
    if (s.objects.outputsClaim() == null) {
      return OutputsReadiness.Verdict.READY;
    }
    OutputsReadiness.Verdict verdict = OutputsReadiness.of(s.context.outputs(), s.objects.outputsClaim(), s.names,
        s.spec.mpi() ? s.spec.nodeCount() : 0, Instant.parse(s.next.getStartTime()), s.now,
        Duration.ofSeconds(s.context.config().getOutputsClaimBindTimeoutSeconds()));
    s.plan.createOutputsClaim(verdict.createClaim());
    verdict.lookAgain().ifPresent(s.plan::requeueAfter);
    return verdict;
  }

  /** The job waits for a store it cannot use: Queued, Stalled with the reason, a Warning Event when it changes. */
  void stalled(OutputsReadiness.Stall stall) {
    s.next.setPhase(JobPhase.Queued);
    s.next.setReason(stall.reason());
    s.next.setMessage(stall.message());
    if (!stall.reason().equals(s.previous.getReason()) || !stall.message().equals(s.previous.getMessage())) {
      s.plan.event(JobEvent.warning(stall.reason(), stall.message()));
    }
  }
}
