package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.CleanPodPolicy;
import dev.chainer.operator.api.EffectiveSpec;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.api.LauncherStatus;
import dev.chainer.operator.api.RunPolicy;
import dev.chainer.operator.render.JobLabels;
import dev.chainer.operator.render.JobNames;
import dev.chainer.operator.render.LauncherPod;
import dev.chainer.operator.status.JobConditions;
import dev.chainer.operator.status.Observed;
import dev.chainer.operator.status.PodFacts;
import dev.chainer.operator.validation.Problem;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The job's life as a pure function: from the job, its validation result, what the cluster holds of it
 * and the time, decide the next status and what to create or delete. No client, no clock: everything
 * it knows arrives as arguments, so a restarted operator decides exactly what the previous one would.
 */
public final class JobPlanner {
  private final ChainerJob job;
  private final EffectiveSpec spec;
  private final Observed observed;
  private final Instant now;
  private final JobNames names;
  private final ChainerJobStatus previous;
  private final ChainerJobStatus next;
  private final Plan plan = new Plan();
  private boolean specEdited;

  private JobPlanner(ChainerJob job, EffectiveSpec spec, Observed observed, Instant now, JobNames names) {
    this.job = job;
    this.spec = spec;
    this.observed = observed;
    this.now = now;
    this.names = names;
    ChainerJobStatus current = job.getStatus() == null ? new ChainerJobStatus() : job.getStatus();
    // A job that failed validation starts afresh once its spec is fixed.
    this.previous = "InvalidSpec".equals(current.getReason()) ? new ChainerJobStatus() : current;
    this.next = Serialization.clone(previous);
  }

  /**
   * @param job the job as it runs: its spec is the snapshot the run started with (if it has started),
   *     with the current runPolicy
   * @param specEdited whether the job's spec was edited since its run started (the edit is ignored)
   */
  public static Plan plan(ChainerJob job, EffectiveSpec spec, List<Problem> problems, Observed observed,
      Instant now, JobNames names, boolean specEdited) {
    JobPlanner planner = new JobPlanner(job, spec, observed, now, names);
    planner.specEdited = specEdited;
    return planner.decide(problems);
  }

  private Plan decide(List<Problem> problems) {
    next.setObservedGeneration(generation());
    List<Problem> errors = problems.stream().filter(Problem::isError).toList();
    if (!errors.isEmpty()) {
      invalid(errors);
    } else {
      warnOncePerGeneration(problems);
      if (isTerminal(previous.getPhase())) {
        finished();
      } else if (policy().getCancel() != null && policy().getCancel()) {
        cancel();
      } else if (policy().getSuspend() != null && policy().getSuspend()) {
        suspend();
      } else {
        active();
      }
    }
    next.setConditions(JobConditions.of(next, spec.mpi(), isSuspended(), generation(), previous.getConditions(), now));
    // Conditions carry times; keep the previous list when nothing in it changed so no write happens.
    return plan.status(next);
  }

  // --- validation ------------------------------------------------------------------------------------

  private void invalid(List<Problem> errors) {
    String message = errors.stream().map(Problem::toString).collect(Collectors.joining("; "));
    ChainerJobStatus current = job.getStatus();
    boolean alreadyReported = current != null && "InvalidSpec".equals(current.getReason())
        && message.equals(current.getMessage());
    next.setPhase(JobPhase.Failed);
    next.setReason("InvalidSpec");
    next.setMessage(message);
    next.setCompletionTime(alreadyReported && current.getCompletionTime() != null ? current.getCompletionTime()
        : now.toString());
    next.setStartTime(current == null ? null : current.getStartTime());
    if (!alreadyReported) {
      plan.event(JobEvent.warning("InvalidSpec", message));
    }
  }

  private void warnOncePerGeneration(List<Problem> problems) {
    if (Objects.equals(previous.getObservedGeneration(), generation())) {
      return;
    }
    problems.stream().filter(p -> !p.isError())
        .forEach(p -> plan.event(JobEvent.warning("Deprecated", p.toString())));
    if (specEdited) {
      plan.event(JobEvent.warning("SpecChangeIgnored", "the job has started: changes to its spec are ignored "
          + "for this run (only runPolicy takes effect); delete and re-create the job to change it"));
    }
  }

