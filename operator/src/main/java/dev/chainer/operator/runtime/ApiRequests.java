package dev.chainer.operator.runtime;

import io.fabric8.kubernetes.client.http.BasicBuilder;
import io.fabric8.kubernetes.client.http.HttpRequest;
import io.fabric8.kubernetes.client.http.Interceptor;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts the operator's own Kubernetes API requests by verb and resource, as RBAC names them
 * ("create pods", "watch apps/statefulsets", "update chainer.dev/chainerjobs/status"). Installed as an
 * HTTP interceptor on the operator's client; served on /metrics and read by the benchmark.
 */
public final class ApiRequests implements Interceptor {
  public static final String NAME = "chainer-operator-api-requests";
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();

  @Override
  public void before(BasicBuilder builder, HttpRequest request, RequestTags tags) {
    String query = request.uri().getRawQuery();
    describe(request.method(), request.uri().getRawPath() + (query == null ? "" : "?" + query))
        .ifPresent(key -> counts.computeIfAbsent(key, k -> new AtomicLong()).incrementAndGet());
  }

  /** A snapshot: "verb group/resource" to count. */
  public Map<String, Long> snapshot() {
    Map<String, Long> out = new TreeMap<>();
    counts.forEach((k, v) -> out.put(k, v.get()));
    return out;
  }

  public String prometheus() {
    StringBuilder out = new StringBuilder("# HELP chainer_operator_api_requests_total Kubernetes API requests "
        + "made by the operator.\n# TYPE chainer_operator_api_requests_total counter\n");
    snapshot().forEach((key, count) -> {
      String[] parts = key.split(" ", 2);
      out.append("chainer_operator_api_requests_total{verb=\"").append(parts[0]).append("\",resource=\"")
          .append(parts[1]).append("\"} ").append(count).append('\n');
    });
    return out.toString();
  }

  /**
   * "verb group/resource[/subresource]" of an API request path, with the verb RBAC would check
   * (get, list, watch, create, update, patch, delete, deletecollection); empty for non-resource paths.
   */
  public static Optional<String> describe(String method, String pathAndQuery) {
    String path = pathAndQuery.split("\\?")[0];
    boolean watch = pathAndQuery.contains("watch=true");
    String[] p = path.substring(1).split("/");
    int i;
    String group;
    if (p.length > 2 && p[0].equals("api")) {
      group = "";
      i = 2;
    } else if (p.length > 3 && p[0].equals("apis")) {
      group = p[1];
      i = 3;
    } else {
      return Optional.empty();
    }
    if (p.length > i + 1 && p[i].equals("namespaces")) {
      i += 2;
    }
    if (i >= p.length) {
      return Optional.empty();
    }
    String resource = p[i];
    boolean named = p.length > i + 1;
    if (p.length > i + 2) {
      resource += "/" + p[i + 2];
    }
    String verb = switch (method) {
      case "GET" -> watch ? "watch" : named ? "get" : "list";
      case "POST" -> "create";
      case "PUT" -> "update";
      case "PATCH" -> "patch";
      case "DELETE" -> named ? "delete" : "deletecollection";
      default -> method.toLowerCase(java.util.Locale.ROOT);
    };
    return Optional.of(verb + " " + (group.isEmpty() ? "" : group + "/") + resource);
  }

  /** Whether a described request changes something. */
  public static boolean isWrite(String description) {
    String verb = description.split(" ", 2)[0];
    return !verb.equals("get") && !verb.equals("list") && !verb.equals("watch");
  }
}
