package dev.chainer.operator.validation;

import dev.chainer.operator.api.PodSettings;
import java.util.List;
import java.util.Map;

/**
 * The security profiles a pod's annotations can set: AppArmor ({@code
 * container.apparmor.security.beta.kubernetes.io/<container>}) and the deprecated seccomp ones ({@code
 * seccomp.security.alpha.kubernetes.io/pod}, {@code container.seccomp.security.alpha.kubernetes.io/<container>}),
 * which servers up to 1.26 (and the kubelet, for AppArmor, up to 1.29) still honour.
 *
 * <ul>
 *   <li>A value the API server refuses, always (pkg/apis/core/validation: ValidateAppArmorProfileFormat takes
 *       {@code runtime/default}, {@code unconfined} and {@code localhost/<profile>}; ValidateSeccompProfile takes
 *       {@code runtime/default}, {@code docker/default}, {@code unconfined} and {@code localhost/<path>}).</li>
 *   <li>{@code unconfined}, under securityProfile restricted: the Pod Security Standards forbid it already at level
 *       baseline (AppArmor: "must not set ... to unconfined"; seccomp: "Unconfined" is forbidden), and a namespace
 *       that enforces restricted refuses the pods; where none does, it would quietly lift the confinement the
 *       profile promises.</li>
 * </ul>
 */
final class SecurityAnnotations {
  static final String APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
  static final String SECCOMP_POD = "seccomp.security.alpha.kubernetes.io/pod";
  static final String SECCOMP_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

  private SecurityAnnotations() {}

  static void check(PodSettings role, String field, boolean restricted, List<Problem> out) {
    if (role == null || role.getAnnotations() == null) {
      return;
    }
    for (Map.Entry<String, String> e : role.getAnnotations().entrySet()) {
      String key = e.getKey();
      String value = e.getValue() == null ? "" : e.getValue();
      String at = field + ".annotations[" + key + "]";
      if (key.startsWith(APPARMOR_PREFIX)) {
        profile(value, at, "AppArmor", List.of("runtime/default", "unconfined"), restricted, out);
      } else if (key.equals(SECCOMP_POD) || key.startsWith(SECCOMP_CONTAINER_PREFIX)) {
        profile(value, at, "seccomp", List.of("runtime/default", "docker/default", "unconfined"), restricted, out);
      }
    }
  }

  private static void profile(String value, String field, String kind, List<String> named, boolean restricted,
      List<Problem> out) {
    boolean localhost = value.startsWith("localhost/") && value.length() > "localhost/".length()
        && value.chars().noneMatch(c -> c < 0x20 || c == 0x7f);
    if (!localhost && !named.contains(value)) {
      out.add(Problem.error(field, "is not an " + kind + " profile the API server accepts (" + String.join(", ",
          named) + " or localhost/<profile>), got " + QueueRules.shown(value)));
    } else if (restricted && value.equals("unconfined")) {
      out.add(Problem.error(field, "must not be unconfined under securityProfile restricted: the Pod Security "
          + "Standards forbid an unconfined " + kind + " profile (at level baseline already), so the pods would be "
          + "refused or run without the confinement the profile promises; use runtime/default or localhost/<profile>, "
          + "or securityProfile root"));
    }
  }
}
