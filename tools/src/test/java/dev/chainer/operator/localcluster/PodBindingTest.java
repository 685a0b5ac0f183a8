package dev.chainer.operator.localcluster;

import static dev.chainer.operator.testing.OperatorHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.spec.JobLabels;
import dev.chainer.operator.testing.WithApiServer;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A pod is placed on a node only through its pods/binding subresource, as on a real API server: the binding sets
 * spec.nodeName once (PodScheduled True); a second binding, or one of a pod being deleted, is a 409; an update or
 * patch that changes spec.nodeName is a 422. The simulated kubelet binds through it, runs only the pods of its own
 * node, and ends a deleted pod as a kubelet does (143, then a deletion with grace period 0).
 */
class PodBindingTest extends WithApiServer {
  @Test
  void aBindingPlacesAnUnboundPodOnceAndASecondIsAConflict() {
    create(pod("p"));
    bind("p", "node-a");
    Pod bound = get("p");
    assertEquals("node-a", bound.getSpec().getNodeName());
    assertEquals("True", condition(bound, "PodScheduled").getStatus());
    assertEquals("Pending", bound.getStatus().getPhase(), "bound, not started: still Pending, never without a phase");
    assertEquals("yes", bound.getMetadata().getAnnotations().get("bound-by-test"), "the Binding's annotations merged");

    KubernetesClientException again = assertThrows(KubernetesClientException.class, () -> bind("p", "node-a"));
    assertEquals(409, again.getCode());
    assertEquals("Operation cannot be fulfilled on pods/binding \"p\": pod p is already assigned to node \"node-a\"",
        again.getStatus().getMessage());
    assertEquals(409, assertThrows(KubernetesClientException.class, () -> bind("p", "node-b")).getCode());
    assertEquals("node-a", get("p").getSpec().getNodeName());
  }

  @Test
  void aBindingOfAMissingPodOrUnderAnotherNameIsRefused() {
    assertEquals(404, assertThrows(KubernetesClientException.class, () -> bind("nobody", "node-a")).getCode());
    create(pod("p"));
    KubernetesClientException renamed = assertThrows(KubernetesClientException.class,
        () -> client.raw(bindingUrl("p"), "POST", binding("q", "node-a")));
    assertEquals(400, renamed.getCode());
    assertNull(get("p").getSpec().getNodeName());
  }

  @Test
  void aPodBeingDeletedCannotBeBound() {
    create(new PodBuilder(pod("p")).editMetadata().addToFinalizers("example.com/hold").endMetadata().build());
    client.pods().inNamespace("a").withName("p").delete();
    KubernetesClientException refused = assertThrows(KubernetesClientException.class, () -> bind("p", "node-a"));
    assertEquals(409, refused.getCode());
    assertTrue(refused.getStatus().getMessage().endsWith("pod p is being deleted, cannot be assigned to a host"),
        refused.getStatus().getMessage());
  }

  @Test
  void anUpdateOrPatchThatChangesNodeNameIsRefusedAndOtherChangesPass() {
    create(pod("unbound"));
    KubernetesClientException set = assertThrows(KubernetesClientException.class, () -> client.pods().inNamespace("a")
        .withName("unbound").edit(p -> new PodBuilder(p).editSpec().withNodeName("node-a").endSpec().build()));
    assertEquals(422, set.getCode(), "a scheduler binds; it does not update the pod");
    assertEquals("spec", set.getStatus().getDetails().getCauses().get(0).getField());
    assertTrue(set.getStatus().getMessage().startsWith("Pod \"unbound\" is invalid: spec: Forbidden: pod updates may "
        + "not change fields other than"), set.getStatus().getMessage());

    create(pod("bound"));
    bind("bound", "node-a");
    KubernetesClientException moved = assertThrows(KubernetesClientException.class, () -> client.pods().inNamespace("a")
        .withName("bound").patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"nodeName\":\"node-b\"}}"));
    assertEquals(422, moved.getCode());
    assertEquals("node-a", get("bound").getSpec().getNodeName());

    client.pods().inNamespace("a").withName("bound").edit(p -> new PodBuilder(p).editMetadata()
        .addToLabels("touched", "yes").endMetadata().build());
    assertEquals("yes", get("bound").getMetadata().getLabels().get("touched"), "an update keeping nodeName passes");
  }

  @Test
  void theKubeletBindsThroughTheSubresourceAndEndsADeletedPodWith143ThenRemovesIt() {
    try (SimulatedKubelet kubelet = new SimulatedKubelet(client).terminationDelay(java.time.Duration.ofSeconds(1))
        .start()) {
      create(pod("mine"));
      Pod running = await(() -> get("mine"), p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()),
          "running");
      assertEquals(SimulatedKubelet.NODE, running.getSpec().getNodeName());

      java.util.List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
      try (var watch = client.pods().inNamespace("a").withName("mine").watch(new io.fabric8.kubernetes.client.Watcher<>() {
        @Override
        public void eventReceived(Action action, Pod pod) {
          var state = pod.getStatus().getContainerStatuses().get(0).getState();
          seen.add(action + (pod.getMetadata().getDeletionTimestamp() == null ? "" : " marked")
              + (state.getTerminated() == null ? "" : " exit " + state.getTerminated().getExitCode()));
        }

        @Override
        public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
        }
      })) {
        client.pods().inNamespace("a").withName("mine").delete();
        await(() -> seen, events -> events.stream().anyMatch(e -> e.startsWith("DELETED")), "removed by the kubelet");
      }
      assertTrue(seen.indexOf("MODIFIED marked exit 143") >= 0 && seen.indexOf("MODIFIED marked exit 143")
          < seen.size() - 1, "marked, then its container ended with 143, then the pod went: " + seen);
    }
  }

  @Test
  void theKubeletLeavesAPodOfAnotherNodeAlone() throws Exception {
    create(pod("theirs"));
    bind("theirs", "node-b");
    try (SimulatedKubelet kubelet = new SimulatedKubelet(client).start()) {
      create(pod("mine"));
      await(() -> get("mine"), p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()), "running");
      Thread.sleep(300);
      Pod theirs = get("theirs");
      assertEquals("node-b", theirs.getSpec().getNodeName());
      assertTrue(theirs.getStatus() == null || theirs.getStatus().getPhase() == null
          || "Pending".equals(theirs.getStatus().getPhase()), "not run here: " + theirs.getStatus());
    }
  }

  private static Pod pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).addToLabels(JobLabels.MANAGED_BY, JobLabels.OPERATOR)
        .endMetadata().withSpec(new PodSpecBuilder().withRestartPolicy("Never").addNewContainer().withName("c")
            .withImage("busybox").endContainer().build()).build();
  }

  private void create(Pod pod) {
    client.pods().inNamespace("a").resource(pod).create();
  }

  private Pod get(String name) {
    return client.pods().inNamespace("a").withName(name).get();
  }

  private void bind(String pod, String node) {
    client.raw(bindingUrl(pod), "POST", binding(pod, node));
  }

  private String bindingUrl(String pod) {
    return client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/a/pods/" + pod + "/binding";
  }

  private static io.fabric8.kubernetes.api.model.Binding binding(String name, String node) {
    return new io.fabric8.kubernetes.api.model.BindingBuilder().withNewMetadata().withName(name)
        .withAnnotations(Map.of("bound-by-test", "yes")).endMetadata()
        .withNewTarget().withKind("Node").withName(node).endTarget().build();
  }

  private static PodCondition condition(Pod pod, String type) {
    return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }
}
