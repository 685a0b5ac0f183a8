package dev.chainer.operator.reconcile;

import dev.chainer.operator.status.ObjectRef;
import java.util.Locale;

/** The REST path of one namespaced object of the kinds a job owns. */
final class ApiPaths {
  private ApiPaths() {}

  /** e.g. /api/v1/namespaces/ns/pods/p, /apis/scheduling.volcano.sh/v1beta1/namespaces/ns/podgroups/g. */
  static String of(ObjectRef object, String namespace) {
    String apiVersion = object.apiVersion() == null ? "v1" : object.apiVersion();
    String root = apiVersion.contains("/") ? "/apis/" + apiVersion : "/api/" + apiVersion;
    // Every kind a job owns has the regular plural: pods, statefulsets, podgroups, workloads...
    return root + "/namespaces/" + namespace + "/" + object.kind().toLowerCase(Locale.ROOT) + "s/" + object.name();
  }
}
