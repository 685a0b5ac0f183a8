package dev.chainer.operator.status;

import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import io.fabric8.kubernetes.api.model.Condition;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What changed between a job's status and the next one, in the terms its metrics count: it was created, ended
 * (how, why), restarted after a failure or after a disruption; and, at the moments they become known, how long it queued (start to all workers Ready),
 * started up (workers Ready to launcher Running) and ran (launcher Running to its end). Pure: both statuses and the
 * time are given.
 */
public record JobTransitions(
    boolean created,
    Optional<JobPhase> ended,
    String reason,
    boolean restarted,
    boolean disrupted,
    Optional<Duration> queued,
    Optional<Duration> startup,
    Optional<Duration> run) {

  public static JobTransitions between(ChainerJobStatus previous, ChainerJobStatus next, Instant now) {
    ChainerJobStatus before = previous == null ? new ChainerJobStatus() : previous;
    boolean created = before.getPhase() == null && next.getPhase() != null;
    Optional<JobPhase> ended = Optional.ofNullable(next.getPhase()).filter(JobPhase::isTerminal)
        .filter(p -> before.getPhase() == null || !before.getPhase().isTerminal());
    int restartsBefore = before.getRestartCount() == null ? 0 : before.getRestartCount();
    boolean restarted = next.getRestartCount() != null && next.getRestartCount() > restartsBefore;
    int disruptionsBefore = before.getDisruptionCount() == null ? 0 : before.getDisruptionCount();
    boolean disrupted = next.getDisruptionCount() != null && next.getDisruptionCount() > disruptionsBefore;
    boolean workersReadyNow = isTrue(next, JobConditions.WORKERS_READY) && !isTrue(before, JobConditions.WORKERS_READY);
    // The first time only: a restart's wait is part of its failure, not of queueing.
    Optional<Duration> queued = workersReadyNow && next.currentAttempt() == 0 && next.getStartTime() != null
        ? Optional.of(between(Instant.parse(next.getStartTime()), now)) : Optional.empty();
    boolean runningNow = next.getPhase() == JobPhase.Running && before.getPhase() != JobPhase.Running;
    Optional<Duration> startup = runningNow ? since(next, JobConditions.WORKERS_READY, now) : Optional.empty();
    boolean stoppedRunning = before.getPhase() == JobPhase.Running && next.getPhase() != JobPhase.Running;
    Optional<Duration> run = stoppedRunning ? since(before, JobConditions.RUNNING, now) : Optional.empty();
    return new JobTransitions(created, ended, next.getReason(), restarted, disrupted, queued, startup, run);
  }

  private static Optional<Duration> since(ChainerJobStatus status, String type, Instant now) {
    return condition(status, type).filter(c -> "True".equals(c.getStatus()))
        .map(c -> between(Instant.parse(c.getLastTransitionTime()), now));
  }

  private static Duration between(Instant from, Instant to) {
    Duration d = Duration.between(from, to);
    return d.isNegative() ? Duration.ZERO : d;
  }

  private static boolean isTrue(ChainerJobStatus status, String type) {
    return condition(status, type).filter(c -> "True".equals(c.getStatus())).isPresent();
  }

  private static Optional<Condition> condition(ChainerJobStatus status, String type) {
    List<Condition> conditions = status.getConditions() == null ? List.of() : status.getConditions();
    return conditions.stream().filter(c -> Objects.equals(type, c.getType())).findFirst();
  }
}
