package dev.chainer.operator.localcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The pods/binding subresource (Kubernetes' BindingREST in pkg/registry/core/pod/storage), which the mock does not
 * have and through which a scheduler places a pod: {@code POST .../pods/{name}/binding} with a v1 Binding sets the
 * pod's {@code spec.nodeName} to the Binding's target, merges the Binding's annotations into the pod's and sets
 * PodScheduled True, then answers 201 with a Success Status. It is the only way to set {@code spec.nodeName} after
 * creation: an update or patch of the pod that changes it is refused ({@link PodUpdates}). As on a real server:
 * <ul>
 *   <li>a Binding named otherwise than the URL: 400;
 *   <li>a target that is not a Node, or has no name (ValidatePodBinding): refused, as the real server does, with an
 *       error that is not an API status, so a 500;
 *   <li>a pod that does not exist: 404;
 *   <li>a pod already bound (to any node, the same one too) or being deleted: 409 Conflict on pods/binding, since
 *       the real server only binds a pod whose nodeName is still empty and that has no deletionTimestamp.
 * </ul>
 */
final class Bindings {
  private static final Pattern PATH = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/binding/?(\\?.*)?$");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private final IndexedCrudDispatcher store;
  private final Deletion deletion;

  Bindings(IndexedCrudDispatcher store, Deletion deletion) {
    this.store = store;
    this.deletion = deletion;
  }

  /** The answer to a binding request; empty for any other request. */
  Optional<MockResponse> serve(RecordedRequest request) {
    Matcher path = PATH.matcher(request.getPath());
    if (!"POST".equals(request.getMethod()) || !path.matches()) {
      return Optional.empty();
    }
    return Optional.of(bind(path.group(1), path.group(2), Evictions.body(request)));
  }

  private MockResponse bind(String namespace, String name, JsonNode binding) {
    if (!binding.path("metadata").path("name").asText(name).equals(name)) {
      return Evictions.status(400, "BadRequest", "name in URL does not match name in Binding object");
    }
    String kind = binding.path("target").path("kind").asText("");
    String node = binding.path("target").path("name").asText("");
    if (node.isEmpty() || !(kind.isEmpty() || kind.equals("Node"))) {
      return Evictions.status(500, null, node.isEmpty() ? "target.name: Required value"
          : "target.kind: Invalid value: \"" + kind + "\": must be empty or 'Node'");
    }
    String podPath = "/api/v1/namespaces/" + namespace + "/pods/" + name;
    var stored = store.findResource(store.getKey(podPath));
    if (stored == null) {
      return Evictions.status(404, "NotFound", "pods \"" + name + "\" not found");
    }
    JsonNode pod = Serialization.unmarshal(stored.getValue(), JsonNode.class);
    if (pod.path("metadata").hasNonNull("deletionTimestamp")) {
      return conflict(name, "pod " + name + " is being deleted, cannot be assigned to a host");
    }
    String bound = pod.path("spec").path("nodeName").asText("");
    if (!bound.isEmpty()) {
      return conflict(name, "pod " + name + " is already assigned to node \"" + bound + "\"");
    }
    store.bindingNodeName(() -> deletion.patch(podPath, assignment(pod, node, binding.path("metadata")
        .path("annotations"))));
    return Evictions.status(201, null, null);
  }

  /** nodeName, the Binding's annotations over the pod's, and PodScheduled True (its time set when it changes). */
  private static ArrayNode assignment(JsonNode pod, String node, JsonNode annotations) {
    ArrayNode patch = Deletion.replace("/spec/nodeName", JSON.textNode(node));
    if (annotations.isObject() && annotations.size() > 0) {
      ObjectNode merged = pod.path("metadata").path("annotations").isObject()
          ? ((ObjectNode) pod.path("metadata").path("annotations")).deepCopy() : JSON.objectNode();
      merged.setAll((ObjectNode) annotations);
      patch.addAll(Deletion.replace("/metadata/annotations", merged));
    }
    ObjectNode status = pod.path("status").isObject() ? ((ObjectNode) pod.path("status")).deepCopy() : JSON.objectNode();
    if (status.path("phase").asText("").isEmpty()) {
      // A real server gives every pod phase Pending when it is created (the pod strategy's PrepareForCreate), so no
      // bound pod is ever without a phase; this store does not default it at creation, so the binding does.
      status.put("phase", "Pending");
    }
    ArrayNode conditions = JSON.arrayNode();
    boolean found = false;
    for (JsonNode c : status.path("conditions")) {
      if ("PodScheduled".equals(c.path("type").asText())) {
        found = true;
        ObjectNode scheduled = ((ObjectNode) c).deepCopy();
        if (!"True".equals(c.path("status").asText())) {
          scheduled.put("lastTransitionTime", DisruptionTarget.now());
          scheduled.remove(java.util.List.of("reason", "message"));
        }
        conditions.add(scheduled.put("status", "True"));
      } else {
        conditions.add(c);
      }
    }
    if (!found) {
      conditions.addObject().put("type", "PodScheduled").put("status", "True")
          .put("lastTransitionTime", DisruptionTarget.now());
    }
    status.set("conditions", conditions);
    patch.addAll(Deletion.replace("/status", status));
    return patch;
  }

  private static MockResponse conflict(String name, String why) {
    return Evictions.status(409, "Conflict", "Operation cannot be fulfilled on pods/binding \"" + name + "\": " + why);
  }
}
