package dev.chainer.operator.localcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;

/**
 * A DELETE as the API server carries it out, with its DeleteOptions:
 * <ul>
 *   <li>a pod bound to a node is not removed at once: it is marked (deletionTimestamp, deletionGracePeriodSeconds)
 *       and stays listed until the kubelet has stopped its containers ({@link SimulatedKubelet}); a grace period of
 *       0 (a forced deletion, or the kubelet's own last step) removes it;
 *   <li>{@code propagationPolicy: Foreground} and {@code Orphan} keep the owner, marked, with the finalizer
 *       Kubernetes uses for each, until the {@link GarbageCollector} has deleted or released its dependents;
 *       {@code Background} (the default) removes the owner and leaves its dependents to the collector.
 * </ul>
 * The store keeps a marked object as long as it has finalizers, so the terminating pod carries one of the
 * kubelet's own ({@link #KUBELET_FINALIZER}) where a real API server needs none: that is the only difference.
 */
final class Deletion {
  static final String KUBELET_FINALIZER = "chainer.dev/simulated-kubelet-termination";
  static final String FOREGROUND = "foregroundDeletion";
  static final String ORPHAN = "orphan";
  private static final long DEFAULT_GRACE_SECONDS = 30;

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private final IndexedCrudDispatcher store;

  Deletion(IndexedCrudDispatcher store) {
    this.store = store;
  }

  MockResponse delete(RecordedRequest request) {
    String path = request.getPath().split("\\?")[0];
    var key = store.getKey(path);
    if (!key.containsKey(io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor.NAME)) {
      return deleteCollection(request, path);
    }
    var stored = store.findResource(key);
    if (stored == null) {
      return store.handleDelete(path); // nothing: the store's own answer
    }
    JsonNode object;
    try {
      object = store.asNode(stored);
    } catch (KubernetesCrudDispatcherException e) {
      return new MockResponse().setResponseCode(e.getCode()).setBody(e.toStatusBody());
    }
    JsonNode options = options(request);
    MockResponse refused = preconditionFailed(options.path("preconditions"), object);
    if (refused != null) {
      return refused;
    }
    Long grace = options.hasNonNull("gracePeriodSeconds") ? options.get("gracePeriodSeconds").asLong() : null;
    String propagation = options.path("propagationPolicy").asText("Background");
    boolean marked = object.path("metadata").hasNonNull("deletionTimestamp");
    boolean boundPod = "Pod".equals(object.path("kind").asText()) && object.path("spec").hasNonNull("nodeName");
    if (boundPod && (grace == null || grace > 0)) {
      if (!marked) {
        long seconds = grace != null ? grace
            : object.path("spec").path("terminationGracePeriodSeconds").asLong(DEFAULT_GRACE_SECONDS);
        addFinalizer(path, object, KUBELET_FINALIZER, seconds);
        return store.handleDelete(path);
      }
      return new MockResponse().setResponseCode(200).setBody(stored.getValue());
    }
    if (boundPod && marked) { // grace 0: the kubelet is done, or a forced deletion
      removeFinalizer(path, object, KUBELET_FINALIZER);
      return new MockResponse().setResponseCode(200).setBody(stored.getValue());
    }
    if (!marked && (propagation.equals("Foreground") || propagation.equals("Orphan"))) {
      addFinalizer(path, object, propagation.equals("Foreground") ? FOREGROUND : ORPHAN, null);
    }
    return store.handleDelete(path);
  }

  /**
   * A deletecollection: each object the request's label selector selects is deleted as if named, with the same
   * DeleteOptions (so a bound pod terminates gracefully), and the answer lists them as they were.
   */
  private MockResponse deleteCollection(RecordedRequest request, String path) {
    MockResponse listed = store.handleGet(request.getPath());
    JsonNode list;
    try {
      list = store.asNode(listed.getBody() == null ? "{}" : listed.getBody().readUtf8());
    } catch (KubernetesCrudDispatcherException e) {
      return new MockResponse().setResponseCode(e.getCode()).setBody(e.toStatusBody());
    }
    for (JsonNode item : list.path("items")) {
      String named = path + "/" + item.path("metadata").path("name").asText();
      delete(new RecordedRequest(request.getHttpVersion(), HttpMethod.DELETE, named, request.getHeaders(),
          request.getBody() == null ? new Buffer() : new Buffer(request.getBody().getBytes())));
    }
    return new MockResponse().setResponseCode(200).setBody(list.toString());
  }

  /**
   * The API server deletes only the object the client meant: a uid or resourceVersion in the request's
   * preconditions that the stored object no longer has is a 409 Conflict.
   */
  private static MockResponse preconditionFailed(JsonNode preconditions, JsonNode object) {
    for (String field : new String[] {"uid", "resourceVersion"}) {
      String wanted = preconditions.path(field).asText(null);
      String actual = object.path("metadata").path(field).asText(null);
      if (wanted != null && !wanted.equals(actual)) {
        String message = "Precondition failed: " + field + " in precondition: " + wanted + ", " + field
            + " in object meta: " + actual;
        return new MockResponse().setResponseCode(409).setBody(Serialization.asJson(new StatusBuilder()
            .withStatus("Failure").withReason("Conflict").withCode(409).withMessage(message).build()));
      }
    }
    return null;
  }

  private static JsonNode options(RecordedRequest request) {
    String body = request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
    try {
      return body.isBlank() ? Serialization.jsonMapper().createObjectNode() : Serialization.jsonMapper().readTree(body);
    } catch (java.io.IOException e) {
      return Serialization.jsonMapper().createObjectNode();
    }
  }

  /** Adds a finalizer and, for a pod, the grace period it is given (null: none). */
  private void addFinalizer(String path, JsonNode object, String finalizer, Long gracePeriod) {
    ArrayNode finalizers = finalizers(object);
    finalizers.add(finalizer);
    ArrayNode patch = replace("/metadata/finalizers", finalizers);
    if (gracePeriod != null) {
      patch.addAll(replace("/metadata/deletionGracePeriodSeconds", JSON.numberNode(gracePeriod)));
    }
    patch(path, patch);
  }

  private void removeFinalizer(String path, JsonNode object, String finalizer) {
    ArrayNode left = JSON.arrayNode();
    finalizers(object).forEach(f -> {
      if (!f.asText().equals(finalizer)) {
        left.add(f);
      }
    });
    patch(path, replace("/metadata/finalizers", left));
  }

  private static ArrayNode finalizers(JsonNode object) {
    ArrayNode out = JSON.arrayNode();
    object.path("metadata").path("finalizers").forEach(out::add);
    return out;
  }

  static ArrayNode replace(String pointer, JsonNode value) {
    ArrayNode ops = JSON.arrayNode();
    ops.addObject().put("op", "add").put("path", pointer).set("value", value); // add replaces an existing member
    return ops;
  }

  /**
   * Through the store's own PATCH handling, under its lock (a JSON patch: the store's merge patches cannot shorten
   * a list); a marked object left without finalizers goes.
   */
  void patch(String path, ArrayNode jsonPatch) {
    Headers headers = Headers.builder().add("Content-Type", "application/json-patch+json").build();
    store.handlePatch(new RecordedRequest("HTTP/1.1", HttpMethod.PATCH, path, headers,
        new Buffer(jsonPatch.toString().getBytes(StandardCharsets.UTF_8))));
  }
}
