package dev.chainer.operator.render;

import dev.chainer.operator.spec.SecuritySettings;
import java.util.ArrayList;
import java.util.List;

/** The SSH client and server configuration every job uses; fixed text, no user input. */
public final class SshFiles {
  private SshFiles() {}

  /**
   * Client side (launcher): the job's key, no host-key prompts (hosts are the job's own pods, keys are
   * fresh per attempt), retries while the headless Service's DNS records settle, and the workers' port.
   */
  public static String sshConfig(SecuritySettings security) {
    return String.join("\n",
        "Host *",
        "  Port " + security.sshPort(),
        "  IdentityFile " + Paths.SSH_PRIVATE_KEY,
        "  IdentitiesOnly yes",
        "  StrictHostKeyChecking no",
        "  UserKnownHostsFile /dev/null",
        "  BatchMode yes",
        "  LogLevel ERROR",
        "  ConnectionAttempts 10",
        "  ConnectTimeout 10",
        "");
  }

  /**
   * Server side (workers): key-only login with the job's key, which is also the host key. StrictModes is off
   * because the keys' directory is the kubelet's (a Secret volume of symlinks as root; for a restricted job the
   * world-writable emptyDir its key step copies them into), whose modes StrictModes refuses; the key files are
   * never writable by others (0400 as root; the user's own 0600 copies when restricted). A restricted job's sshd
   * runs as its user: an unprivileged port, its PID file in /tmp (it may not write /run), no PAM, and logins only
   * as that user.
   */
  public static String sshdConfig(SecuritySettings security) {
    List<String> lines = new ArrayList<>(List.of(
        "Port " + security.sshPort(),
        "HostKey " + Paths.SSH_PRIVATE_KEY,
        "AuthorizedKeysFile " + Paths.SSH + "/authorized_keys",
        "PermitRootLogin " + (security.restricted() ? "no" : "prohibit-password"),
        "PasswordAuthentication no",
        "PubkeyAuthentication yes",
        "StrictModes no",
        "UseDNS no",
        "X11Forwarding no",
        "PrintMotd no"));
    if (security.restricted()) {
      // "PidFile none" needs OpenSSH 8; /tmp is writable on any image.
      lines.addAll(List.of("PidFile /tmp/chainer-sshd.pid", "UsePAM no"));
    }
    lines.add("");
    return String.join("\n", lines);
  }
}
