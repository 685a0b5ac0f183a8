package dev.chainer.operator.reconcile;

/** The REST path of one namespaced object of the kinds a job owns. */
final class ApiPaths {
  private ApiPaths() {}

  static String of(String kind, String namespace, String name) {
    String collection = switch (kind) {
      case "Pod" -> "/api/v1/namespaces/" + namespace + "/pods/";
      case "Service" -> "/api/v1/namespaces/" + namespace + "/services/";
      case "ConfigMap" -> "/api/v1/namespaces/" + namespace + "/configmaps/";
      case "Secret" -> "/api/v1/namespaces/" + namespace + "/secrets/";
      case "StatefulSet" -> "/apis/apps/v1/namespaces/" + namespace + "/statefulsets/";
      default -> throw new IllegalArgumentException("the operator owns no " + kind);
    };
    return collection + name;
  }
}