  // --- terminal ----------------------------------------------------------------------------------------

  private void finished() {
    cleanUpWorkers();
    Long ttl = policy().getTtlSecondsAfterFinished();
    if (ttl != null && previous.getCompletionTime() != null) {
      Instant expiry = Instant.parse(previous.getCompletionTime()).plusSeconds(ttl);
      if (!now.isBefore(expiry)) {
        plan.deleteJob(true).event(JobEvent.normal("TTLExpired", "deleting the job " + ttl
            + "s after it finished"));
      } else {
        plan.requeueAfter(Duration.between(now, expiry));
      }
    }
  }

  private void cleanUpWorkers() {
    if (cleanPodPolicy() != CleanPodPolicy.None && observed.workers().isPresent()) {
      plan.deleteWorkers(true);
    }
  }

  private void finish(JobPhase phase, String reason, String message) {
    next.setPhase(phase);
    next.setReason(reason);
    next.setMessage(message);
    next.setCompletionTime(now.toString());
    Long ttl = policy().getTtlSecondsAfterFinished();
    if (ttl != null) {
      plan.requeueAfter(Duration.ofSeconds(ttl));
    }
  }

  // --- cancel and suspend ------------------------------------------------------------------------------

  private void cancel() {
    Optional<Pod> launcher = currentLauncher();
    plan.deleteLauncher(liveLauncher().isPresent());
    plan.deleteWorkers(observed.workers().isPresent());
    observeWorkers();
    observeLauncher();
    boolean podsGone = observed.workers().isEmpty() && observed.workerPods().isEmpty()
        && launcher.filter(p -> !PodFacts.isFinished(p)).isEmpty();
    if (podsGone) {
      finish(JobPhase.Canceled, "Canceled", "canceled by runPolicy.cancel");
      plan.event(JobEvent.normal("Canceled", "the job was canceled; its pods are gone"));
    } else {
      next.setPhase(JobPhase.CancelRequested);
      next.setReason("CancelRequested");
      next.setMessage("removing the job's pods");
      if (previous.getPhase() != JobPhase.CancelRequested) {
        plan.event(JobEvent.normal("CancelRequested", "runPolicy.cancel is set: removing the job's pods"));
      }
    }
  }

  private void suspend() {
    liveLauncher().ifPresent(p -> plan.deleteLauncher(true));
    plan.deleteWorkers(observed.workers().isPresent());
    observeWorkers();
    next.setLauncher(null);
    next.setPhase(JobPhase.Queued);
    next.setReason("Suspended");
    next.setMessage("runPolicy.suspend is set; the job resumes from the start when it is cleared");
    // Like a Kubernetes Job: time spent suspended does not count against the deadline.
    next.setStartTime(null);
    if (!"Suspended".equals(previous.getReason())) {
      plan.event(JobEvent.normal("Suspended", "the job's pods are removed until runPolicy.suspend is cleared"));
    }
  }

  // --- running -----------------------------------------------------------------------------------------

  private void active() {
    if (next.getStartTime() == null) {
      next.setStartTime(now.toString());
      // A start is on the status (startTime, phase); only a resume, which a user asked for, gets an Event.
      if ("Suspended".equals(previous.getReason())) {
        plan.event(JobEvent.normal("Resumed", "starting again from the beginning"));
      }
    }
    if (deadlinePassed()) {
      return;
    }
    observeWorkers();
    observeLauncher();
    Optional<String> failure = failure();
    if (failure.isPresent()) {
      failed(failure.get());
      return;
    }
    progress();
  }

  private boolean deadlinePassed() {
    Long limit = job.getSpec().getMaxRunDurationSeconds();
    if (limit == null) {
      return false;
    }
    Instant deadline = Instant.parse(next.getStartTime()).plusSeconds(limit);
    if (now.isBefore(deadline)) {
      plan.requeueAfter(Duration.between(now, deadline));
      return false;
    }
    deadlineExceeded("the job ran longer than maxRunDurationSeconds (" + limit + "s)");
    return true;
  }

