package dev.chainer.operator.status;

import dev.chainer.operator.api.LauncherStatus;
import dev.chainer.operator.spec.JobLabels;
import dev.chainer.operator.spec.JobNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether the current attempt has failed, and why, from its own objects only: pods of earlier attempts, and pods
 * the operator stopped, are never read here, so their exit codes (143 after a SIGTERM) are never a failure.
 */
public final class AttemptFailures {
  private final JobObjects objects;
  private final int attempt;
  private final String launcherName;

  private AttemptFailures(JobObjects objects, int attempt, String launcherName) {
    this.objects = objects;
    this.attempt = attempt;
    this.launcherName = launcherName;
  }

  /**
   * @param recorded the launcher as the job's status last described it: a launcher recorded as started that is
   *     no longer there was lost
   * @param nodeCount the workers the attempt needs; 0 for a job without MPI workers
   */
  public static Optional<AttemptFailure> of(JobObjects objects, int attempt, String launcherName,
      LauncherStatus recorded, int nodeCount) {
    AttemptFailures failures = new AttemptFailures(objects, attempt, launcherName);
    Optional<Pod> launcher = objects.launcher(launcherName);
    if (launcher.filter(p -> "Succeeded".equals(PodFacts.phase(p))).isPresent()) {
      return Optional.empty(); // the run is over; workers ending now are being cleaned up
    }
    Optional<AttemptFailure> own = launcher.isPresent() ? launcherFailure(launcher.get()) : lost(launcherName,
        recorded, objects.vanishedLauncher(launcherName));
    return own.or(() -> nodeCount == 0 ? Optional.empty() : failures.workerFailure(launcher, nodeCount));
  }

  private static Optional<AttemptFailure> launcherFailure(Pod pod) {
    String name = pod.getMetadata().getName();
    String what = "launcher pod " + name;
    String podReason = pod.getStatus() == null ? null : pod.getStatus().getReason();
    Optional<AttemptFailure> disrupted = Disruption.failure(pod, true);
    if (disrupted.isPresent()) {
      return disrupted; // taken away by the cluster, running or not yet gone: not the job's failure
    }
    if (PodFacts.isTerminating(pod)) {
      String exit = PodFacts.terminated(pod, JobNames.LAUNCHER_CONTAINER).map(t -> " (" + PodFacts.describe(t) + ")")
          .orElse("");
      return failure(FailureReason.LauncherLost, name, what + " was deleted before it finished" + exit);
    }
    if (!"Failed".equals(PodFacts.phase(pod))) {
      return Optional.empty();
    }
    if ("DeadlineExceeded".equals(podReason)) {
      return failure(FailureReason.DeadlineExceeded, name, what + " reached its activeDeadlineSeconds");
    }
    return PodFacts.terminated(pod, JobNames.LAUNCHER_CONTAINER)
        .map(t -> new AttemptFailure(PodFacts.containerReason(t, FailureReason.LauncherFailed), name,
            what + " " + PodFacts.describe(t) + PodFacts.lastWords(t)))
        .or(() -> failure(FailureReason.LauncherFailed, name, what + " failed" + (podReason == null ? ""
            : ": " + podReason) + PodFacts.podMessage(pod)));
  }

  /**
   * The launcher was created (the status says so) and is gone without the operator having seen it end. Its last
   * state, when the operator saw the pod go, tells what ended it, as if the pod were still there: the pod GC's
   * DisruptionTarget of a lost node, an exit code. Without one (force-deleted while running, or gone while the
   * operator was down) it is lost, a failure that counts.
   */
  private static Optional<AttemptFailure> lost(String launcherName, LauncherStatus recorded, Optional<Pod> lastState) {
    boolean started = recorded != null && launcherName.equals(recorded.getPodName())
        && !"Succeeded".equals(recorded.getState()) && !"Failed".equals(recorded.getState());
    if (!started) {
      return Optional.empty();
    }
    return lastState.flatMap(AttemptFailures::launcherFailure).or(() -> failure(FailureReason.LauncherLost,
        launcherName, "launcher pod " + launcherName + " disappeared without reporting an exit (force-deleted, or "
        + "its node was lost)"));
  }

