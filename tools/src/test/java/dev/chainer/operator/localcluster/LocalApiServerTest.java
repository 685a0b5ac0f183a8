package dev.chainer.operator.localcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-process API server answers reads from an index: the answers must be the ones Fabric8's CRUD mock
 * gives (same kind, namespace, name, labels), after creates, updates and deletes.
 */
class LocalApiServerTest {
  private LocalApiServer api;
  private KubernetesClient client;

  @BeforeEach
  void start() {
    api = LocalApiServer.start();
    client = api.client();
    for (String ns : List.of("a", "b")) {
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build())
          .create();
      for (String name : List.of("one", "two")) {
        client.configMaps().inNamespace(ns).resource(configMap(name, name.equals("one") ? "x" : "y")).create();
      }
    }
  }

  @AfterEach
  void stop() {
    api.close();
  }

  private static ConfigMap configMap(String name, String tier) {
    return new ConfigMapBuilder().withNewMetadata().withName(name).withLabels(Map.of("tier", tier)).endMetadata()
        .withData(Map.of("k", name)).build();
  }

  private List<String> names(List<ConfigMap> items) {
    return items.stream().map(c -> c.getMetadata().getNamespace() + "/" + c.getMetadata().getName()).sorted().toList();
  }

  @Test
  void getsListsAndSelectsByNamespaceNameAndLabel() {
    assertEquals("two", client.configMaps().inNamespace("b").withName("two").get().getData().get("k"));
    assertNull(client.configMaps().inNamespace("b").withName("three").get());
    assertEquals(List.of("a/one", "a/two"), names(client.configMaps().inNamespace("a").list().getItems()));
    assertEquals(List.of("a/one", "a/two", "b/one", "b/two"),
        names(client.configMaps().inAnyNamespace().list().getItems()));
    assertEquals(List.of("a/one", "b/one"),
        names(client.configMaps().inAnyNamespace().withLabel("tier", "x").list().getItems()));
    assertEquals(List.of("b/two"), names(client.configMaps().inNamespace("b").withLabel("tier", "y").list().getItems()));
    assertEquals(List.of("a/two", "b/two"),
        names(client.configMaps().inAnyNamespace().withoutLabel("tier", "x").list().getItems()));
    assertEquals(2, client.namespaces().list().getItems().size());
    assertEquals("a", client.namespaces().withName("a").get().getMetadata().getName());
  }

  /**
   * An informer lists, then watches from the list's resourceVersion: a deletion in between must reach it, as the API
   * server's watch replays it, or the informer keeps the deleted object for ever.
   */
  @Test
  void aWatchFromAResourceVersionHearsOfDeletionsSinceThen() throws Exception {
    String listed = client.configMaps().inNamespace("a").list().getMetadata().getResourceVersion();
    client.configMaps().inNamespace("a").withName("one").delete();
    java.util.concurrent.BlockingQueue<String> events = new java.util.concurrent.LinkedBlockingQueue<>();
    try (var watch = client.configMaps().inNamespace("a").withResourceVersion(listed).watch(
        new io.fabric8.kubernetes.client.Watcher<ConfigMap>() {
          @Override
          public void eventReceived(Action action, ConfigMap resource) {
            events.add(action + " " + resource.getMetadata().getName());
          }

          @Override
          public void onClose(io.fabric8.kubernetes.client.WatcherException cause) { }
        })) {
      String event;
      do {
        event = events.poll(5, java.util.concurrent.TimeUnit.SECONDS);
      } while (event != null && !event.equals("DELETED one"));
      assertEquals("DELETED one", event);
    }
  }

  @Test
  void aDeleteCollectionRemovesWhatItsLabelSelectorSelectsAndNothingElse() {
    client.configMaps().inNamespace("a").withLabel("tier", "y").delete();
    assertEquals(List.of("a/one", "b/one", "b/two"), names(client.configMaps().inAnyNamespace().list().getItems()));
    client.configMaps().inNamespace("b").delete();
    assertEquals(List.of("a/one"), names(client.configMaps().inAnyNamespace().list().getItems()));
  }

  @Test
  void readsFollowUpdatesAndDeletes() {
    ConfigMap one = client.configMaps().inNamespace("a").withName("one").get();
    one.getMetadata().setLabels(Map.of("tier", "y"));
    client.configMaps().inNamespace("a").resource(one).update();
    assertEquals(List.of("a/one", "a/two"), names(client.configMaps().inNamespace("a").withLabel("tier", "y").list()
        .getItems()));
    client.configMaps().inNamespace("a").withName("two").delete();
    assertNull(client.configMaps().inNamespace("a").withName("two").get());
    assertEquals(List.of("a/one"), names(client.configMaps().inNamespace("a").list().getItems()));
    KubernetesClientException conflict = assertThrows(KubernetesClientException.class,
        () -> client.configMaps().inNamespace("a").resource(configMap("one", "x")).create());
    assertEquals(409, conflict.getCode());
    client.configMaps().inNamespace("a").resource(configMap("two", "x")).create();
    assertEquals("x", client.configMaps().inNamespace("a").withName("two").get().getMetadata().getLabels()
        .get("tier"));
  }

  @Test
  void aPodLogIsItsTailAsAKubeletServesIt() {
    api.appendLog("a", "p", "line 1\nline 2\n");
    api.appendLog("a", "p", "line 3\n");
    String path = "/api/v1/namespaces/a/pods/p/log?container=c";
    assertEquals("line 1\nline 2\nline 3\n", client.raw(path));
    assertEquals("line 2\nline 3\n", client.raw(path + "&tailLines=2"));
    assertEquals("line 2\nli", client.raw(path + "&tailLines=2&limitBytes=9"));
    assertEquals("", client.raw("/api/v1/namespaces/a/pods/silent/log?container=c"), "printed nothing");
  }
}
