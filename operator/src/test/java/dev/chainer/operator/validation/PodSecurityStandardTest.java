package dev.chainer.operator.validation;

import static dev.chainer.operator.validation.PodSecurityStandard.Level.BASELINE;
import static dev.chainer.operator.validation.PodSecurityStandard.Level.RESTRICTED;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Pod Security Standards' checks, each on a pod that breaks only it, worded as PodSecurity admission words them. */
class PodSecurityStandardTest {
  /** A pod that passes restricted: the same as the operator renders for a restricted job. */
  private static PodSpecBuilder restricted() {
    return new PodSpecBuilder()
        .withNewSecurityContext().withRunAsNonRoot(true).withRunAsUser(1000L).withNewSeccompProfile()
        .withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
        .addNewContainer().withName("worker").withImage("i").withNewSecurityContext()
        .withAllowPrivilegeEscalation(false).withNewCapabilities().withDrop("ALL").endCapabilities()
        .endSecurityContext().endContainer()
        .addNewVolume().withName("keys").withNewSecret().withSecretName("s").endSecret().endVolume();
  }

  @Test
  void aRestrictedPodPassesBothLevels() {
    assertEquals(List.of(), PodSecurityStandard.violations(restricted().build(), RESTRICTED));
    assertEquals(List.of(), PodSecurityStandard.violations(restricted().build(), BASELINE));
  }

  @Test
  void aPlainPodPassesBaselineButNotRestricted() {
    PodSpec plain = new PodSpecBuilder().addNewContainer().withName("c").withImage("i").endContainer().build();
    assertEquals(List.of(), PodSecurityStandard.violations(plain, BASELINE));
    assertEquals(List.of(
        "allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false)",
        "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"])",
        "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true)",
        "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" "
            + "or \"Localhost\")"), PodSecurityStandard.violations(plain, RESTRICTED));
  }

  @Test
  void baselineRefusesHostAccessAndPrivilege() {
    PodSpec pod = restricted().withHostNetwork(true)
        .addNewVolume().withName("host").withNewHostPath().withPath("/").endHostPath().endVolume()
        .editFirstContainer().editSecurityContext().withPrivileged(true).editCapabilities().addToAdd("SYS_ADMIN")
        .endCapabilities().endSecurityContext().addNewPort().withContainerPort(22).withHostPort(22).endPort()
        .endContainer().build();
    List<String> violations = PodSecurityStandard.violations(pod, BASELINE);
    assertEquals(List.of("host namespaces (hostNetwork=true)",
        "privileged (container \"worker\" must not set securityContext.privileged=true)",
        "hostPath volumes (volume \"host\")",
        "hostPort (container \"worker\" uses hostPort 22)",
        "non-default capabilities (container \"worker\" must not include \"SYS_ADMIN\" in "
            + "securityContext.capabilities.add)"), violations);
  }

  @Test
  void restrictedRefusesRootNfsAndUnconfinedSeccomp() {
    PodSpec pod = restricted().editSecurityContext().withRunAsUser(0L).editSeccompProfile().withType("Unconfined")
        .endSeccompProfile().endSecurityContext()
        .addNewVolume().withName("data").withNewNfs().withServer("nfs").withPath("/x").endNfs().endVolume().build();
    List<String> violations = PodSecurityStandard.violations(pod, RESTRICTED);
    assertTrue(violations.contains("restricted volume types (volume \"data\" uses restricted volume type \"nfs\")"),
        violations.toString());
    assertTrue(violations.contains("runAsUser=0 (pod must not set runAsUser=0)"), violations.toString());
    assertTrue(violations.contains("seccompProfile (pod or containers must not set securityContext.seccompProfile"
        + ".type to \"Unconfined\")"), violations.toString());
  }

  @Test
  void initContainersAreCheckedToo() {
    PodSpec pod = restricted().addNewInitContainer().withName("fetch").withImage("git").endInitContainer().build();
    List<String> violations = PodSecurityStandard.violations(pod, RESTRICTED);
    assertTrue(violations.get(0).contains("container \"fetch\""), violations.toString());
  }
}