  private void deadlineExceeded(String message) {
    currentLauncher().filter(p -> !PodFacts.isTerminating(p)).ifPresent(p -> plan.deleteLauncher(true));
    plan.deleteWorkers(observed.workers().isPresent());
    observeLauncher();
    finish(JobPhase.Failed, "DeadlineExceeded", message);
    plan.event(JobEvent.warning("DeadlineExceeded", message + "; launcher and workers removed"));
  }

  private Optional<String> failure() {
    Optional<Pod> launcher = currentLauncher();
    if (launcher.isPresent() && "Succeeded".equals(PodFacts.phase(launcher.get()))) {
      return Optional.empty(); // the run is over; workers ending now are being cleaned up
    }
    if (launcher.isPresent() && "Failed".equals(PodFacts.phase(launcher.get()))) {
      Pod pod = launcher.get();
      if ("DeadlineExceeded".equals(pod.getStatus().getReason())) {
        return Optional.of("DeadlineExceeded");
      }
      return Optional.of("launcher " + pod.getMetadata().getName() + " " + PodFacts.terminated(pod,
          LauncherPod.CONTAINER).map(PodFacts::describe).orElse(describePodFailure(pod)));
    }
    if (!spec.mpi()) {
      return Optional.empty();
    }
    for (Pod worker : currentWorkerPods()) {
      if (PodFacts.isTerminating(worker)) {
        continue;
      }
      Optional<String> f = PodFacts.workerFailure(worker);
      if (f.isPresent()) {
        return f;
      }
    }
    boolean launcherRunning = launcher.isPresent() && !PodFacts.isFinished(launcher.get());
    Optional<Pod> replaced = launcherRunning ? replacedWorker(launcher.get()) : Optional.empty();
    if (replaced.isPresent()) {
      return Optional.of("worker " + replaced.get().getMetadata().getName() + " was replaced by its StatefulSet "
          + "while the job ran (its pod was lost and recreated)");
    }
    if (launcherRunning && ready() < spec.nodeCount()) {
      return Optional.of("a worker was lost while the job ran (" + ready() + "/" + spec.nodeCount() + " ready)");
    }
    return Optional.empty();
  }

  /** A worker pod the launcher did not start with: the StatefulSet recreated it under the same name. */
  private Optional<Pod> replacedWorker(Pod launcher) {
    Map<String, String> annotations = launcher.getMetadata().getAnnotations();
    String recorded = annotations == null ? null : annotations.get(JobLabels.WORKER_UIDS);
    if (recorded == null || recorded.isEmpty()) {
      return Optional.empty();
    }
    List<String> uids = List.of(recorded.split(","));
    return currentWorkerPods().stream().filter(p -> !uids.contains(p.getMetadata().getUid())).findFirst();
  }

  private static String describePodFailure(Pod pod) {
    String reason = pod.getStatus().getReason();
    return reason == null ? "failed" : reason + (pod.getStatus().getMessage() == null ? ""
        : ": " + pod.getStatus().getMessage());
  }

  private void failed(String cause) {
    if ("DeadlineExceeded".equals(cause)) {
      deadlineExceeded("the launcher reached its activeDeadlineSeconds");
      return;
    }
    int attempt = attempt();
    int limit = policy().getBackoffLimit() == null ? 0 : policy().getBackoffLimit();
    liveLauncher().ifPresent(p -> plan.deleteLauncher(true));
    if (attempt < limit) {
      plan.deleteWorkers(observed.workers().isPresent());
      next.setRestartCount(attempt + 1);
      next.setPhase(JobPhase.Queued);
      next.setReason("Restarting");
      next.setMessage(cause);
      plan.event(JobEvent.warning("Restarting", cause + "; restarting the whole job (restart " + (attempt + 1)
          + " of " + limit + ")"));
      return;
    }
    cleanUpWorkers();
    Optional<Integer> exit = currentLauncher().flatMap(p -> PodFacts.terminated(p, LauncherPod.CONTAINER))
        .map(t -> t.getExitCode());
    String reason = exit.map(code -> "LauncherFailed").orElse("WorkerFailed");
    String message = cause + (limit > 0 ? " after " + attempt + " restart(s) (backoffLimit " + limit + ")" : "");
    finish(JobPhase.Failed, reasonOf(cause, reason), message);
    plan.event(JobEvent.warning("Failed", message));
  }

