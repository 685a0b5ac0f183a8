package dev.chainer.operator.localcluster;

import dev.chainer.operator.testing.WithApiServer;
import static dev.chainer.operator.testing.OperatorHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.localcluster.admission.Admission;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pod the StatefulSet controller creates and the API server refuses shows only where a real cluster shows it: a
 * Warning Event FailedCreate on the StatefulSet, worded as the controller words it around the server's own message.
 * No pod appears, the set's status counts none, and the controller tries again with a back-off (the same Event's count
 * grows, slowly), so the pod appears once the cause is gone.
 */
class StatefulSetRefusalTest extends WithApiServer {

  @Test
  void aPodSecurityRefusalIsAFailedCreateEventOnTheSetAndNothingElse() throws InterruptedException {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("a")
        .addToLabels(Admission.ENFORCE, "restricted").endMetadata().build()).create();
    StatefulSet set = set("web", 1, "OrderedReady");

    Event event = await(() -> failedCreate("web"), e -> true, "a FailedCreate event");
    assertEquals("Warning", event.getType());
    assertEquals("StatefulSet", event.getInvolvedObject().getKind());
    assertEquals("apps/v1", event.getInvolvedObject().getApiVersion());
    assertEquals("a", event.getInvolvedObject().getNamespace());
    assertEquals("web", event.getInvolvedObject().getName());
    assertEquals(set.getMetadata().getUid(), event.getInvolvedObject().getUid());
    assertEquals("statefulset-controller", event.getSource().getComponent());
    assertTrue(event.getMessage().startsWith("create Pod web-0 in StatefulSet web failed error: pods \"web-0\" is "
        + "forbidden: violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false"),
        event.getMessage());

    Thread.sleep(1000);
    assertTrue(client.pods().inNamespace("a").list().getItems().isEmpty(), "no pod");
    var status = client.apps().statefulSets().inNamespace("a").withName("web").get().getStatus();
    assertTrue(status == null || status.getReplicas() == null || status.getReplicas() == 0, "no replica counted");
    assertTrue(status == null || status.getReadyReplicas() == null || status.getReadyReplicas() == 0);
    assertTrue(status == null || status.getConditions() == null || status.getConditions().isEmpty(),
        "the status says nothing of it");
    // retried with a back-off: the same Event counted again, not a new Event per attempt nor one per tick
    List<Event> events = failedCreates("web");
    assertEquals(1, events.size(), "one Event, counted");
    int count = events.get(0).getCount();
    assertTrue(count >= 2 && count <= 8, "retried, backing off: count " + count);
    assertEquals(event.getFirstTimestamp(), events.get(0).getFirstTimestamp());
  }

  @Test
  void aQuotaRefusalIsRetriedUntilTheQuotaAllowsThePod() {
    client.resourceQuotas().inNamespace("a").resource(new ResourceQuotaBuilder().withNewMetadata()
        .withName("pods").endMetadata().withNewSpec().addToHard("pods", new Quantity("1")).endSpec().build()).create();
    set("web", 2, "Parallel");

    Event event = await(() -> failedCreate("web"), e -> true, "a FailedCreate event");
    assertEquals("create Pod web-1 in StatefulSet web failed error: pods \"web-1\" is forbidden: exceeded quota: "
        + "pods, requested: pods=1, used: pods=1, limited: pods=1", event.getMessage());
    assertEquals(List.of("web-0"), client.pods().inNamespace("a").list().getItems().stream()
        .map(p -> p.getMetadata().getName()).toList());
    await(() -> client.apps().statefulSets().inNamespace("a").withName("web").get().getStatus(),
        s -> Integer.valueOf(1).equals(s.getReplicas()), "the set's status counts the pod that exists");

    client.resourceQuotas().inNamespace("a").withName("pods").edit(q -> {
      q.getSpec().getHard().put("pods", new Quantity("2"));
      return q;
    });
    await(() -> client.pods().inNamespace("a").withName("web-1").get(), p -> true, "web-1 created once allowed");
  }

  @Test
  void anInvalidPodIsAFailedCreateWithTheValidationMessage() {
    // A set name is a DNS subdomain (up to 253 characters); its pods' name label must be at most 63.
    String name = "w".repeat(62);
    set(name, 1, "OrderedReady");
    Event event = await(() -> failedCreate(name), e -> true, "a FailedCreate event");
    assertTrue(event.getMessage().startsWith("create Pod " + name + "-0 in StatefulSet " + name
        + " failed error: Pod \"" + name + "-0\" is invalid: "), event.getMessage());
    assertTrue(event.getMessage().contains("metadata.labels: Invalid value: \"" + name + "-0\""), event.getMessage());
    assertNull(client.pods().inNamespace("a").withName(name + "-0").get());
  }

  private StatefulSet set(String name, int replicas, String policy) {
    return client.apps().statefulSets().inNamespace("a").resource(new StatefulSetBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas).withServiceName("web").withPodManagementPolicy(policy)
        .withNewSelector().addToMatchLabels("set", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("set", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
  }

  /** The set's FailedCreate Events, selected as kubectl describe selects a StatefulSet's Events. */
  private List<Event> failedCreates(String set) {
    return client.v1().events().inNamespace("a").withField("involvedObject.kind", "StatefulSet")
        .withField("involvedObject.name", set).withField("reason", "FailedCreate").list().getItems();
  }

  private Event failedCreate(String set) {
    return failedCreates(set).stream().findFirst().orElse(null);
  }
}