  private Optional<AttemptFailure> workerFailure(Optional<Pod> launcher, int nodeCount) {
    Optional<StatefulSet> set = objects.workers(attempt);
    boolean launcherRunning = launcher.filter(p -> !PodFacts.isFinished(p)).isPresent();
    if (set.isEmpty()) {
      return launcherRunning ? failure(FailureReason.WorkerLost, launcherName, "the worker StatefulSet was "
          + "deleted while launcher pod " + launcherName + " ran") : Optional.empty();
    }
    StatefulSet workers = set.get();
    if (isEdited(workers)) {
      // Before the launcher starts the planner puts the StatefulSet back; after, the attempt is spoiled.
      return launcher.isEmpty() ? Optional.empty() : failure(FailureReason.WorkersModified,
          workers.getMetadata().getName(), "StatefulSet " + workers.getMetadata().getName() + " was changed by hand"
          + " while the job ran (" + describeEdit(workers, nodeCount) + ")");
    }
    for (Pod pod : objects.workerPods(attempt)) {
      Optional<AttemptFailure> disrupted = Disruption.failure(pod, false);
      if (disrupted.isPresent()) {
        return disrupted;
      }
      if (PodFacts.isTerminating(pod)) {
        return failure(FailureReason.WorkerLost, pod.getMetadata().getName(), "worker pod "
            + pod.getMetadata().getName() + " was deleted");
      }
      Optional<AttemptFailure> failed = PodFacts.workerFailure(pod);
      if (failed.isPresent()) {
        return failed;
      }
    }
    Optional<AttemptFailure> vanished = vanishedWorkerFailure();
    if (vanished.isPresent()) {
      return vanished;
    }
    Optional<Pod> replaced = launcherRunning ? replacedWorker(launcher.get()) : Optional.empty();
    if (replaced.isPresent()) {
      return failure(FailureReason.WorkerReplaced, replaced.get().getMetadata().getName(), "worker pod "
          + replaced.get().getMetadata().getName() + " was replaced by its StatefulSet while the job ran (its pod "
          + "was lost and recreated)");
    }
    int ready = objects.readyWorkers(attempt);
    if (launcherRunning && ready < nodeCount) {
      return failure(FailureReason.WorkerLost, workers.getMetadata().getName(), "a worker was lost while the job "
          + "ran (" + ready + "/" + nodeCount + " ready)");
    }
    return Optional.empty();
  }

  /**
   * A worker gone before a reconcile saw how it ended, as its last state tells: removed with its node by the pod GC
   * (DisruptionTarget), or failed and deleted at once by its StatefulSet to be recreated. Whether the replacement
   * exists yet or not, the attempt ends as that disruption or that failure rather than as a replaced or missing
   * worker. A last state being deleted says nothing more: the pod was seen terminating (WorkerLost then), or the
   * operator removed it itself (a StatefulSet put back), and its exit 143 is no failure of the run.
   */
  private Optional<AttemptFailure> vanishedWorkerFailure() {
    for (Pod gone : objects.vanishedWorkerPods(attempt)) {
      Optional<AttemptFailure> told = Disruption.failure(gone, false)
          .or(() -> PodFacts.isTerminating(gone) ? Optional.empty() : PodFacts.workerFailure(gone));
      if (told.isPresent()) {
        return told;
      }
    }
    return Optional.empty();
  }

  /** The operator never updates its StatefulSets: a generation past the first is somebody's edit. */
  public static boolean isEdited(StatefulSet set) {
    Long generation = set.getMetadata().getGeneration();
    return generation != null && generation > 1;
  }

  public static String describeEdit(StatefulSet set, int nodeCount) {
    Integer replicas = set.getSpec() == null ? null : set.getSpec().getReplicas();
    String scale = replicas != null && replicas != nodeCount ? "scaled to " + replicas + " replicas, the job "
        + "needs " + nodeCount + "; " : "";
    return scale + "generation " + set.getMetadata().getGeneration();
  }

  /** A worker pod the launcher did not start with: the StatefulSet recreated it under the same name. */
  private Optional<Pod> replacedWorker(Pod launcher) {
    Map<String, String> annotations = launcher.getMetadata().getAnnotations();
    String recorded = annotations == null ? null : annotations.get(JobLabels.WORKER_UIDS);
    if (recorded == null || recorded.isEmpty()) {
      return Optional.empty();
    }
    List<String> uids = List.of(recorded.split(","));
    return objects.workerPods(attempt).stream().filter(p -> !uids.contains(p.getMetadata().getUid())).findFirst();
  }

  private static Optional<AttemptFailure> failure(FailureReason reason, String object, String message) {
    return Optional.of(new AttemptFailure(reason, object, message));
  }
}