  /** OOMKilled, Evicted and the like are more telling than a generic reason. */
  private static String reasonOf(String cause, String fallback) {
    for (String specific : List.of("OOMKilled", "Evicted", "DeadlineExceeded")) {
      if (cause.contains(specific)) {
        return specific;
      }
    }
    return fallback;
  }

  private void progress() {
    plan.createInfrastructure(missingInfrastructure());
    if (spec.mpi()) {
      boolean staleWorkers = observed.workers().filter(s -> Observed.attemptOf(s) != attempt()).isPresent();
      if (staleWorkers) {
        plan.deleteWorkers(true);
      } else if (observed.workers().isEmpty() && observed.workerPods().isEmpty() && currentLauncher().isEmpty()) {
        // Only once the previous run's pods are gone (a new StatefulSet would adopt them), and never once
        // this run's launcher exists: its workers are then being cleaned up, or were lost (a failure).
        plan.createWorkers(true);
      }
    }
    Optional<Pod> launcher = currentLauncher();
    boolean workersReady = !spec.mpi() || ready() == spec.nodeCount();
    if (launcher.isEmpty() && workersReady) {
      plan.createLauncher(true);
      plan.launcherWorkerUids(currentWorkerPods().stream().map(p -> p.getMetadata().getUid())
          .filter(java.util.Objects::nonNull).sorted().toList());
      // Said now, in the same status write, so that seeing the new pod Pending costs no second write.
      LauncherStatus pending = new LauncherStatus();
      pending.setPodName(names.launcherPod(attempt()));
      pending.setState("Pending");
      next.setLauncher(pending);
    }
    next.setPhase(activePhase(launcher));
    if (next.getPhase() == JobPhase.Completed) {
      finish(JobPhase.Completed, "Succeeded", "the launcher exited 0");
      if (next.getProgress() != null) {
        next.getProgress().setPercent(100);
        next.getProgress().setEstimatedSecondsRemaining(0L);
      }
    }
  }

  private boolean missingInfrastructure() {
    boolean registry = spec.imageRegistryDetails() != null && spec.imageRegistryDetails().getPullSecretName() == null
        && !observed.hasRegistrySecret();
    boolean mpi = spec.mpi() && (!observed.hasService() || !observed.hasMpiConfigMap() || !observed.hasSshSecret());
    return registry || mpi;
  }

  private JobPhase activePhase(Optional<Pod> launcher) {
    next.setReason(null);
    next.setMessage(waitingProblem().orElse(null));
    if (launcher.isPresent() && !PodFacts.isTerminating(launcher.get())) {
      Pod pod = launcher.get();
      switch (PodFacts.phase(pod)) {
        case "Succeeded":
          if (spec.mpi() && cleanPodPolicy() != CleanPodPolicy.None && observed.workers().isPresent()) {
            plan.deleteWorkers(true);
            next.setMessage("the launcher exited 0; removing workers");
            return JobPhase.Finalizing;
          }
          return JobPhase.Completed;
        case "Running":
          return JobPhase.Running;
        default:
          // An MPI launcher only waits for its node once the workers are up: the job is Starting.
          return spec.mpi() ? JobPhase.Starting : pendingPhase(List.of(pod), JobPhase.Starting);
      }
    }
    if (!spec.mpi()) {
      return JobPhase.Queued;
    }
    List<Pod> workers = currentWorkerPods();
    if (workers.size() < spec.nodeCount()) {
      return JobPhase.Queued;
    }
    return pendingPhase(workers, JobPhase.Starting);
  }

