package dev.chainer.operator.reconcile;

import static dev.chainer.operator.testing.OperatorHarness.writes;
import static dev.chainer.operator.testing.TestJobs.job;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.testing.OperatorHarness;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Correctness under the operator's own faults: resyncs, restarts, API errors, bad neighbours. */
class OperatorFaultsTest {
  private OperatorHarness h;

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void resyncsOfAnUnchangedJobMakeNoWrites() {
    // Resyncs come from the periodic reconcile and, while the job runs, from the progress poll (1 s here).
    OperatorConfig config = OperatorConfig.defaults();
    config.setProgressIntervalSeconds(1);
    h = new OperatorHarness(config, ChainerOperator.Settings.allNamespaces().withResyncPeriod(Duration.ofMillis(300)));
    h.kubelet.launcherRunTime(Duration.ofMinutes(10)).start();
    ChainerJob job = h.submit(mpi(""));
    h.awaitPhase(job, JobPhase.Running);
    h.kubelet.close();
    h.awaitQuiet();
    long before = h.operator().metrics().reconciliations();
    OperatorHarness.await(() -> h.operator().metrics().reconciliations() - before, n -> n >= 3, "three resyncs");
    List<String> requests = h.drainRequests();
    assertTrue(h.operator().metrics().reconciliations() - before >= 2, "resyncs happened");
    assertEquals(List.of(), writes(requests));
  }

  @Test
  void restartingTheOperatorMidJobNeitherDuplicatesTheLauncherNorLosesTheJob() {
    h = new OperatorHarness();
    h.kubelet.launcherRunTime(Duration.ofSeconds(3)).start();
    ChainerJob job = h.submit(mpi("runPolicy:\n  backoffLimit: 2"));
    h.awaitPhase(job, JobPhase.Running);
    String startTime = h.status(job).getStartTime();
    h.stopOperator();
    h.drainRequests();
    h.startOperator();
    OperatorHarness.await(() -> h.operator().metrics().reconciliations(), n -> n >= 1, "a reconcile after restart");
    h.awaitQuiet();
    List<String> afterRestart = writes(h.drainRequests());
    assertTrue(afterRestart.stream().noneMatch(r -> r.startsWith("POST") && !r.contains("/events")),
        "nothing re-created: " + afterRestart);
    var done = h.awaitPhase(job, JobPhase.Completed);
    assertEquals(startTime, done.getStartTime());
    assertEquals(List.of("train-launcher"), h.client.pods().inNamespace("team-a").withLabel("chainer.dev/role",
        "launcher").list().getItems().stream().map(p -> p.getMetadata().getName()).toList());
  }

  @Test
  void transientApiErrorsAreRetried() {
    h = new OperatorHarness();
    // A server error is retried by the client with backoff; an error the client gives up on fails the
    // reconcile, which the operator retries with backoff.
    h.api.server().expect().post().withPath("/apis/apps/v1/namespaces/team-a/statefulsets")
        .andReturn(500, "{\"kind\":\"Status\",\"code\":500,\"message\":\"etcd timeout\"}").once();
    // (A 401 while credentials rotate: not a refusal of the object, which would reach the job's status instead.)
    h.api.server().expect().post().withPath("/apis/apps/v1/namespaces/team-a/statefulsets")
        .andReturn(401, "{\"kind\":\"Status\",\"code\":401,\"message\":\"Unauthorized\"}").once();
    h.kubelet.start();
    h.drainRequests();
    ChainerJob job = h.submit(mpi(""));
    h.awaitPhase(job, JobPhase.Completed);
    long posts = h.drainRequests().stream().filter(r -> r.equals("POST /apis/apps/v1/namespaces/team-a/statefulsets"))
        .count();
    assertEquals(3, posts, "two failed creations, then one that worked");
    assertTrue(h.operator().metrics().failures() >= 1, "the failed reconcile was retried");
  }

  @Test
  void theOperatorNeverWritesASpec() {
    h = new OperatorHarness();
    h.kubelet.start();
    ChainerJob job = h.submit(mpi("distributedBackend: mpi"));
    h.drainRequests();
    h.awaitPhase(job, JobPhase.Completed);
    List<String> jobWrites = writes(h.drainRequests()).stream().filter(r -> r.contains("/chainerjobs/")).toList();
    assertTrue(!jobWrites.isEmpty());
    assertTrue(jobWrites.stream().allMatch(r -> r.startsWith("PUT") && r.contains("/chainerjobs/train/status")),
        jobWrites::toString);
    assertEquals(1L, h.get(job).getMetadata().getGeneration());
  }
}
