package dev.chainer.operator.localcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Events are listed by the fields the API server lets one select them by (involvedObject.*, reason, type, source,
 * ...), as kubectl describe and an operator reading a StatefulSet's FailedCreate Events list them; a field the server
 * does not support is a 400.
 */
class EventFieldSelectorTest {
  private LocalApiServer api;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    api = LocalApiServer.start();
    client = api.client();
    event("e1", "StatefulSet", "web", "FailedCreate", "Warning");
    event("e2", "Pod", "web-0", "Scheduled", "Normal");
    event("e3", "StatefulSet", "db", "FailedCreate", "Warning");
  }

  @AfterEach
  void stop() {
    api.close();
  }

  @Test
  void eventsAreSelectedByTheirInvolvedObjectReasonAndType() {
    assertEquals(List.of("e1"), names(client.v1().events().inNamespace("a").withField("involvedObject.name", "web")
        .withField("involvedObject.kind", "StatefulSet").list().getItems()));
    assertEquals(List.of("e1", "e3"), names(client.v1().events().inNamespace("a").withField("reason", "FailedCreate")
        .list().getItems()));
    assertEquals(List.of("e2"), names(client.v1().events().inNamespace("a").withoutField("type", "Warning").list()
        .getItems()));
    assertEquals(List.of("e3"), names(client.v1().events().inAnyNamespace().withField("involvedObject.name", "db")
        .list().getItems()));
  }

  @Test
  void aFieldTheServerDoesNotSelectByIsABadRequest() {
    KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> client.v1().events()
        .inNamespace("a").withField("message", "x").list());
    assertEquals(400, e.getCode());
    assertEquals("field label not supported: message", e.getStatus().getMessage());
  }

  private void event(String name, String kind, String object, String reason, String type) {
    client.v1().events().inNamespace("a").resource(new EventBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewInvolvedObject().withKind(kind).withName(object).withNamespace("a").endInvolvedObject()
        .withReason(reason).withType(type).withMessage("m").build()).create();
  }

  private static List<String> names(List<Event> events) {
    return events.stream().map(e -> e.getMetadata().getName()).sorted().toList();
  }
}
