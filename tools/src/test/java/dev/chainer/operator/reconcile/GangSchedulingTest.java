package dev.chainer.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.GangScheduler;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.testing.OperatorHarness;
import dev.chainer.operator.testing.Rendered;
import dev.chainer.operator.testing.TestJobs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Gang scheduling: one PodGroup per attempt whose minMember counts the workers only (the launcher is a member too,
 * counted by the queue), for Volcano and scheduler-plugins;
 * under a scheduler that binds a gang only once all its members exist, a 4-worker job is never deadlocked by its
 * launcher.
 */
class GangSchedulingTest {
  private static final String FOUR_GPU_WORKERS = "sourceDirectory: /app\nentryScript: train.py\n"
      + "frameworkVersion: \"7.0.0\"\nnodeCount: 4\nuseGpu: true\ndistributedTraining:\n  mpi:\n"
      + "    processCountPerNode: 2\nkubernetes:\n  worker:\n    resources:\n      requests:\n        cpu: 1500m\n"
      + "        memory: 4Gi\n      limits:\n        memory: 4Gi\n";

  private static OperatorConfig config(GangScheduler gang) {
    OperatorConfig config = OperatorConfig.defaults();
    config.setGangScheduler(gang);
    return config;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource group) {
    return (Map<String, Object>) group.getAdditionalProperties().get("spec");
  }

  @Test
  void volcanoGetsAPodGroupOfTheWorkersWithTheirResources() {
    ChainerJob job = TestJobs.job("train", FOUR_GPU_WORKERS + "runPolicy:\n  schedulingPolicy:\n    queue: research\n"
        + "    priorityClassName: high\n");
    Rendered r = Rendered.of(job, config(GangScheduler.VOLCANO));
    GenericKubernetesResource group = r.objects().podGroup().orElseThrow();
    assertEquals("scheduling.volcano.sh/v1beta1", group.getApiVersion());
    assertEquals("train-gang", group.getMetadata().getName());
    assertEquals(4, spec(group).get("minMember"), "the workers, not the launcher");
    assertEquals(Map.of("cpu", "6", "memory", String.valueOf(16L * 1024 * 1024 * 1024), "nvidia.com/gpu", "8"),
        spec(group).get("minResources"));
    assertEquals("research", spec(group).get("queue"));
    assertEquals("high", spec(group).get("priorityClassName"));
    var template = r.objects().workers().orElseThrow().getSpec().getTemplate();
    assertEquals("train-gang", template.getMetadata().getAnnotations().get("scheduling.k8s.io/group-name"));
    assertEquals("volcano", template.getSpec().getSchedulerName());
    // The launcher is in the gang too, so the queue counts it; minMember (the workers) never waits for it.
    assertEquals("train-gang", r.objects().launcher().getMetadata().getAnnotations().get("scheduling.k8s.io/group-name"));
    assertEquals("volcano", r.objects().launcher().getSpec().getSchedulerName());
  }

  @Test
  void schedulerPluginsGetsItsPodGroupAndLabel() {
    ChainerJob job = TestJobs.job("train", FOUR_GPU_WORKERS + "runPolicy:\n  schedulingPolicy:\n    minAvailable: 3\n"
        + "    scheduleTimeoutSeconds: 120\n");
    Rendered r = Rendered.of(job, config(GangScheduler.SCHEDULER_PLUGINS));
    GenericKubernetesResource group = r.objects().podGroup().orElseThrow();
    assertEquals("scheduling.x-k8s.io/v1alpha1", group.getApiVersion());
    assertEquals(3, spec(group).get("minMember"));
    assertEquals(120, spec(group).get("scheduleTimeoutSeconds"));
    assertEquals("train-gang", r.objects().workers().orElseThrow().getSpec().getTemplate().getMetadata().getLabels()
        .get("scheduling.x-k8s.io/pod-group"));
    assertEquals("train-gang", r.objects().launcher().getMetadata().getLabels().get("scheduling.x-k8s.io/pod-group"));
  }

  @ParameterizedTest
  @EnumSource(value = GangScheduler.class, names = {"VOLCANO", "SCHEDULER_PLUGINS"})
  void aFourWorkerGangRunsToTheEndAndEachAttemptHasItsOwnPodGroup(GangScheduler gang) {
    String crd = "podgroups." + gang.apiVersion().substring(0, gang.apiVersion().indexOf('/'));
    try (OperatorHarness h = OperatorHarness.withIntegrations(config(gang), crd)) {
      h.kubelet.launcherRunTime(Duration.ofMinutes(10)).scheduling(false).start();
      ChainerJob job = h.submit(TestJobs.job("train", FOUR_GPU_WORKERS + "runPolicy:\n  backoffLimit: 1\n"));
      ChainerJobStatus waiting = h.await(() -> h.status(job), s -> "WaitingForGang".equals(s.getReason()),
          "the gang's wait on the status");
      assertTrue(waiting.getMessage().startsWith("PodGroup train-gang is "), waiting.getMessage());
      h.kubelet.scheduling(true);
      h.awaitPhase(job, JobPhase.Running);
      GenericKubernetesResource first = group(h, gang, "train-gang");
      assertEquals(4, spec(first).get("minMember"));
      assertEquals(h.get(job).getMetadata().getUid(), first.getMetadata().getOwnerReferences().get(0).getUid());
      h.kubelet.oomKill("team-a", "train-worker-2");
      h.await(() -> h.status(job), s -> Integer.valueOf(1).equals(s.getRestartCount())
          && s.getPhase() == JobPhase.Running, "running again after a restart");
      assertNull(group(h, gang, "train-gang"), "the first attempt's gang is gone");
      assertEquals(4, spec(group(h, gang, "train-gang-1")).get("minMember"));
      h.kubelet.launcherRunTime(Duration.ofMillis(300));
      ChainerJobStatus done = h.awaitPhase(job, JobPhase.Completed);
      assertEquals(1, done.getRestartCount());
      OperatorHarness.await(() -> group(h, gang, "train-gang-1") == null, gone -> gone,
          "the last gang goes with its pods, its minResources no longer reserved");
    }
  }

  private static GenericKubernetesResource group(OperatorHarness h, GangScheduler gang, String name) {
    return h.client.genericKubernetesResources(gang.apiVersion(), "PodGroup").inNamespace("team-a").withName(name)
        .get();
  }
}
