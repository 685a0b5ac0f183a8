package dev.chainer.operator.render;

import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.chainer.operator.testing.Rendered;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The Kubernetes-native additions reach the pods of their role. */
class KubernetesSettingsTest {
  private static final String SETTINGS = """
      kubernetes:
        worker:
          resources:
            requests: {cpu: "4", memory: 16Gi}
            limits: {nvidia.com/gpu: "1"}
          nodeSelector: {disk: ssd}
          tolerations:
          - {key: dedicated, operator: Exists, effect: NoSchedule}
          affinity:
            podAntiAffinity:
              preferredDuringSchedulingIgnoredDuringExecution:
              - weight: 1
                podAffinityTerm:
                  topologyKey: kubernetes.io/hostname
                  labelSelector: {matchLabels: {chainer.dev/job-name: train}}
          priorityClassName: high
          serviceAccountName: trainer
          schedulerName: volcano
          labels: {team: vision, chainer.dev/role: hijack}
          annotations: {sidecar.istio.io/inject: "false"}
        launcher:
          resources:
            requests: {cpu: 500m}
          priorityClassName: low
      useGpu: true
      """;

  @Test
  void workerSettingsReachTheWorkerPods() {
    Rendered r = Rendered.of(mpi(SETTINGS));
    var pod = r.workerPod();
    assertEquals(new Quantity("16Gi"), r.worker().getResources().getRequests().get("memory"));
    assertEquals(new Quantity("1"), r.worker().getResources().getLimits().get("nvidia.com/gpu"),
        "a GPU limit the user set wins over one per process");
    assertEquals(Map.of("disk", "ssd"), pod.getNodeSelector());
    assertEquals("dedicated", pod.getTolerations().get(0).getKey());
    assertEquals("kubernetes.io/hostname", pod.getAffinity().getPodAntiAffinity()
        .getPreferredDuringSchedulingIgnoredDuringExecution().get(0).getPodAffinityTerm().getTopologyKey());
    assertEquals("high", pod.getPriorityClassName());
    assertEquals("trainer", pod.getServiceAccountName());
    assertEquals("volcano", pod.getSchedulerName());
    var meta = r.objects().workers().orElseThrow().getSpec().getTemplate().getMetadata();
    assertEquals("vision", meta.getLabels().get("team"));
    assertEquals("worker", meta.getLabels().get("chainer.dev/role"), "the operator's own labels cannot be overridden");
    assertEquals("false", meta.getAnnotations().get("sidecar.istio.io/inject"));
  }

  @Test
  void launcherSettingsReachTheLauncherOnly() {
    Rendered r = Rendered.of(mpi(SETTINGS));
    assertEquals(new Quantity("500m"), r.launcher().getResources().getRequests().get("cpu"));
    var limits = r.launcher().getResources().getLimits();
    assertEquals(true, limits == null || limits.isEmpty(), "no GPU on the MPI launcher: " + limits);
    assertEquals("low", r.launcherPod().getPriorityClassName());
    assertNull(r.launcherPod().getServiceAccountName());
    assertNull(r.objects().launcher().getMetadata().getLabels().get("team"));
  }

  @Test
  void imagePullPolicyIsOnEveryContainerOfTheTrainingImageAndAbsentByDefault() {
    Rendered set = Rendered.of(dev.chainer.operator.testing.TestJobs.mpi("kubernetes:\n  imagePullPolicy: Always\n"
        + "  securityProfile: restricted\npipPackages: [tqdm]\n"));
    for (var pod : java.util.List.of(set.workerPod(), set.launcherPod())) {
      java.util.stream.Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream())
          .forEach(c -> org.junit.jupiter.api.Assertions.assertEquals("Always", c.getImagePullPolicy(), c.getName()));
    }
    Rendered unset = Rendered.of(dev.chainer.operator.testing.TestJobs.mpi(""));
    org.junit.jupiter.api.Assertions.assertNull(unset.worker().getImagePullPolicy(), "Kubernetes' default applies");
    org.junit.jupiter.api.Assertions.assertNull(unset.launcher().getImagePullPolicy());
  }
}
