package dev.chainer.operator.localcluster;

import static dev.chainer.operator.testing.OperatorHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The scheduler's view of the one simulated node: a pod whose requests do not fit beside the pods already on it, or
 * whose nodeSelector its labels do not satisfy, is not bound and says why as the scheduler says it (PodScheduled False,
 * Unschedulable), until room frees; by default the node has room for everything and no selector is checked, as
 * before.
 */
class NodeFitTest {
  private static final String NO_GPUS = "0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 "
      + "nodes are available: 1 No preemption victims found for incoming pod.";
  private LocalApiServer api;
  private KubernetesClient client;
  private SimulatedKubelet kubelet;

  @BeforeEach
  void start() {
    api = LocalApiServer.start();
    client = api.client();
    kubelet = new SimulatedKubelet(client).start();
  }

  @AfterEach
  void stop() {
    kubelet.close();
    api.close();
  }

  @Test
  void aPodThatNeedsMoreGpusThanAreLeftWaitsUntilAPodGoes() {
    kubelet.nodeCapacity(Map.of("nvidia.com/gpu", "4"));
    create(pod("a", Map.of("nvidia.com/gpu", "3"), Map.of()));
    await(() -> get("a"), NodeFitTest::running, "a running");
    create(pod("b", Map.of("nvidia.com/gpu", "2"), Map.of()));
    Pod b = await(() -> get("b"), p -> unschedulable(p) != null, "b unschedulable");
    assertEquals("Unschedulable", unschedulable(b).getReason());
    assertEquals(NO_GPUS, unschedulable(b).getMessage());
    assertNull(b.getSpec().getNodeName());
    assertEquals("Pending", b.getStatus().getPhase());

    client.pods().inNamespace("a").withName("a").delete(); // terminates gracefully, then frees its GPUs
    Pod scheduled = await(() -> get("b"), NodeFitTest::running, "b running once a is gone");
    assertEquals(SimulatedKubelet.NODE, scheduled.getSpec().getNodeName());
  }

  @Test
  void anEndedPodFreesItsResourcesAndEveryShortResourceIsNamed() {
    kubelet.nodeCapacity(Map.of("nvidia.com/gpu", "2", "cpu", "8"));
    create(pod("a", Map.of("nvidia.com/gpu", "2"), Map.of("cpu", "4")));
    await(() -> get("a"), NodeFitTest::running, "a running");
    create(pod("b", Map.of("nvidia.com/gpu", "1"), Map.of("cpu", "6")));
    Pod b = await(() -> get("b"), p -> unschedulable(p) != null, "b unschedulable");
    assertEquals("0/1 nodes are available: 1 Insufficient cpu, 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes "
        + "are available: 1 No preemption victims found for incoming pod.", unschedulable(b).getMessage());

    kubelet.oomKill("a", "a"); // Failed: it holds nothing any more, though it stays listed
    await(() -> get("b"), NodeFitTest::running, "b running once a has ended");
  }

  @Test
  void aNodeSelectorTheNodesLabelsDoNotMatchIsUnschedulable() {
    kubelet.nodeLabels(Map.of("pool", "gpu-a"));
    create(new PodBuilder(pod("elsewhere", Map.of(), Map.of())).editSpec().addToNodeSelector("pool", "gpu-b")
        .endSpec().build());
    create(new PodBuilder(pod("here", Map.of(), Map.of())).editSpec().addToNodeSelector("pool", "gpu-a")
        .addToNodeSelector("kubernetes.io/os", "linux").endSpec().build());
    Pod elsewhere = await(() -> get("elsewhere"), p -> unschedulable(p) != null, "elsewhere unschedulable");
    assertEquals("0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes "
        + "are available: 1 Preemption is not helpful for scheduling.", unschedulable(elsewhere).getMessage());
    await(() -> get("here"), NodeFitTest::running, "here running");
  }

  @Test
  void byDefaultEveryPodFitsAndNoSelectorIsChecked() {
    create(new PodBuilder(pod("big", Map.of("nvidia.com/gpu", "64"), Map.of("cpu", "512"))).editSpec()
        .addToNodeSelector("kubernetes.azure.com/scalesetpriority", "spot").endSpec().build());
    await(() -> get("big"), NodeFitTest::running, "big running");
  }

  /** A pod of the operator's (the kubelet runs only those) with these limits and requests. */
  private static Pod pod(String name, Map<String, String> limits, Map<String, String> requests) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName(name)
        .addToLabels(JobLabels.MANAGED_BY, JobLabels.OPERATOR).endMetadata()
        .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").withImage("busybox")
        .withNewResources().endResources().endContainer().endSpec();
    limits.forEach((k, v) -> pod.editSpec().editFirstContainer().editResources().addToLimits(k, new Quantity(v))
        .endResources().endContainer().endSpec());
    requests.forEach((k, v) -> pod.editSpec().editFirstContainer().editResources().addToRequests(k, new Quantity(v))
        .endResources().endContainer().endSpec());
    return pod.build();
  }

  private void create(Pod pod) {
    client.pods().inNamespace("a").resource(pod).create();
  }

  private Pod get(String name) {
    return client.pods().inNamespace("a").withName(name).get();
  }

  private static boolean running(Pod pod) {
    return pod.getStatus() != null && "Running".equals(pod.getStatus().getPhase());
  }

  private static PodCondition unschedulable(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getConditions() == null ? null : pod.getStatus().getConditions()
        .stream().filter(c -> "PodScheduled".equals(c.getType()) && "False".equals(c.getStatus())).findFirst()
        .orElse(null);
  }
}
