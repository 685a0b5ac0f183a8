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

  /** The line the resume step prints before the snapshot's path; the operator's progress reader looks for it. */
  public static final String RESUMING = "chainer-operator: resuming from ";
  /** The line the resume step prints when there is no snapshot yet. */
  public static final String FRESH = "chainer-operator: no snapshot yet, starting from the beginning; looked in ";

  /**
   * Resume step, before the training command: finds the newest complete snapshot in $CHAINER_CHECKPOINT_DIR (the
   * highest number in a name matching $CHAINER_SNAPSHOT_PATTERN; never a file Chainer is still writing, whose name
   * starts with tmp, nor an empty one), says so on a fixed line that the operator reads into status.resumedFrom,
   * exports CHAINER_RESUME_FROM and appends "$CHAINER_RESUME_ARGUMENT <snapshot>" to the command. A newer snapshot
   * replaces the job's resumeFrom: the last $CHAINER_RESUME_FALLBACK_ARGS words of the command (its
   * --resume-from and path) are dropped, so the script never gets two resume flags. The pattern is only ever
   * matched against names (a case pattern is not split, globbed or run), never evaluated.
   */
  public static final String RESUME = String.join("\n",
      "set -eu",
      "dir=\"$CHAINER_CHECKPOINT_DIR\"",
      "best=\"\"",
      "best_n=-1",
      "for f in \"$dir\"/*; do",
      "  if [ ! -f \"$f\" ] || [ ! -s \"$f\" ]; then continue; fi",
      "  name=\"${f##*/}\"",
      "  case \"$name\" in tmp*) continue ;; esac",
      "  case \"$name\" in $CHAINER_SNAPSHOT_PATTERN) ;; *) continue ;; esac",
      // The last run of digits in the name, without leading zeros; longer than an int64 holds: not a snapshot.
      "  n=$(printf '%s\\n' \"$name\" | sed -e 's/[^0-9]*$//' -e 's/.*[^0-9]//' -e 's/^0*\\([0-9]\\)/\\1/')",
      "  case \"$n\" in '' | *[!0-9]*) continue ;; esac",
      "  if [ \"${#n}\" -gt 18 ]; then continue; fi",
      "  if [ \"$n\" -gt \"$best_n\" ]; then best=\"$f\"; best_n=\"$n\"; fi",
      "done",
      "CHAINER_RESUME_FROM=\"\"",
      "if [ -n \"$best\" ]; then",
      "  keep=$(($# - ${CHAINER_RESUME_FALLBACK_ARGS:-0}))",
      "  i=0",
      "  for word do",
      "    i=$((i + 1))",
      "    if [ \"$i\" -eq 1 ]; then set --; fi",
      "    if [ \"$i\" -le \"$keep\" ]; then set -- \"$@\" \"$word\"; fi",
      "  done",
      "  CHAINER_RESUME_FROM=\"$best\"",
      "  if [ -n \"$CHAINER_RESUME_ARGUMENT\" ]; then set -- \"$@\" \"$CHAINER_RESUME_ARGUMENT\" \"$best\"; fi",
      "  printf '" + RESUMING + "%s (iteration %s)\\n' \"$best\" \"$best_n\"",
      "else",
      "  printf '" + FRESH + "%s\\n' \"$dir\"",
      "fi",
      "export CHAINER_RESUME_FROM",
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
