package dev.chainer.operator.spec;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.KubernetesSettings;
import dev.chainer.operator.api.SecurityProfile;
import dev.chainer.operator.config.OperatorConfig;

/**
 * A job's security profile as it runs: the profile, and under "restricted" the user and group every container
 * runs as and the unprivileged port its sshd listens on.
 */
public record SecuritySettings(SecurityProfile profile, long runAsUser, long runAsGroup, int sshPort) {
  /** The port sshd listens on as root: the SSH default. */
  public static final int ROOT_SSH_PORT = 22;

  public static SecuritySettings of(ChainerJobSpec spec, OperatorConfig config) {
    KubernetesSettings k = spec.getKubernetes() == null ? new KubernetesSettings() : spec.getKubernetes();
    SecurityProfile profile = k.getSecurityProfile() == null ? config.getDefaultSecurityProfile()
        : k.getSecurityProfile();
    boolean restricted = profile == SecurityProfile.RESTRICTED;
    return new SecuritySettings(profile,
        k.getRunAsUser() == null ? config.getRestrictedUser() : k.getRunAsUser(),
        k.getRunAsGroup() == null ? config.getRestrictedGroup() : k.getRunAsGroup(),
        restricted ? config.getUnprivilegedSshPort() : ROOT_SSH_PORT);
  }

  public boolean restricted() {
    return profile == SecurityProfile.RESTRICTED;
  }
}
