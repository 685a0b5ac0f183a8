package dev.chainer.operator.localcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Field selectors on a list of core/v1 Events, as the API server serves them (pkg/registry/core/event, its selectable
 * fields: metadata.name and .namespace, involvedObject.kind, .namespace, .name, .uid, .apiVersion, .resourceVersion and
 * .fieldPath, reason, reportingComponent, source, type), with {@code =}, {@code ==} and {@code !=}; any other field is
 * refused with 400 {@code field label not supported: <field>}. The mock store knows only metadata.name and would
 * answer {@code involvedObject.name=x} with an empty list, so a reader of a StatefulSet's FailedCreate Events (as
 * {@code kubectl describe} reads them) would see none. Watches with such selectors are not served.
 */
final class EventFieldSelectors {
  private static final Pattern LIST_OF_EVENTS = Pattern.compile("^/api/v1/(?:namespaces/[^/]+/)?events(\\?.*)?$");
  private static final Pattern SELECTOR = Pattern.compile("(?:^|&)fieldSelector=([^&]*)");
  /** Each selectable field and where it is in an Event. */
  private static final Map<String, String> FIELDS = Map.ofEntries(Map.entry("metadata.name", "/metadata/name"),
      Map.entry("metadata.namespace", "/metadata/namespace"), Map.entry("involvedObject.kind", "/involvedObject/kind"),
      Map.entry("involvedObject.namespace", "/involvedObject/namespace"),
      Map.entry("involvedObject.name", "/involvedObject/name"), Map.entry("involvedObject.uid", "/involvedObject/uid"),
      Map.entry("involvedObject.apiVersion", "/involvedObject/apiVersion"),
      Map.entry("involvedObject.resourceVersion", "/involvedObject/resourceVersion"),
      Map.entry("involvedObject.fieldPath", "/involvedObject/fieldPath"), Map.entry("reason", "/reason"),
      Map.entry("reportingComponent", "/reportingComponent"), Map.entry("source", "/source/component"),
      Map.entry("type", "/type"));

  private record Requirement(String field, boolean equal, String value) {}

  private EventFieldSelectors() {}

  /**
   * The answer to a list of Events with a field selector; empty for any other request.
   *
   * @param list answers a list request (the same path without its field selector)
   */
  static Optional<MockResponse> serve(String path, Function<String, MockResponse> list) {
    Matcher m = LIST_OF_EVENTS.matcher(path);
    if (!m.matches() || m.group(1) == null || path.contains("watch=true")) {
      return Optional.empty();
    }
    String query = m.group(1).substring(1);
    Matcher selector = SELECTOR.matcher(query);
    if (!selector.find()) {
      return Optional.empty();
    }
    List<Requirement> requirements = new ArrayList<>();
    for (String term : URLDecoder.decode(selector.group(1), StandardCharsets.UTF_8).split(",")) {
      if (term.isBlank()) {
        continue;
      }
      int not = term.indexOf("!=");
      int eq = term.indexOf('=');
      boolean equal = not < 0;
      String field = (equal ? term.substring(0, eq) : term.substring(0, not)).trim();
      String value = equal ? term.substring(eq + (term.startsWith("==", eq) ? 2 : 1)) : term.substring(not + 2);
      if (!FIELDS.containsKey(field)) {
        return Optional.of(new MockResponse().setResponseCode(400).setBody(Serialization.asJson(new StatusBuilder()
            .withStatus("Failure").withReason("BadRequest").withCode(400)
            .withMessage("field label not supported: " + field).build())));
      }
      requirements.add(new Requirement(field, equal, value.trim()));
    }
    String rest = selector.replaceFirst("").replaceFirst("^&", "");
    MockResponse all = list.apply(path.substring(0, path.indexOf('?')) + (rest.isEmpty() ? "" : "?" + rest));
    if (all.code() != 200) {
      return Optional.of(all);
    }
    JsonNode body = Serialization.unmarshal(all.getBody().readUtf8(), JsonNode.class);
    ArrayNode kept = Serialization.jsonMapper().createArrayNode();
    body.path("items").forEach(item -> {
      if (requirements.stream().allMatch(r -> r.equal() == r.value().equals(item.at(FIELDS.get(r.field()))
          .asText("")))) {
        kept.add(item);
      }
    });
    ((ObjectNode) body).set("items", kept);
    return Optional.of(new MockResponse().setResponseCode(200).setBody(Serialization.asJson(body)));
  }
}
