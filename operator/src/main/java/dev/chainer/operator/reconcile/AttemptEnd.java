package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.api.LauncherStatus;
import dev.chainer.operator.spec.EffectiveOutputs;
import dev.chainer.operator.status.AttemptFailure;
import dev.chainer.operator.status.FailureReason;
import dev.chainer.operator.status.JobConditions;
import dev.chainer.operator.status.PodStall;
import dev.chainer.operator.status.PodFacts;

/**
 * What an attempt that ended badly leads to: a restart while the budget allows (backoffLimit for failures,
 * disruptionLimit for pods the cluster took away), else the job's failure; a passed deadline ends it at once.
 */
final class AttemptEnd {
  private final Planning s;

  AttemptEnd(Planning s) {
    this.s = s;
  }

  void failed(AttemptFailure failure) {
    if (failure.reason() == FailureReason.DeadlineExceeded) {
      deadlineExceeded(failure.message());
      return;
    }
    boolean disruption = failure.reason().isDisruption();
    int restarts = disruption ? count(s.next.getDisruptionCount()) : count(s.next.getRestartCount());
    int limit = disruption ? s.policy().disruptionLimit() : s.policy().backoffLimit();
    String reason = failure.reason().name();
    if (restarts < limit) {
      restart(failure);
      if (disruption) {
        s.next.setDisruptionCount(restarts + 1);
      } else {
        s.next.setRestartCount(restarts + 1);
      }
      s.plan.event(JobEvent.warning(reason, failure.message() + "; restarting the whole job" + (disruption
          ? " (disruption " + (restarts + 1) + " of " + limit + ", not counted against backoffLimit)"
          : " (restart " + (restarts + 1) + " of " + limit + ")") + resumeNote()));
      return;
    }
    s.deleteAll(s.objects.launchers().stream().filter(p -> !PodFacts.isFinished(p)));
    s.cleanUpWorkers();
    if (failure.reason() == FailureReason.LauncherLost && s.objects.launcher(s.launcherName()).isEmpty()) {
      LauncherStatus lost = new LauncherStatus();
      lost.setPodName(s.launcherName());
      lost.setState("Unknown");
      lost.setReason(reason);
      s.next.setLauncher(lost);
    }
    String message = failure.message() + (disruption ? " after " + restarts + " disruption(s) (disruptionLimit "
        + limit + ")" : limit > 0 ? " after " + restarts + " restart(s) (backoffLimit " + limit + ")" : "");
    s.finish(JobPhase.Failed, reason, message);
    s.plan.event(JobEvent.warning(reason, message + "; the job failed"));
  }

  /** Ends the attempt; the next one starts once its pods are gone. */
  private void restart(AttemptFailure failure) {
    stopAttempt();
    s.next.setAttempt(s.attempt() + 1);
    s.next.setLauncher(null);
    s.next.setPhase(JobPhase.Queued);
    s.next.setReason("Restarting");
    s.next.setMessage(failure.toString());
    s.observeWorkers();
  }

  private String resumeNote() {
    return s.context.outputs().filter(EffectiveOutputs::resume).isPresent()
        ? "; the next attempt resumes from the newest snapshot in " + s.context.outputs().get().checkpointPath() : "";
  }

  private static int count(Integer n) {
    return n == null ? 0 : n;
  }

  /** Stops the current attempt's launcher and workers; the next attempt waits until they are gone. */
  private void stopAttempt() {
    // A launcher that ended by itself is kept with its log (what mpirun said); one still running must go.
    s.deleteAll(s.objects.launcher(s.launcherName()).stream().filter(p -> !PodFacts.isFinished(p)));
    s.deleteAll(s.objects.workers(s.attempt()).stream());
  }

  /**
   * A job whose pod has been stuck (image, container configuration; unschedulable only when configured) for longer
   * than the operator's stall timeout fails with the stall's reason; before that, a reconcile is asked for then.
   * The wait is measured from the Stalled condition's last transition, which lasts while any stall does.
   */
  void unlessStalledTooLong() {
    String reason = s.next.getReason();
    long timeout = PodStall.UNSCHEDULABLE.equals(reason) ? s.context.config().getUnschedulableTimeoutSeconds()
        : s.context.config().getStallTimeoutSeconds();
    if (timeout <= 0) {
      return;
    }
    java.time.Instant since = s.previous.getConditions() == null ? s.now : s.previous.getConditions().stream()
        .filter(c -> JobConditions.STALLED.equals(c.getType()) && "True".equals(c.getStatus()))
        .map(c -> java.time.Instant.parse(c.getLastTransitionTime())).findFirst().orElse(s.now);
    java.time.Instant end = since.plusSeconds(timeout);
    if (s.now.isBefore(end)) {
      s.plan.requeueAfter(java.time.Duration.between(s.now, end));
      return;
    }
    String message = s.next.getMessage() + "; stuck for more than " + timeout + "s ("
        + (PodStall.UNSCHEDULABLE.equals(reason) ? "unschedulableTimeoutSeconds" : "stallTimeoutSeconds") + ")";
    s.stopEverything();
    s.observeWorkers();
    s.finish(JobPhase.Failed, reason, message);
    s.plan.event(JobEvent.warning(reason, message + "; the job failed, its pods are removed"));
  }

  void deadlineExceeded(String message) {
    s.stopEverything();
    s.observeWorkers();
    s.observeLauncher();
    s.finish(JobPhase.Failed, FailureReason.DeadlineExceeded.name(), message);
    s.plan.event(JobEvent.warning(FailureReason.DeadlineExceeded.name(), message + "; launcher and workers removed"));
  }
}
