package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.CleanPodPolicy;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.api.LauncherStatus;
import dev.chainer.operator.spec.EffectiveRunPolicy;
import dev.chainer.operator.spec.EffectiveSpec;
import dev.chainer.operator.spec.JobContext;
import dev.chainer.operator.spec.JobNames;
import dev.chainer.operator.status.JobObjects;
import dev.chainer.operator.status.ObjectRef;
import dev.chainer.operator.status.PodFacts;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One planning pass: what the planner and the parts that answer its questions ({@link AttemptEnd},
 * {@link AttemptPhase}, {@link OutputsGate}) read (the job, its objects, the time, the status it had) and what they
 * build together (the next status and the plan), with the observations and deletions they all make.
 */
final class Planning {
  final ChainerJob job;
  final EffectiveSpec spec;
  final JobContext context;
  final JobObjects objects;
  final Instant now;
  final JobNames names;
  final ChainerJobStatus previous;
  final ChainerJobStatus next;
  final Plan plan = new Plan();

  Planning(JobContext context, JobObjects objects, Instant now) {
    this.job = context.job();
    this.spec = context.effective();
    this.context = context;
    this.objects = objects;
    this.now = now;
    this.names = context.names();
    ChainerJobStatus current = job.getStatus() == null ? new ChainerJobStatus() : job.getStatus();
    // A job that failed validation starts afresh once its spec is fixed.
    this.previous = "InvalidSpec".equals(current.getReason()) ? new ChainerJobStatus() : current;
    this.next = Serialization.clone(previous);
  }

  // --- observations ------------------------------------------------------------------------------------

  void observeWorkers() {
    if (!spec.mpi()) {
      return;
    }
    next.setTotalWorkers(spec.nodeCount());
    next.setReadyWorkers(ready());
    next.setReady(ready() + "/" + spec.nodeCount());
  }

  void observeLauncher() {
    Optional<Pod> launcher = objects.launcher(launcherName());
    if (launcher.isEmpty()) {
      next.setLauncher(recordedLauncher().orElse(null));
      return;
    }
    Pod pod = launcher.get();
    LauncherStatus status = new LauncherStatus();
    status.setPodName(pod.getMetadata().getName());
    status.setState(PodFacts.phase(pod));
    PodFacts.terminated(pod, JobNames.LAUNCHER_CONTAINER).ifPresent(t -> {
      status.setExitCode(t.getExitCode());
      status.setReason(t.getReason());
    });
    if (status.getReason() == null) {
      status.setReason(PodFacts.waitingProblem(pod).map(w -> w.substring(w.indexOf(": ") + 2).split(":")[0])
          .orElse(pod.getStatus() == null ? null : pod.getStatus().getReason()));
    }
    next.setLauncher(status);
  }

  /** The launcher of the current attempt as the status last recorded it. */
  Optional<LauncherStatus> recordedLauncher() {
    return Optional.ofNullable(previous.getLauncher()).filter(l -> launcherName().equals(l.getPodName()))
        .filter(l -> attempt() == previous.currentAttempt());
  }

  int ready() {
    return objects.readyWorkers(attempt());
  }

  void deleteAll(Stream<? extends HasMetadata> doomed) {
    doomed.filter(o -> o.getMetadata().getDeletionTimestamp() == null).map(ObjectRef::of).forEach(plan::delete);
  }


  /**
   * What a finished job's pods still are, as they go: ready counts and WorkersReady follow the workers' removal, and a
   * launcher removed before it ended is said to be gone rather than left Running or Pending.
   */
  void observeEnd() {
    observeWorkers();
    if (objects.launcher(launcherName()).isPresent()) {
      observeLauncher();
      return;
    }
    LauncherStatus last = next.getLauncher();
    if (last != null && ("Running".equals(last.getState()) || "Pending".equals(last.getState()))) {
      LauncherStatus removed = Serialization.clone(last);
      removed.setState("Removed");
      next.setLauncher(removed);
    }
  }

  // --- endings -----------------------------------------------------------------------------------------

  void cleanUpWorkers() {
    if (policy().cleanPodPolicy() != CleanPodPolicy.None) {
      deleteAll(objects.allWorkerSets().stream());
    }
  }

  void finish(JobPhase phase, String reason, String message) {
    next.setPhase(phase);
    next.setReason(reason);
    next.setMessage(message);
    next.setCompletionTime(now.toString());
    policy().ttlSecondsAfterFinished().ifPresent(ttl -> plan.requeueAfter(Duration.ofSeconds(ttl)));
  }

  /** Deletes every launcher that still runs and every worker StatefulSet, of any attempt. */
  void stopEverything() {
    deleteAll(objects.launchers().stream().filter(p -> !PodFacts.isFinished(p)));
    deleteAll(objects.allWorkerSets().stream());
  }

  String launcherName() {
    return names.launcherPod(attempt());
  }

  int attempt() {
    return next.currentAttempt();
  }

  long generation() {
    return job.getMetadata().getGeneration() == null ? 0 : job.getMetadata().getGeneration();
  }

  EffectiveRunPolicy policy() {
    return spec.runPolicy();
  }

}
