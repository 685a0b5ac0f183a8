package dev.chainer.operator.status;

/**
 * Why an attempt failed. Each is a status reason and the reason of the Warning Event that reports it, so
 * {@code kubectl get events --field-selector reason=OOMKilled} finds every job that ran out of memory.
 */
public enum FailureReason {
  /** The launcher's training container exited non-zero. */
  LauncherFailed,
  /** The launcher was deleted, or disappeared (force-deleted, its node lost) without reporting an exit. */
  LauncherLost,
  LauncherEvicted,
  /** A worker pod failed, or a worker container (the SSH server, an init step) ended with an error. */
  WorkerFailed,
  WorkerEvicted,
  /** A worker was deleted, stopped being Ready while the launcher ran, or its StatefulSet was deleted. */
  WorkerLost,
  /** A worker was recreated by its StatefulSet under the same name while the launcher ran. */
  WorkerReplaced,
  /** A container of the attempt was killed for using more memory than its limit. */
  OOMKilled,
  /** The worker StatefulSet was edited or scaled by hand once the launcher had started. */
  WorkersModified,
  /** The launcher reached its activeDeadlineSeconds. */
  DeadlineExceeded
}
