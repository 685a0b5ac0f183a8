package dev.chainer.operator.localcluster;

import dev.chainer.operator.testing.WithApiServer;
import static dev.chainer.operator.testing.OperatorHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * ResourceQuota admission as the API server's plugin applies it to pods: a pod that would take the namespace past a
 * hard limit is refused with 403 and the plugin's message naming the quota and, for the exceeded resources only, what
 * the pod requests, what is used and the limit; usage counts the namespace's pods that have not ended; a quota on cpu
 * or memory makes every container say how much. The quota's status is kept as its controller keeps it.
 */
class ResourceQuotaTest extends WithApiServer {

  @Test
  void gpusPastTheQuotaAreForbiddenUntilAPodEnds() {
    quota("gpu", Map.of("requests.nvidia.com/gpu", "4", "limits.nvidia.com/gpu", "1"));
    create(pod("a", Map.of(), Map.of("nvidia.com/gpu", "2"))); // a GPU is requested at its limit
    create(pod("b", Map.of(), Map.of("nvidia.com/gpu", "2")));

    KubernetesClientException refused = forbidden(pod("c", Map.of(), Map.of("nvidia.com/gpu", "1")));
    assertEquals("pods \"c\" is forbidden: exceeded quota: gpu, requested: requests.nvidia.com/gpu=1, used: "
        + "requests.nvidia.com/gpu=4, limited: requests.nvidia.com/gpu=4", refused.getStatus().getMessage());
    assertEquals("Forbidden", refused.getStatus().getReason());

    // an ended pod uses nothing; limits.nvidia.com/gpu is accepted but never enforced, as on Kubernetes
    client.pods().inNamespace("a").withName("a").editStatus(p -> new PodBuilder(p)
        .withStatus(new PodStatusBuilder().withPhase("Succeeded").build()).build());
    assertNotNull(create(pod("c", Map.of(), Map.of("nvidia.com/gpu", "1"))).getMetadata().getUid());
  }

  @Test
  void theMessageListsEveryExceededResourceAndOnlyThose() {
    quota("compute", Map.of("pods", "2", "requests.cpu", "1", "limits.memory", "1Gi"));
    create(pod("a", Map.of("cpu", "500m"), Map.of("memory", "512Mi")));
    KubernetesClientException refused = forbidden(pod("b", Map.of("cpu", "600m"), Map.of("memory", "768Mi")));
    assertEquals("pods \"b\" is forbidden: exceeded quota: compute, requested: limits.memory=768Mi,requests.cpu=600m, "
        + "used: limits.memory=512Mi,requests.cpu=500m, limited: limits.memory=1Gi,requests.cpu=1",
        refused.getStatus().getMessage());
    create(pod("b", Map.of("cpu", "500m"), Map.of("memory", "512Mi")));
    assertEquals("pods \"c\" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=2, limited: pods=2",
        forbidden(pod("c", Map.of("cpu", "0"), Map.of("memory", "0"))).getStatus().getMessage());
  }

  @Test
  void aQuotaOnCpuOrMemoryMakesEveryContainerSetThem() {
    quota("compute", Map.of("requests.cpu", "4", "limits.memory", "8Gi"));
    assertEquals("pods \"a\" is forbidden: failed quota: compute: must specify limits.memory for: c; requests.cpu for: "
        + "c", forbidden(pod("a", Map.of(), Map.of())).getStatus().getMessage());
    // a limit alone is also the request (API defaulting)
    assertNotNull(create(pod("a", Map.of(), Map.of("cpu", "1", "memory", "1Gi"))).getMetadata().getUid());
  }

  @Test
  void theQuotaStatusShowsTheLimitsAndWhatIsUsed() {
    quota("compute", Map.of("pods", "10", "requests.memory", "8Gi", "requests.nvidia.com/gpu", "8"));
    create(pod("a", Map.of("memory", "1Gi"), Map.of("nvidia.com/gpu", "2")));
    create(pod("b", Map.of("memory", "512Mi"), Map.of()));
    var status = await(() -> client.resourceQuotas().inNamespace("a").withName("compute").get().getStatus(),
        s -> s.getUsed() != null && new Quantity("2").equals(s.getUsed().get("pods")), "the quota's usage").getUsed();
    assertEquals(new Quantity("1536Mi"), status.get("requests.memory"));
    assertEquals(new Quantity("2"), status.get("requests.nvidia.com/gpu"));
    assertEquals(new Quantity("8Gi"), client.resourceQuotas().inNamespace("a").withName("compute").get().getStatus()
        .getHard().get("requests.memory"));
  }

  private void quota(String name, Map<String, String> hard) {
    ResourceQuotaBuilder quota = new ResourceQuotaBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
        .endSpec();
    hard.forEach((k, v) -> quota.editSpec().addToHard(k, new Quantity(v)).endSpec());
    client.resourceQuotas().inNamespace("a").resource(quota.build()).create();
  }

  private static Pod pod(String name, Map<String, String> requests, Map<String, String> limits) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
        .addNewContainer().withName("c").withImage("busybox").withNewResources().endResources().endContainer()
        .endSpec();
    requests.forEach((k, v) -> pod.editSpec().editFirstContainer().editResources().addToRequests(k, new Quantity(v))
        .endResources().endContainer().endSpec());
    limits.forEach((k, v) -> pod.editSpec().editFirstContainer().editResources().addToLimits(k, new Quantity(v))
        .endResources().endContainer().endSpec());
    return pod.build();
  }

  private Pod create(Pod pod) {
    return client.pods().inNamespace("a").resource(pod).create();
  }

  private KubernetesClientException forbidden(Pod pod) {
    KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> create(pod));
    assertEquals(403, e.getCode(), e.getMessage());
    return e;
  }
}
