package dev.chainer.operator.render;

/**
 * The fixed shell programs the operator runs. They contain no user text: what varies (the program
 * to exec, the sshd path) arrives as positional parameters, so a shell never parses anything a user wrote.
 */
public final class LauncherScripts {
  private LauncherScripts() {}

  /**
   * Launcher: before mpirun, wait until every worker in the hostfile answers over SSH (this also outlasts
   * DNS records that are not there yet), then exec the given argv. The first field of each hostfile line
   * is the host in both formats ("host slots=N" and "host:N").
   */
  public static final String WAIT_FOR_WORKERS = String.join("\n",
      "set -eu",
      "attempts=\"${CHAINER_WAIT_ATTEMPTS:-150}\"",
      "for host in $(sed -e 's/[ :].*$//' " + Paths.HOSTFILE + "); do",
      "  n=0",
      "  until ssh -F " + Paths.SSH_CONFIG + " -o ConnectionAttempts=1 \"$host\" true; do",
      "    n=$((n + 1))",
      "    if [ \"$n\" -ge \"$attempts\" ]; then",
      "      echo \"chainer-operator: worker $host did not answer over SSH after $n attempts\" >&2",
      "      exit 1",
      "    fi",
      "    sleep 2",
      "  done",
      "done",
      "exec \"$@\"",
      "");

  /**
   * Copy step: a directory's contents into the target directory, or a single file to the target path; symlinks
   * followed (ConfigMap and Secret volumes are made of them). $1 is the source, $2 the target.
   */
  public static final String COPY = String.join("\n",
      "set -eu",
      "if [ -d \"$1\" ]; then",
      "  mkdir -p \"$2\"",
      "  cp -R -L -- \"$1/.\" \"$2\"",
      "else",
      "  cp -L -- \"$1\" \"$2\"",
      "fi",
      "");

  /**
   * A restricted job's key step, run as the pod's user: copies the job's keys from the Secret (root's, readable
   * through fsGroup) into the pod's private memory-backed directory, owned by that user, mode 0600.
   */
  public static final String COPY_KEYS = String.join("\n",
      "set -eu",
      "umask 077",
      "cp -L -- " + Paths.SSH_SECRET + "/id_ed25519 " + Paths.SSH_SECRET + "/id_ed25519.pub "
          + Paths.SSH_SECRET + "/authorized_keys " + Paths.SSH + "/",
      "chmod 600 " + Paths.SSH + "/*",
      "");

  /** Worker: sshd needs its privilege-separation directory; then it runs in the foreground, logging to stderr. */
  public static final String RUN_SSHD = String.join("\n",
      "mkdir -p /run/sshd",
      "exec \"$1\" -D -e -f " + Paths.SSHD_CONFIG,
      "");
}
