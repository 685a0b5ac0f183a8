package dev.chainer.operator.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The moments a job's metrics count, read from two statuses in a row. */
class JobTransitionsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static ChainerJobStatus status(JobPhase phase, Instant workersReady, Instant running) {
    ChainerJobStatus s = new ChainerJobStatus();
    s.setPhase(phase);
    s.setStartTime(T0.toString());
    s.setConditions(List.of(
        new ConditionBuilder().withType("WorkersReady").withStatus(workersReady == null ? "False" : "True")
            .withLastTransitionTime((workersReady == null ? T0 : workersReady).toString()).build(),
        new ConditionBuilder().withType("Running").withStatus(running == null ? "False" : "True")
            .withLastTransitionTime((running == null ? T0 : running).toString()).build()));
    return s;
  }

  @Test
  void aJobsLifeGivesEachMeasureOnce() {
    Instant ready = T0.plusSeconds(40);
    Instant running = ready.plusSeconds(5);
    Instant end = running.plusSeconds(600);
    JobTransitions first = JobTransitions.between(null, status(JobPhase.Queued, null, null), T0);
    assertTrue(first.created());
    JobTransitions starting = JobTransitions.between(status(JobPhase.Queued, null, null),
        status(JobPhase.Starting, ready, null), ready);
    assertEquals(Optional.of(Duration.ofSeconds(40)), starting.queued());
    JobTransitions run = JobTransitions.between(status(JobPhase.Starting, ready, null),
        status(JobPhase.Running, ready, running), running);
    assertEquals(Optional.of(Duration.ofSeconds(5)), run.startup());
    assertFalse(run.created());
    ChainerJobStatus done = status(JobPhase.Completed, null, null);
    JobTransitions ended = JobTransitions.between(status(JobPhase.Running, ready, running), done, end);
    assertEquals(Optional.of(JobPhase.Completed), ended.ended());
    assertEquals(Optional.of(Duration.ofSeconds(600)), ended.run());
    assertEquals(Optional.empty(), JobTransitions.between(done, done, end.plusSeconds(1)).ended(), "once");
  }

  @Test
  void aRestartIsCountedAndItsWaitIsNotQueueing() {
    ChainerJobStatus before = status(JobPhase.Running, T0, T0);
    ChainerJobStatus restarting = status(JobPhase.Queued, null, null);
    restarting.setRestartCount(1);
    restarting.setAttempt(1);
    restarting.setReason("Restarting");
    JobTransitions t = JobTransitions.between(before, restarting, T0.plusSeconds(60));
    assertTrue(t.restarted());
    assertEquals(Optional.of(Duration.ofSeconds(60)), t.run(), "the attempt ran until it failed");
    ChainerJobStatus readyAgain = status(JobPhase.Starting, T0.plusSeconds(90), null);
    readyAgain.setAttempt(1);
    assertEquals(Optional.empty(), JobTransitions.between(restarting, readyAgain, T0.plusSeconds(90)).queued());
  }
}
