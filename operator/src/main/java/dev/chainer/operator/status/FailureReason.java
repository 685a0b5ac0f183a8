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
  /** The launcher was evicted (Eviction API, node pressure, graceful node shutdown): a disruption. */
  LauncherEvicted,
  /** The scheduler preempted the launcher for a pod of higher priority: a disruption. */
  LauncherPreempted,
  /** The launcher's node was lost or tainted NoExecute and the pod removed: a disruption. */
  LauncherNodeLost,
  /** A worker pod failed, or a worker container (the SSH server, an init step) ended with an error. */
  WorkerFailed,
  /** A worker was evicted (Eviction API, node pressure, graceful node shutdown): a disruption. */
  WorkerEvicted,
  /** The scheduler preempted a worker for a pod of higher priority: a disruption. */
  WorkerPreempted,
  /** A worker's node was lost or tainted NoExecute and the pod removed: a disruption. */
  WorkerNodeLost,
  /** A worker was deleted, stopped being Ready while the launcher ran, or its StatefulSet was deleted. */
  WorkerLost,
  /** A worker was recreated by its StatefulSet under the same name while the launcher ran. */
  WorkerReplaced,
  /** A container of the attempt was killed for using more memory than its limit. */
  OOMKilled,
  /** The worker StatefulSet was edited or scaled by hand once the launcher had started. */
  WorkersModified,
  /** The launcher reached its activeDeadlineSeconds. */
  DeadlineExceeded;

  /**
   * Whether the cluster took the pod away rather than the job failing: such a restart does not count against
   * backoffLimit (as a batch/v1 Job's podFailurePolicy Ignore on DisruptionTarget), only against disruptionLimit.
   */
  public boolean isDisruption() {
    return switch (this) {
      case LauncherEvicted, LauncherPreempted, LauncherNodeLost, WorkerEvicted, WorkerPreempted, WorkerNodeLost -> true;
      default -> false;
    };
  }

  /** The role's reason for a disruption of the given kind. */
  static FailureReason disruption(boolean launcher, Disruption kind) {
    return switch (kind) {
      case PREEMPTED -> launcher ? LauncherPreempted : WorkerPreempted;
      case EVICTED -> launcher ? LauncherEvicted : WorkerEvicted;
      case NODE_LOST -> launcher ? LauncherNodeLost : WorkerNodeLost;
    };
  }
}
