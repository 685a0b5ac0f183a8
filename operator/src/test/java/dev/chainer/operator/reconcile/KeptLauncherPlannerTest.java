package dev.chainer.operator.reconcile;

import static dev.chainer.operator.reconcile.PlannerFixtures.T0;
import static dev.chainer.operator.reconcile.PlannerFixtures.plan;
import static dev.chainer.operator.reconcile.PlannerFixtures.running;
import static dev.chainer.operator.reconcile.PlannerFixtures.started;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.status.Observed;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The launcher of a failed attempt stays, with its log, while the next attempt starts. */
class KeptLauncherPlannerTest {
  private static Pod failed(Pod launcher, String name, int attempt) {
    return new PodBuilder(launcher).editMetadata().withName(name).withUid("launcher-" + attempt)
        .addToLabels("chainer.dev/attempt", Integer.toString(attempt)).endMetadata().editStatus().withPhase("Failed")
        .addNewContainerStatus().withName("launcher").withNewState().withNewTerminated().withExitCode(1)
        .withReason("Error").endTerminated().endState().endContainerStatus().endStatus().build();
  }

  @Test
  void aFailedLauncherIsKeptAndTheNextAttemptDoesNotWaitForIt() {
    ChainerJob job = started(mpi("runPolicy:\n  backoffLimit: 5"), T0);
    Observed o = running(job, true, Optional.of("Running"));
    Pod launcher = o.pods().stream().filter(p -> p.getMetadata().getName().equals("train-launcher")).findFirst()
        .orElseThrow();
    List<Pod> pods = o.pods().stream().map(p -> p == launcher ? failed(p, "train-launcher", 0) : p).toList();
    Plan restart = plan(job, new Observed(o.statefulSets(), pods, o.services(), o.configMaps(), o.secrets(),
        List.of()), null, T0.plusSeconds(60));
    assertEquals("Restarting", restart.status().getReason());
    assertTrue(restart.deletions().stream().noneMatch(d -> d.kind().equals("Pod")), "the failed launcher stays: "
        + restart.deletions());
    assertTrue(restart.deletions().stream().anyMatch(d -> d.kind().equals("StatefulSet")));

    // Attempt 4: only its launcher's predecessors remain, ended; the three latest stay, the oldest goes.
    job.setStatus(restart.status());
    job.getStatus().setAttempt(4);
    List<Pod> ended = List.of(failed(launcher, "train-launcher", 0), failed(launcher, "train-launcher-1", 1),
        failed(launcher, "train-launcher-2", 2), failed(launcher, "train-launcher-3", 3));
    Plan next = plan(job, new Observed(List.of(), ended, o.services(), o.configMaps(), List.of(), List.of()), null,
        T0.plusSeconds(120));
    assertTrue(next.createWorkers(), "the next attempt does not wait for ended launchers");
    assertEquals(List.of("train-launcher"), next.deletions().stream().filter(d -> d.kind().equals("Pod"))
        .map(d -> d.name()).toList(), "only the oldest beyond the three kept");
    assertFalse(next.deletions().stream().anyMatch(d -> d.name().equals("train-launcher-3")));
  }
}
