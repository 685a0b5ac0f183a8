package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * How often a job's status may move while it waits for its workers. Queued, Preparing and Starting with their
 * ready counts (0/2, 1/2, 2/2) follow the pods, and on a quick node they come and go within a second: each would
 * cost a status write of its own (a quarter of a job's writes) and say nothing a user could act on. So a change that
 * only moves a waiting job between those states, or its ready count, is written at most once per {@link #HOLD}
 * after the job's last status write; the newest state then is written when the hold ends. Everything else is
 * written at once: the first status, a reason or a stall, a launcher, Running, the end.
 */
final class WaitingStatus {
  static final Duration HOLD = Duration.ofSeconds(2);
  private static final Set<JobPhase> WAITING = Set.of(JobPhase.Queued, JobPhase.Preparing, JobPhase.Starting);

  private WaitingStatus() {}

  /**
   * Keeps the written status in the plan (and asks to look again when the hold ends) when the planned one only moves
   * a waiting job along within {@link #HOLD} of the last write.
   *
   * @param written the status the job carries now
   * @param writtenAt when this operator last wrote it; empty when it does not know (after a restart: no hold)
   */
  static void hold(Plan plan, ChainerJobStatus written, Optional<Instant> writtenAt, Instant now) {
    if (writtenAt.isEmpty() || written == null || !plan.events().isEmpty()
        || Objects.equals(plan.status(), written)) {
      return;
    }
    Duration since = Duration.between(writtenAt.get(), now);
    if (since.isNegative() || since.compareTo(HOLD) >= 0 || !onlyWaitingProgress(written, plan.status())) {
      return;
    }
    // A copy: what follows in the reconcile compares the plan's status with the job's to decide whether to write.
    plan.status(Serialization.clone(written)).requeueAfter(HOLD.minus(since));
  }

  /** Both waiting, and nothing differs but the phase, the ready counts and the conditions that follow them. */
  static boolean onlyWaitingProgress(ChainerJobStatus written, ChainerJobStatus next) {
    if (!WAITING.contains(written.getPhase()) || !WAITING.contains(next.getPhase())) {
      return false;
    }
    ChainerJobStatus rest = Serialization.clone(next);
    rest.setPhase(written.getPhase());
    rest.setReadyWorkers(written.getReadyWorkers());
    rest.setReady(written.getReady());
    rest.setConditions(written.getConditions());
    return rest.equals(written);
  }
}
