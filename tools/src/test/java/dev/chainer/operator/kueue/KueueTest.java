package dev.chainer.operator.kueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.testing.InvariantWatcher;
import dev.chainer.operator.testing.OperatorHarness;
import dev.chainer.operator.testing.TestJobs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Kueue's protocol, with the test playing Kueue: a job labelled with a queue waits, without pods, for its Workload
 * to be admitted; runs on the admitted flavor's nodes; stops when evicted without a retry consumed and gives the
 * quota back; runs again when re-admitted; marks the Workload Finished at the end. A job without the label, and a
 * job another controller manages, are untouched by all of this.
 */
class KueueTest {
  private static final String NS = "team-a";
  private final OperatorConfig config = OperatorConfig.defaults();
  private OperatorHarness h;
  private InvariantWatcher invariants;

  @BeforeEach
  void start() {
    config.setKueueIntegration(true);
    h = OperatorHarness.withIntegrations(config, "workloads.kueue.x-k8s.io", "resourceflavors.kueue.x-k8s.io");
    invariants = h.watchInvariants();
    GenericKubernetesResource flavor = new GenericKubernetesResourceBuilder().withApiVersion(Kueue.apiVersion(config))
        .withKind("ResourceFlavor").withNewMetadata().withName("gpu-a").endMetadata().build();
    flavor.setAdditionalProperty("spec", Map.of("nodeLabels", Map.of("pool", "gpu-a"), "tolerations",
        List.of(Map.of("key", "gpu", "operator", "Exists", "effect", "NoSchedule"))));
    h.client.genericKubernetesResources(Kueue.resourceFlavors(config)).resource(flavor).create();
  }

  @AfterEach
  void stop() {
    h.closeCheckingInvariants();
  }

  private ChainerJob queued(String name) {
    ChainerJob job = TestJobs.job(name, "sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\n"
        + "nodeCount: 2\ndistributedTraining:\n  mpi:\n    processCountPerNode: 2\n");
    job.getMetadata().setLabels(Map.of(Kueue.QUEUE_NAME, "research"));
    return h.submit(job);
  }

  private GenericKubernetesResource workload(String job) {
    return h.client.genericKubernetesResources(Kueue.workloads(config)).inNamespace(NS).withName("chainerjob-" + job)
        .get();
  }

  private List<Pod> pods() {
    return h.client.pods().inNamespace(NS).list().getItems();
  }

  /** What Kueue's scheduler does: reserve quota in flavor gpu-a and admit. */
  private void admit(String job) {
    setStatus(job, Map.of("admission", Map.of("clusterQueue", "cq", "podSetAssignments", List.of(
        Map.of("name", "launcher", "count", 1, "flavors", Map.of("cpu", "gpu-a")),
        Map.of("name", "worker", "count", 2, "flavors", Map.of("cpu", "gpu-a", "nvidia.com/gpu", "gpu-a")))),
        "conditions", List.of(condition("QuotaReserved", "True"), condition("Admitted", "True"))));
  }

  private void setStatus(String job, Map<String, Object> status) {
    GenericKubernetesResource w = workload(job);
    w.setAdditionalProperty("status", status);
    h.client.genericKubernetesResources(Kueue.workloads(config)).inNamespace(NS).resource(w).updateStatus();
  }

  private static Map<String, Object> condition(String type, String status) {
    return Map.of("type", type, "status", status, "reason", type, "message", type + " by the test",
        "lastTransitionTime", Instant.now().toString());
  }

  @SuppressWarnings("unchecked")
  private static boolean hasCondition(GenericKubernetesResource w, String type, String status) {
    Object s = w == null ? null : w.getAdditionalProperties().get("status");
    return s instanceof Map<?, ?> m && m.get("conditions") instanceof List<?> l && l.stream().anyMatch(c ->
        type.equals(((Map<String, Object>) c).get("type")) && status.equals(((Map<String, Object>) c).get("status")));
  }

