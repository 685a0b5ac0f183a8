package dev.chainer.operator.validation;

import static dev.chainer.operator.testing.TestJobs.mpi;
import static dev.chainer.operator.validation.DoorAssertions.assertAccepted;
import static dev.chainer.operator.validation.DoorAssertions.assertRefused;
import static dev.chainer.operator.validation.DoorAssertions.errors;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.SecurityProfile;
import dev.chainer.operator.config.OperatorConfig;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * AppArmor and seccomp profiles set through the pods' annotations: a value the API server refuses always, and
 * unconfined under securityProfile restricted, whether the job asks for it or the operator's default is restricted.
 */
class SecurityAnnotationsTest {
  private static final String APPARMOR = "container.apparmor.security.beta.kubernetes.io/";

  private static ChainerJob annotated(String role, String key, String value, String profile) {
    return mpi("kubernetes:\n" + (profile == null ? "" : "  securityProfile: " + profile + "\n") + "  " + role
        + ":\n    annotations:\n      \"" + key + "\": \"" + value + "\"\n");
  }

  private static OperatorConfig restrictedByDefault() {
    OperatorConfig config = OperatorConfig.defaults();
    config.setDefaultSecurityProfile(SecurityProfile.RESTRICTED);
    return config;
  }

  static Stream<Arguments> unconfined() {
    return Stream.of(
        Arguments.of("launcher", APPARMOR + "launcher", "unconfined", "AppArmor"),
        Arguments.of("worker", APPARMOR + "worker", "unconfined", "AppArmor"),
        Arguments.of("worker", APPARMOR + "ssh-keys", "unconfined", "AppArmor"),
        Arguments.of("worker", "seccomp.security.alpha.kubernetes.io/pod", "unconfined", "seccomp"),
        Arguments.of("launcher", "container.seccomp.security.alpha.kubernetes.io/launcher", "unconfined", "seccomp"));
  }

  @ParameterizedTest
  @MethodSource("unconfined")
  void unconfinedIsRefusedUnderRestricted(String role, String key, String value, String kind) {
    String field = "spec.kubernetes." + role + ".annotations[" + key + "]";
    String[] rule = {"must not be unconfined under securityProfile restricted", "unconfined " + kind + " profile"};
    assertRefused(errors(annotated(role, key, value, "restricted")), field, rule);
    assertRefused(errors(annotated(role, key, value, null), restrictedByDefault()), field, rule);
    assertAccepted(errors(annotated(role, key, value, "root")));
  }

  static Stream<Arguments> malformed() {
    return Stream.of(
        Arguments.of(APPARMOR + "worker", "Unconfined", "AppArmor"),
        Arguments.of(APPARMOR + "worker", "docker/default", "AppArmor"),
        Arguments.of(APPARMOR + "worker", "localhost/", "AppArmor"),
        Arguments.of(APPARMOR + "worker", "", "AppArmor"),
        Arguments.of(APPARMOR + "worker", "runtime/default ", "AppArmor"),
        Arguments.of("seccomp.security.alpha.kubernetes.io/pod", "RuntimeDefault", "seccomp"),
        Arguments.of("container.seccomp.security.alpha.kubernetes.io/worker", "none", "seccomp"));
  }

  @ParameterizedTest
  @MethodSource("malformed")
  void aProfileTheApiServerRefusesIsRefusedUnderEveryProfile(String key, String value, String kind) {
    for (String profile : new String[] {"root", "restricted"}) {
      assertRefused(errors(annotated("worker", key, value, profile)), "spec.kubernetes.worker.annotations[" + key
          + "]", "is not an " + kind + " profile the API server accepts");
    }
  }

  @Test
  void confinedProfilesAreAccepted() {
    assertAccepted(errors(annotated("worker", APPARMOR + "worker", "runtime/default", "restricted")));
    assertAccepted(errors(annotated("worker", APPARMOR + "worker", "localhost/k8s-train", "restricted")));
    assertAccepted(errors(annotated("launcher", "seccomp.security.alpha.kubernetes.io/pod", "runtime/default",
        "restricted")));
  }
}