  /** Queued while any pod waits for a node, Preparing while any runs its init steps, else {@code otherwise}. */
  private static JobPhase pendingPhase(List<Pod> pods, JobPhase otherwise) {
    if (pods.stream().anyMatch(p -> !PodFacts.isScheduled(p))) {
      return JobPhase.Queued;
    }
    if (pods.stream().anyMatch(PodFacts::isInitializing)) {
      return JobPhase.Preparing;
    }
    return otherwise;
  }

  private Optional<String> waitingProblem() {
    return java.util.stream.Stream.concat(currentLauncher().stream(), currentWorkerPods().stream())
        .map(PodFacts::waitingProblem).flatMap(Optional::stream).findFirst();
  }

  // --- observations ------------------------------------------------------------------------------------

  private void observeWorkers() {
    if (!spec.mpi()) {
      return;
    }
    next.setTotalWorkers(spec.nodeCount());
    next.setReadyWorkers(ready());
    next.setReady(ready() + "/" + spec.nodeCount());
  }

  private void observeLauncher() {
    Optional<Pod> launcher = currentLauncher();
    if (launcher.isEmpty()) {
      next.setLauncher(previous.getLauncher() != null && !names.launcherPod(attempt()).equals(
          previous.getLauncher().getPodName()) ? null : previous.getLauncher());
      return;
    }
    Pod pod = launcher.get();
    LauncherStatus status = new LauncherStatus();
    status.setPodName(pod.getMetadata().getName());
    status.setState(PodFacts.phase(pod));
    PodFacts.terminated(pod, LauncherPod.CONTAINER).ifPresent(t -> {
      status.setExitCode(t.getExitCode());
      status.setReason(t.getReason());
    });
    if (status.getReason() == null) {
      status.setReason(PodFacts.waitingProblem(pod).map(w -> w.substring(w.indexOf(": ") + 2).split(":")[0])
          .orElse(pod.getStatus() == null ? null : pod.getStatus().getReason()));
    }
    next.setLauncher(status);
  }

  /**
   * Workers that count as ready: Ready, not terminating, and of this attempt's StatefulSet while it exists. Once it
   * is deleted (the run is over, or restarting) its pods are on their way out, whatever moment of their graceful
   * termination the status is written at: the status then says so, and WorkersReady is False.
   */
  private int ready() {
    if (observed.workers().filter(s -> Observed.attemptOf(s) == attempt()).isEmpty()) {
      return 0;
    }
    return (int) currentWorkerPods().stream().filter(p -> !PodFacts.isTerminating(p)).filter(PodFacts::isReady).count();
  }

  private List<Pod> currentWorkerPods() {
    return observed.workerPods().stream().filter(p -> Observed.attemptOf(p) == attempt()).toList();
  }

  private Optional<Pod> currentLauncher() {
    return observed.launcher(names.launcherPod(attempt()));
  }

  /** The current launcher while it still runs (or waits to): the one to delete when the run must stop. */
  private Optional<Pod> liveLauncher() {
    return currentLauncher().filter(p -> !PodFacts.isFinished(p) && !PodFacts.isTerminating(p));
  }

  private int attempt() {
    return next.getRestartCount() == null ? 0 : next.getRestartCount();
  }

  private long generation() {
    return job.getMetadata().getGeneration() == null ? 0 : job.getMetadata().getGeneration();
  }

  private RunPolicy policy() {
    return job.getSpec().getRunPolicy() == null ? new RunPolicy() : job.getSpec().getRunPolicy();
  }

  private CleanPodPolicy cleanPodPolicy() {
    return policy().getCleanPodPolicy() == null ? CleanPodPolicy.Running : policy().getCleanPodPolicy();
  }

  private boolean isSuspended() {
    return !isTerminal(next.getPhase()) && Boolean.TRUE.equals(policy().getSuspend());
  }

  private static boolean isTerminal(JobPhase phase) {
    return phase != null && phase.isTerminal();
  }
}