  @Test
  @SuppressWarnings("unchecked")
  void aQueuedJobRunsOnlyWhileAdmittedAndAnEvictionCostsNoRetry() {
    h.kubelet.launcherRunTime(Duration.ofMinutes(10)).start();
    ChainerJob job = queued("train");
    GenericKubernetesResource created = OperatorHarness.await(() -> workload("train"), w -> true, "the Workload");
    Map<String, Object> spec = (Map<String, Object>) created.getAdditionalProperties().get("spec");
    assertEquals("kueue.x-k8s.io/v1beta2", created.getApiVersion());
    assertEquals("research", spec.get("queueName"));
    List<Map<String, Object>> podSets = (List<Map<String, Object>>) spec.get("podSets");
    assertEquals(List.of("launcher", "worker"), podSets.stream().map(p -> p.get("name")).toList());
    assertEquals(List.of(1, 2), podSets.stream().map(p -> p.get("count")).toList());
    assertEquals(h.get(job).getMetadata().getUid(), created.getMetadata().getOwnerReferences().get(0).getUid());
    ChainerJobStatus waiting = h.await(() -> h.status(job), s -> "WaitingForAdmission".equals(s.getReason()),
        "waiting for admission");
    assertEquals(JobPhase.Queued, waiting.getPhase());
    h.awaitQuiet();
    assertEquals(List.of(), pods(), "no pod before admission");

    admit("train");
    h.awaitPhase(job, JobPhase.Running);
    for (Pod pod : pods()) {
      assertEquals("gpu-a", pod.getSpec().getNodeSelector().get("pool"), "the flavor reaches " + pod.getMetadata()
          .getName());
      assertTrue(pod.getSpec().getTolerations().stream().anyMatch(t -> "gpu".equals(t.getKey())));
    }

    setStatus("train", Map.of("admission", ((Map<String, Object>) workload("train").getAdditionalProperties()
        .get("status")).get("admission"), "conditions", List.of(condition("QuotaReserved", "True"),
        condition("Admitted", "True"), condition("Evicted", "True"))));
    ChainerJobStatus evicted = h.await(() -> h.status(job), s -> "WaitingForAdmission".equals(s.getReason()),
        "stopped by the eviction");
    assertTrue(evicted.getMessage().startsWith("evicted by Kueue"), evicted.getMessage());
    OperatorHarness.await(this::pods, List::isEmpty, "no pods once evicted");
    OperatorHarness.await(() -> workload("train"), w -> hasCondition(w, "QuotaReserved", "False"),
        "the quota given back");
    assertEquals("Warning", h.event(job, "Evicted").orElseThrow().getType());

    h.kubelet.launcherRunTime(Duration.ofMillis(300));
    admit("train");
    ChainerJobStatus done = h.awaitPhase(job, JobPhase.Completed);
    assertNull(done.getRestartCount(), "an eviction is not a failure");
    assertEquals("train-launcher-1", done.getLauncher().getPodName(), "a fresh attempt");
    OperatorHarness.await(() -> workload("train"), w -> hasCondition(w, "Finished", "True"), "the Workload Finished");
  }

  /** A misspelt WorkloadPriorityClass is not dropped: Kueue would refuse the job, so it waits, saying why. */
  @Test
  void aJobNamingAPriorityClassThatDoesNotExistWaitsSayingSo() {
    h.kubelet.start();
    ChainerJob job = TestJobs.job("prio", "sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\n");
    job.getMetadata().setLabels(Map.of(Kueue.QUEUE_NAME, "research", "kueue.x-k8s.io/priority-class", "hihg"));
    ChainerJob queued = h.submit(job);
    ChainerJobStatus waiting = h.await(() -> h.status(queued), s -> "PriorityClassNotFound".equals(s.getReason()),
        "the missing class on the job");
    assertTrue(waiting.getMessage().contains("WorkloadPriorityClass \"hihg\" not found"), waiting.getMessage());
    assertTrue(waiting.getConditions().stream().anyMatch(c -> c.getType().equals("Stalled")
        && c.getStatus().equals("True")));
    assertNull(workload("prio"), "no Workload without its priority");
  }

  /** A single-process job's Workload is Finished as the job ends, not at a resync minutes later. */
  @Test
  void aSingleProcessJobsWorkloadIsFinishedAsItEnds() {
    h.kubelet.launcherRunTime(Duration.ofMillis(300)).start();
    ChainerJob job = TestJobs.job("single", "sourceDirectory: /app\nentryScript: train.py\n"
        + "frameworkVersion: \"7.0.0\"\n");
    job.getMetadata().setLabels(Map.of(Kueue.QUEUE_NAME, "research"));
    ChainerJob queued = h.submit(job);
    OperatorHarness.await(() -> workload("single"), w -> w != null, "the Workload");
    admit("single");
    h.awaitPhase(queued, JobPhase.Completed);
    long deadline = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (!hasCondition(workload("single"), "Finished", "True") && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    assertTrue(hasCondition(workload("single"), "Finished", "True"), "Finished within 3 s of the job's end");
  }

  @Test
  void jobsWithoutTheLabelOrManagedElsewhereAreLeftToThemselves() {
    h.kubelet.launcherRunTime(Duration.ofMillis(300)).start();
    ChainerJob plain = h.submit(TestJobs.mpi(""));
    h.awaitPhase(plain, JobPhase.Completed);
    assertNull(workload("train"), "no Workload for a job without a queue");
    ChainerJob elsewhere = TestJobs.job("remote", "sourceDirectory: /app\nentryScript: train.py\n"
        + "frameworkVersion: \"7.0.0\"\nmanagedBy: kueue.x-k8s.io/multikueue\n");
    elsewhere.getMetadata().setLabels(Map.of(Kueue.QUEUE_NAME, "research"));
    ChainerJob remote = h.submit(elsewhere);
    h.awaitQuiet();
    assertNull(h.get(remote).getStatus(), "not even a status");
    assertNull(workload("remote"));
    assertTrue(pods().stream().noneMatch(p -> p.getMetadata().getName().startsWith("remote")));
  }
}
