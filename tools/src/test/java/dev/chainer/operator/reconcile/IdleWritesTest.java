package dev.chainer.operator.reconcile;

import static dev.chainer.operator.testing.OperatorHarness.writes;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Nothing changes, so nothing is written: many resyncs (a progress read and a resync every second, the resync
 * period 300 ms) over a running job, a finished one and one stalled by a foreign Secret holding its SSH Secret's
 * name send no create,
 * update, patch or delete. The stalled job looks (GET) whether the foreign Secret is still there; it does not send
 * again the create the server can only refuse.
 */
class IdleWritesTest {
  private OperatorHarness h;

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void resyncsOfRunningFinishedAndStalledJobsWriteNothing() throws Exception {
    OperatorConfig config = OperatorConfig.defaults();
    config.setProgressIntervalSeconds(1);
    h = new OperatorHarness(config, ChainerOperator.Settings.allNamespaces().withResyncPeriod(Duration.ofMillis(300)));
    h.kubelet.launcherRunTime(Duration.ofMillis(300)).start();
    ChainerJob finished = h.submit(named("finished"));
    h.awaitPhase(finished, JobPhase.Completed);
    h.client.secrets().inNamespace("team-a").resource(new SecretBuilder().withNewMetadata().withName("stalled-ssh")
        .withNamespace("team-a").addToLabels("owner", "someone-else").endMetadata()
        .addToStringData("authorized_keys", "theirs").build()).create();
    ChainerJob stalled = h.submit(named("stalled"));
    h.await(() -> h.status(stalled), s -> "ResourceConflict".equals(s.getReason()), "the conflict said");
    h.kubelet.launcherRunTime(Duration.ofMinutes(10));
    ChainerJob running = h.submit(named("running"));
    h.awaitPhase(running, JobPhase.Running);
    OperatorHarness.await(() -> h.client.pods().inNamespace("team-a").withLabel("chainer.dev/role", "worker")
        .list().getItems().stream().filter(p -> p.getMetadata().getLabels().get("chainer.dev/job-name")
        .equals("finished")).count(), n -> n == 0, "the finished job's workers gone");
    h.kubelet.close();
    Thread.sleep(2000); // whatever the last changes still cause
    h.drainRequests();
    long before = h.operator().metrics().reconciliations();

    // Longer than the stalled job's look again (10 s): the running job is read and resynced every second meanwhile.
    Thread.sleep(11_000);

    List<String> requests = h.drainRequests();
    long reconciles = h.operator().metrics().reconciliations() - before;
    assertTrue(reconciles >= 10, "resyncs of the running and the stalled job happened: " + reconciles);
    assertEquals(List.of(), writes(requests));
    assertTrue(requests.stream().anyMatch(r -> r.startsWith("GET /api/v1/namespaces/team-a/secrets/stalled-ssh")),
        "the stalled job looks whether the foreign Secret is still there: " + requests);
    assertEquals("ResourceConflict", h.status(stalled).getReason());
    assertEquals(JobPhase.Running, h.status(running).getPhase());
  }

  private static ChainerJob named(String name) {
    ChainerJob job = mpi("");
    job.getMetadata().setName(name);
    return job;
  }
}
