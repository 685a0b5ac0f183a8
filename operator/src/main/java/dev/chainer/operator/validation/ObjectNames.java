package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.PodSettings;
import java.util.List;

/**
 * Names of objects a job refers to (Secrets, ConfigMaps, PersistentVolumeClaims, ServiceAccounts, a scheduler),
 * checked with Kubernetes' own name syntax before the operator uses them (in a volume, a pod, a request path): a
 * lowercase RFC 1123 subdomain of at most 253 characters (apimachinery's NameIsDNSSubdomain, which
 * ValidateSecretName, ValidateConfigMapName, ValidatePersistentVolumeName and ValidateServiceAccountName all are).
 * So {@code system:serviceaccount:ns:sa} (a user name, not a ServiceAccount's), a name with '/' or '..', upper case
 * and control characters are refused at the door, not after the pods were made.
 */
final class ObjectNames {
  private ObjectNames() {}

  /** An absent name is not checked here (whether one is required is the caller's rule). */
  static void check(String name, String field, String kind, List<Problem> out) {
    if (name != null && !ObjectRules.isDnsSubdomain(name)) {
      out.add(Problem.error(field, "must be the name of a " + kind + ": a lowercase RFC 1123 subdomain (lower-case "
          + "letters, digits, '-' and '.', starting and ending with a letter or digit, at most 253 characters), as "
          + "Kubernetes requires, got " + QueueRules.shown(name)));
    }
  }

  /** The ServiceAccount and scheduler each role's pods name. */
  static void checkRoles(ChainerJobSpec spec, List<Problem> out) {
    if (spec.getKubernetes() == null) {
      return;
    }
    for (String role : List.of("launcher", "worker")) {
      PodSettings pod = role.equals("launcher") ? spec.getKubernetes().getLauncher()
          : spec.getKubernetes().getWorker();
      if (pod != null) {
        String field = "spec.kubernetes." + role;
        check(pod.getServiceAccountName(), field + ".serviceAccountName", "ServiceAccount (its name only, not "
            + "system:serviceaccount:<namespace>:<name>)", out);
        check(pod.getSchedulerName(), field + ".schedulerName", "scheduler", out);
      }
    }
  }
}
