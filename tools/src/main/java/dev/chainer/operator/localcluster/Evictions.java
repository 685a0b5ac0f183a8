package dev.chainer.operator.localcluster;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.Headers;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Eviction API, the pods/eviction subresource (pkg/registry/core/pod/storage/eviction.go), which the mock does not
 * have: {@code POST .../pods/{name}/eviction} with an Eviction (policy/v1, or v1beta1 as older clients send) adds
 * {@code DisruptionTarget=True} (EvictionByEvictionAPI, "Eviction API: evicting") to the pod, then deletes it with the
 * Eviction's deleteOptions (so gracefully: the kubelet stops it), and answers 201 with a Success Status. A pod that
 * has ended is deleted the same way. PodDisruptionBudgets are not consulted (no disruption controller computes their
 * status here), so no eviction is ever refused with 429.
 */
final class Evictions {
  private static final Pattern PATH = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/eviction(\\?.*)?$");
  private final IndexedCrudDispatcher store;
  private final Deletion deletion;
  private volatile boolean conditions = true;

  Evictions(IndexedCrudDispatcher store, Deletion deletion) {
    this.store = store;
    this.deletion = deletion;
  }

  /** false: a server before 1.26 (PodDisruptionConditions off): an eviction only deletes. */
  void conditions(boolean on) {
    this.conditions = on;
  }

  /** The answer to an eviction request; empty for any other request. */
  Optional<MockResponse> serve(RecordedRequest request) {
    Matcher path = PATH.matcher(request.getPath());
    if (!"POST".equals(request.getMethod()) || !path.matches()) {
      return Optional.empty();
    }
    String namespace = path.group(1);
    String name = path.group(2);
    JsonNode eviction = body(request);
    String named = eviction.path("metadata").path("name").asText(name);
    if (!named.equals(name)) {
      return Optional.of(status(400, "BadRequest", "name in URL does not match name in Eviction object"));
    }
    String podPath = "/api/v1/namespaces/" + namespace + "/pods/" + name;
    var stored = store.findResource(store.getKey(podPath));
    if (stored == null) {
      return Optional.of(status(404, "NotFound", "pods \"" + name + "\" not found"));
    }
    if (conditions) {
      markDisruptionTarget(podPath, stored);
    }
    byte[] options = eviction.path("deleteOptions").toString().getBytes(StandardCharsets.UTF_8);
    MockResponse deleted = deletion.delete(new RecordedRequest("HTTP/1.1", HttpMethod.DELETE, podPath,
        Headers.builder().add("Content-Type", "application/json").build(), new Buffer(options)));
    if (deleted.code() >= 300) {
      return Optional.of(deleted); // a precondition that failed (409): the pod is left as it is
    }
    return Optional.of(status(201, null, null));
  }

  /** addConditionAndDeletePod: the condition goes on the stored pod before the deletion. */
  private void markDisruptionTarget(String podPath, Map.Entry<?, String> stored) {
    Pod pod = Serialization.unmarshal(stored.getValue(), Pod.class);
    PodStatus status = DisruptionTarget.with(pod.getStatus() == null ? new PodStatus() : pod.getStatus(),
        DisruptionTarget.condition(DisruptionTarget.EVICTION_BY_EVICTION_API, DisruptionTarget.EVICTION_API_MESSAGE));
    deletion.patch(podPath, Deletion.replace("/status", Serialization.jsonMapper().valueToTree(status)));
  }

  static JsonNode body(RecordedRequest request) {
    try {
      String text = request.getBody() == null ? "" : new String(request.getBody().getBytes(), StandardCharsets.UTF_8);
      return text.isBlank() ? Serialization.jsonMapper().createObjectNode() : Serialization.jsonMapper().readTree(text);
    } catch (java.io.IOException e) {
      return Serialization.jsonMapper().createObjectNode();
    }
  }

  static MockResponse status(int code, String reason, String message) {
    return new MockResponse().setResponseCode(code).setBody(Serialization.asJson(new StatusBuilder()
        .withStatus(code < 300 ? "Success" : "Failure").withCode(code).withReason(reason).withMessage(message)
        .build()));
  }
}
