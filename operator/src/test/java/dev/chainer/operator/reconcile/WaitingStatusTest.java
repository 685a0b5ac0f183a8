package dev.chainer.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.api.LauncherStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/** A waiting job's passing states are written at most once per hold; anything a user must see, at once. */
class WaitingStatusTest {
  private static final Instant WRITTEN = Instant.parse("2026-12-07T10:00:00Z");

  private static ChainerJobStatus status(JobPhase phase, int ready) {
    ChainerJobStatus s = new ChainerJobStatus();
    s.setPhase(phase);
    s.setReadyWorkers(ready);
    s.setTotalWorkers(2);
    s.setReady(ready + "/2");
    s.setStartTime(WRITTEN.toString());
    return s;
  }

  private static Plan planned(JobPhase phase, int ready, Consumer<ChainerJobStatus> change) {
    ChainerJobStatus next = status(phase, ready);
    change.accept(next);
    return new Plan().status(next);
  }

  private static Plan held(Plan plan, Duration afterWrite) {
    WaitingStatus.hold(plan, status(JobPhase.Queued, 0), Optional.of(WRITTEN), WRITTEN.plus(afterWrite));
    return plan;
  }

  @Test
  void aReadyCountOrPreparingSoonAfterTheLastWriteWaitsForTheHoldToEnd() {
    for (Plan p : new Plan[] {planned(JobPhase.Preparing, 0, s -> {}), planned(JobPhase.Queued, 1, s -> {}),
        planned(JobPhase.Starting, 2, s -> {})}) {
      held(p, Duration.ofMillis(500));
      assertEquals(JobPhase.Queued, p.status().getPhase(), "the written status is kept");
      assertEquals("0/2", p.status().getReady());
      assertEquals(Optional.of(Duration.ofMillis(1500)), p.requeueAfter(), "looked at again when the hold ends");
    }
  }

  @Test
  void afterTheHoldTheNewestStateIsWritten() {
    Plan p = held(planned(JobPhase.Starting, 2, s -> {}), WaitingStatus.HOLD);
    assertEquals(JobPhase.Starting, p.status().getPhase());
    assertEquals(Optional.empty(), p.requeueAfter());
  }

  @Test
  void whatAUserMustSeeIsWrittenAtOnce() {
    Duration soon = Duration.ofMillis(100);
    assertEquals(JobPhase.Running, held(planned(JobPhase.Running, 2, s -> {}), soon).status().getPhase());
    assertEquals(JobPhase.Failed, held(planned(JobPhase.Failed, 0, s -> {}), soon).status().getPhase());
    assertEquals("ImagePullBackOff", held(planned(JobPhase.Preparing, 0, s -> s.setReason("ImagePullBackOff")),
        soon).status().getReason(), "a stall");
    LauncherStatus launcher = new LauncherStatus();
    launcher.setPodName("train-launcher");
    assertEquals(launcher, held(planned(JobPhase.Starting, 2, s -> s.setLauncher(launcher)), soon).status()
        .getLauncher(), "a launcher recorded");
    Plan withEvent = planned(JobPhase.Preparing, 0, s -> {}).event(JobEvent.normal("Restarting", "x"));
    assertEquals(JobPhase.Preparing, held(withEvent, soon).status().getPhase(), "a change that comes with an Event");
  }

  @Test
  void withoutAKnownWriteNothingIsHeld() {
    Plan p = planned(JobPhase.Preparing, 0, s -> {});
    ChainerJobStatus next = p.status();
    WaitingStatus.hold(p, status(JobPhase.Queued, 0), Optional.empty(), WRITTEN);
    assertSame(next, p.status(), "after a restart the operator writes what it sees");
    Plan first = planned(JobPhase.Queued, 0, s -> {});
    WaitingStatus.hold(first, null, Optional.of(WRITTEN), WRITTEN);
    assertTrue(first.requeueAfter().isEmpty(), "a job's first status is never held");
  }

  @Test
  void recentTimesForgetWhatIsPastTheirWindow() {
    RecentTimes writes = new RecentTimes(WaitingStatus.HOLD);
    writes.happened("a", WRITTEN);
    assertEquals(Optional.of(WRITTEN), writes.last("a", WRITTEN.plusSeconds(1)));
    assertEquals(Optional.empty(), writes.last("a", WRITTEN.plus(WaitingStatus.HOLD)), "past the hold: not told");
    writes.happened("b", WRITTEN.plus(Duration.ofSeconds(11)));
    assertEquals(1, writes.size(), "a's write is dropped at the next prune");
  }
}
