package dev.chainer.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.testing.OperatorHarness;
import dev.chainer.operator.testing.TestJobs;
import dev.chainer.operator.testing.WithOperator;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Whatever the API server refuses reaches the job, on the strict server: Pod Security refusals of the launcher (made
 * by the operator) and of the workers (made by the StatefulSet controller, whose refusals only its Events tell), and
 * a quota, which the job waits out.
 */
class RefusalsTest extends WithOperator {
  private static final String SINGLE = "sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\n";
  private static final String MPI = SINGLE + "nodeCount: 2\ndistributedTraining:\n  mpi:\n    processCountPerNode: 2\n";

  private void restrictedNamespace(String name) {
    h.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build()).create();
  }

  private ChainerJob submit(String namespace, String spec) {
    ChainerJob job = TestJobs.job("train", spec);
    job.getMetadata().setNamespace(namespace);
    return h.submit(job);
  }

  @Test
  void aRootSingleProcessJobInARestrictedNamespaceFailsWithTheServersWords() {
    restrictedNamespace("locked");
    h.kubelet.start();
    ChainerJob job = submit("locked", SINGLE);
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("PodSecurityViolation", failed.getReason());
    assertTrue(failed.getMessage().startsWith("the API server refused Pod train-launcher (403): "), failed.getMessage());
    assertTrue(failed.getMessage().contains("violates PodSecurity \"restricted"), failed.getMessage());
    assertTrue(h.event(job, "PodSecurityViolation").isPresent(), "a Warning Event");
  }

  @Test
  void aRootMpiJobWhoseWorkersAreRefusedFailsWithTheStatefulSetsWord() {
    restrictedNamespace("locked");
    h.kubelet.start();
    ChainerJob job = submit("locked", MPI);
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("PodSecurityViolation", failed.getReason());
    assertTrue(failed.getMessage().contains("StatefulSet train-worker"), failed.getMessage());
    assertTrue(failed.getMessage().contains("violates PodSecurity"), failed.getMessage());
    OperatorHarness.await(() -> h.client.apps().statefulSets().inNamespace("locked").withName("train-worker").get()
        == null, gone -> gone, "its workers' StatefulSet removed");
  }

  /**
   * Many jobs waiting on refused workers cost one list of the namespace's FailedCreate Events per 5 s between them,
   * not one per job: at 10,000 jobs those lists were most of the API server's work.
   */
  @Test
  void jobsWhoseWorkersAreRefusedShareOneListOfTheNamespacesEvents() {
    restrictedNamespace("locked");
    h.kubelet.start();
    h.drainRequests();
    long started = System.nanoTime();
    List<ChainerJob> jobs = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      ChainerJob job = TestJobs.job("train-" + i, MPI);
      job.getMetadata().setNamespace("locked");
      jobs.add(h.submit(job));
    }
    for (ChainerJob job : jobs) {
      assertEquals("PodSecurityViolation", h.awaitPhase(job, JobPhase.Failed).getReason());
    }
    long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds();
    List<String> lists = h.drainRequests().stream()
        .filter(r -> r.matches("GET /api/v1/namespaces/locked/events(\\?.*)?")).toList();
    assertTrue(lists.size() <= seconds / 5 + 2, lists.size() + " lists of Events in " + seconds + " s: " + lists);
    assertTrue(lists.stream().allMatch(r -> r.contains("fieldSelector=")), "the server filters them: " + lists);
  }

  /** An object the server finds invalid (a 422 the pre-flight did not foresee, e.g. a webhook-set field). */
  @Test
  void anObjectTheServerFindsInvalidFailsTheJobQuotingTheServer() {
    h.api.server().expect().post().withPath("/api/v1/namespaces/team-a/pods").andReturn(422, "{\"kind\":\"Status\","
        + "\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"Invalid\",\"code\":422,\"message\":"
        + "\"Pod \\\"train-launcher\\\" is invalid: spec.containers[0].image: Invalid value\"}").once();
    h.kubelet.start();
    ChainerJob job = submit("team-a", SINGLE);
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("ObjectInvalid", failed.getReason());
    assertTrue(failed.getMessage().startsWith("the API server refused Pod train-launcher (422): Pod "),
        failed.getMessage());
    assertTrue(h.event(job, "ObjectInvalid").isPresent());
  }

  @Test
  void aQuotaTheWorkersExceedMakesTheJobWaitUntilItIsRaised() {
    h.kubelet.launcherRunTime(Duration.ofMillis(300)).start();
    h.client.resourceQuotas().inNamespace("team-a").resource(new ResourceQuotaBuilder().withNewMetadata()
        .withName("pods").endMetadata().withNewSpec().addToHard("pods", new io.fabric8.kubernetes.api.model.Quantity(
            "1")).endSpec().build()).create();
    ChainerJob job = submit("team-a", MPI);
    ChainerJobStatus waiting = h.await(() -> h.status(job), s -> "QuotaExceeded".equals(s.getReason()),
        "waiting on the quota");
    assertEquals(JobPhase.Queued, waiting.getPhase());
    assertTrue(waiting.getMessage().contains("exceeded quota"), waiting.getMessage());
    assertTrue(waiting.getConditions().stream().anyMatch(c -> c.getType().equals("Stalled")
        && c.getStatus().equals("True")));
    h.client.resourceQuotas().inNamespace("team-a").withName("pods").delete();
    h.awaitPhase(job, JobPhase.Completed);
  }
}
