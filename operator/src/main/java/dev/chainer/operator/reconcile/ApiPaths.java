package dev.chainer.operator.reconcile;

import dev.chainer.operator.status.ObjectRef;
import dev.chainer.operator.validation.ObjectRules;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The REST path of one namespaced object of the kinds a job owns. Every segment is checked and escaped: a namespace
 * or name that is not a Kubernetes name (a '/', '..', a '%') must never become more or other segments of the path
 * (the API server decodes the path before it splits it, so escaping alone would not keep {@code ../x} in its
 * segment).
 */
final class ApiPaths {
  private ApiPaths() {}

  /** e.g. /api/v1/namespaces/ns/pods/p, /apis/scheduling.volcano.sh/v1beta1/namespaces/ns/podgroups/g. */
  static String of(ObjectRef object, String namespace) {
    String apiVersion = object.apiVersion() == null ? "v1" : object.apiVersion();
    String root = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    // Every kind a job owns has the regular plural: pods, statefulsets, podgroups, workloads...
    return root + "/namespaces/" + name(namespace) + "/" + object.kind().toLowerCase(Locale.ROOT) + "s/"
        + name(object.name());
  }

  /** An object's name (or a namespace's) as one path segment; refused when Kubernetes would never have named one so. */
  static String name(String name) {
    if (!ObjectRules.isDnsSubdomain(name)) {
      throw new IllegalArgumentException("not a Kubernetes object name, kept out of a request path: " + name);
    }
    return escape(name);
  }

  /** Percent-encodes all but RFC 3986's unreserved characters (a valid name has no others: a no-op, kept as a guard). */
  private static String escape(String segment) {
    StringBuilder out = new StringBuilder();
    for (byte b : segment.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (Character.isLetterOrDigit(c) && c < 0x80 || c == '-' || c == '.' || c == '_' || c == '~') {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }
}
