package dev.chainer.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.testing.OperatorHarness;
import dev.chainer.operator.testing.TestJobs;
import dev.chainer.operator.testing.WithOperator;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** On every path to its end, a job's status follows its pods until they are gone. */
class StatusToTheEndTest extends WithOperator {
  private static final String MPI = "sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\n"
      + "nodeCount: 2\ndistributedTraining:\n  mpi:\n    processCountPerNode: 2\n";

  @ParameterizedTest
  @ValueSource(strings = {"success", "failure", "deadline", "cancel", "worker loss"})
  void afterThePodsAreGoneNothingIsSaidToBeReadyOrRunning(String path) {
    h.kubelet.launcherRunTime(path.equals("success") ? Duration.ofSeconds(1) : Duration.ofMinutes(10)).start();
    ChainerJob job = h.submit(TestJobs.job("train", MPI + (path.equals("deadline") ? "maxRunDurationSeconds: 4\n"
        : "")));
    h.awaitPhase(job, JobPhase.Running);
    Consumer<String> end = p -> {
      switch (p) {
        case "failure" -> h.kubelet.oomKill("team-a", "train-launcher");
        case "cancel" -> h.editPolicy(job, r -> r.setCancel(true));
        case "worker loss" -> h.kubelet.oomKill("team-a", "train-worker-1");
        default -> { }
      }
    };
    end.accept(path);
    ChainerJobStatus ended = OperatorHarness.await(() -> h.status(job), s -> s.getPhase() != null
        && s.getPhase().isTerminal(), "the end");
    OperatorHarness.await(() -> h.client.apps().statefulSets().inNamespace("team-a").list().getItems().isEmpty()
        && h.client.pods().inNamespace("team-a").withLabel("chainer.dev/role", "worker").list().getItems().isEmpty(),
        gone -> gone, "the workers gone");
    ChainerJobStatus after = OperatorHarness.await(() -> h.status(job), s -> Integer.valueOf(0)
        .equals(s.getReadyWorkers()), "no worker said to be ready");
    assertEquals(ended.getPhase(), after.getPhase(), "terminal stays terminal");
    assertEquals("0/2", after.getReady());
    assertEquals("False", after.getConditions().stream().filter(c -> c.getType().equals("WorkersReady"))
        .findFirst().orElseThrow().getStatus());
    if (h.client.pods().inNamespace("team-a").withName("train-launcher").get() == null) {
      assertNotEquals("Running", after.getLauncher().getState(), "a launcher gone is not Running");
      assertNotEquals("Pending", after.getLauncher().getState());
    }
  }
}
