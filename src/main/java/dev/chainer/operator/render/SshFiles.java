package dev.chainer.operator.render;

/** The SSH client and server configuration every job uses; fixed text, no user input. */
public final class SshFiles {
  private SshFiles() {}

  /**
   * Client side (launcher): the job's key, no host-key prompts (hosts are the job's own pods, keys are
   * fresh per job), and retries while the headless Service's DNS records settle.
   */
  public static String sshConfig() {
    return String.join("\n",
        "Host *",
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
   * because Secret volumes are symlinks the kubelet owns; the files themselves are mode 0400.
   */
  public static String sshdConfig() {
    return String.join("\n",
        "Port 22",
        "HostKey " + Paths.SSH_PRIVATE_KEY,
        "AuthorizedKeysFile " + Paths.SSH + "/authorized_keys",
        "PermitRootLogin prohibit-password",
        "PasswordAuthentication no",
        "PubkeyAuthentication yes",
        "StrictModes no",
        "UseDNS no",
        "X11Forwarding no",
        "PrintMotd no",
        "");
  }
}
