package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.api.LauncherStatus;
import dev.chainer.operator.kueue.WorkloadState;
import dev.chainer.operator.spec.EffectiveSpec;
import dev.chainer.operator.spec.JobContext;
import dev.chainer.operator.spec.JobLabels;
import dev.chainer.operator.status.AttemptFailure;
import dev.chainer.operator.status.AttemptFailures;
import dev.chainer.operator.status.JobConditions;
import dev.chainer.operator.status.JobObjects;
import dev.chainer.operator.status.ObjectRef;
import dev.chainer.operator.status.OutputsReadiness;
import dev.chainer.operator.status.Observed;
import dev.chainer.operator.status.PodFacts;
import dev.chainer.operator.status.PodStall;
import dev.chainer.operator.status.Refusal;
import dev.chainer.operator.validation.Problem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The job's life as a pure function: from the job, its validation result, what the cluster holds of it
 * and the time, decide the next status and what to create or delete. No client, no clock: everything
 * it knows arrives as arguments, so a restarted operator decides exactly what the previous one would.
 *
 * <p>A run is a sequence of attempts (status.attempt), one at a time: an attempt's workers and launcher are
 * created only once every pod of the earlier attempts is gone, and only objects whose controller is this job
 * (by uid) are read, deleted or mounted.
 */
public final class JobPlanner {
  /** How often a job blocked by an object it does not own looks again: such objects are not watched. */
  static final Duration CONFLICT_RETRY = Duration.ofSeconds(10);
  /** How often a job whose StatefulSet lacks pods looks for the controller's word on why. */
  static final Duration MISSING_PODS_RETRY = Duration.ofSeconds(5);
  /** How often a job whose objects the server refused for now (quota) tries again. */
  static final Duration REFUSAL_RETRY = Duration.ofSeconds(30);
  static final String WAITING_FOR_ADMISSION = "WaitingForAdmission";
  /**
   * How often a finished job with nothing left of it to watch (no pod, no worker StatefulSet, no TTL) is looked at
   * anyway, instead of every resync period: only an event (its deletion, an object of its name) can change anything.
   */
  static final Duration FINISHED_RESYNC = Duration.ofHours(6);
  private final Planning s;
  private final ChainerJob job;
  private final EffectiveSpec spec;
  private final JobObjects objects;
  private final Instant now;
  private final JobContext context;
  private final ChainerJobStatus previous;
  private final ChainerJobStatus next;
  private final Plan plan;
  private boolean specEdited;
  private boolean kueue;

  private JobPlanner(JobContext context, JobObjects objects, Instant now) {
    this.s = new Planning(context, objects, now);
    this.job = s.job;
    this.spec = s.spec;
    this.objects = objects;
    this.now = now;
    this.context = context;
    this.previous = s.previous;
    this.next = s.next;
    this.plan = s.plan;
  }

  /**
   * @param context the job as it runs: its spec is the snapshot the run started with (if it has started),
   *     with the current runPolicy
   * @param objects what the cluster holds under the job's names, sorted by ownership
   * @param specEdited whether the job's spec was edited since its run started (the edit is ignored)
   * @param kueue whether the job waits for Kueue's admission of its Workload before it runs
   */
  public static Plan plan(JobContext context, JobObjects objects, List<Problem> problems, Instant now,
      boolean specEdited, boolean kueue) {
    JobPlanner planner = new JobPlanner(context, objects, now);
    planner.specEdited = specEdited;
    planner.kueue = kueue;
    return planner.decide(problems);
  }

  private Plan decide(List<Problem> problems) {
    next.setObservedGeneration(s.generation());
    List<Problem> errors = problems.stream().filter(Problem::isError).toList();
    // An accepted job whose spec did not change can only have become invalid through the operator's configuration.
    boolean accepted = previous.getPhase() != null;
    boolean specUnchanged = Objects.equals(previous.getObservedGeneration(), s.generation());
    if (isTerminal(previous.getPhase())) {
      warnOncePerGeneration(problems);
      finished(); // terminal is terminal: never validated again, never rewritten
    } else if (!errors.isEmpty() && accepted && specUnchanged) {
      refusedByConfiguration(errors);
    } else if (!errors.isEmpty()) {
      invalid(errors);
    } else {
      warnOncePerGeneration(problems);
      if (s.policy().cancel()) {
        cancel();
      } else if (s.policy().suspend()) {
        suspend();
      } else if (objects.refusal().isPresent()) {
        refused(objects.refusal().get()); // before anything else is made: the same create would be refused again
      } else if (kueue && !admitted()) {
        awaitAdmission();
      } else {
        active();
      }
    }
    if (isTerminal(next.getPhase()) && !isTerminal(previous.getPhase())) {
      finishWorkload(); // at once, for every kind of job: Kueue gives the quota back when the Workload is Finished
    }
    next.setConditions(JobConditions.of(next, spec.mpi(), isSuspended(), s.generation(), previous.getConditions(), now));
    return plan.status(next);
  }

  private void finishWorkload() {
    boolean workloadOpen = objects.workload().filter(w -> !WorkloadState.of(w).finished()).isPresent();
    plan.finishWorkload(kueue && workloadOpen);
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

  /**
   * A job the operator accepted that its configuration (a framework version dropped, an integration switched off,
   * a stricter default profile) no longer allows: it waits, Stalled, touching nothing, and carries on when the
   * configuration runs it again. Failing it would lose a run for a change its owner did not make.
   */
  private void refusedByConfiguration(List<Problem> errors) {
    String message = "the operator's configuration no longer runs this job, which waits until it does: "
        + errors.stream().map(Problem::toString).collect(Collectors.joining("; "));
    next.setPhase(previous.getPhase());
    next.setReason(JobConditions.REFUSED_BY_CONFIGURATION);
    next.setMessage(message);
    if (!JobConditions.REFUSED_BY_CONFIGURATION.equals(previous.getReason()) || !message.equals(previous.getMessage())) {
      plan.event(JobEvent.warning(JobConditions.REFUSED_BY_CONFIGURATION, message));
    }
  }

  private void warnOncePerGeneration(List<Problem> problems) {
    if (Objects.equals(previous.getObservedGeneration(), s.generation())) {
      return;
    }
    problems.stream().filter(p -> !p.isError())
        .forEach(p -> plan.event(JobEvent.warning(p.reason(), p.toString())));
    if (specEdited) {
      plan.event(JobEvent.warning("SpecChangeIgnored", "the job has started: changes to its spec are ignored "
          + "for this run (only runPolicy takes effect); delete and re-create the job to change it"));
    }
  }

  // --- terminal ----------------------------------------------------------------------------------------

  private void finished() {
    s.cleanUpWorkers();
    s.observeEnd();
    if (!objects.hasLivePods()) {
      s.deleteAll(objects.podGroups().stream()); // a gang's reservation (minResources) ends with its pods
    }
    finishWorkload();
    Optional<Long> ttl = s.policy().ttlSecondsAfterFinished();
    if (ttl.isEmpty() && !objects.hasLivePods() && plan.deletions().isEmpty()) {
      plan.requeueAfter(FINISHED_RESYNC);
    }
    if (ttl.isPresent() && previous.getCompletionTime() != null) {
      Instant expiry = Instant.parse(previous.getCompletionTime()).plusSeconds(ttl.get());
      if (!now.isBefore(expiry)) {
        plan.deleteJob(true).event(JobEvent.normal("TTLExpired", "deleting the job " + ttl.get()
            + "s after it finished"));
      } else {
        plan.requeueAfter(Duration.between(now, expiry));
      }
    }
  }

  // --- cancel and suspend ------------------------------------------------------------------------------

  private void cancel() {
    s.stopEverything();
    s.observeWorkers();
    s.observeLauncher();
    boolean podsGone = objects.allWorkerSets().isEmpty() && objects.allWorkerPods().isEmpty()
        && objects.launchers().stream().allMatch(PodFacts::isFinished);
    if (podsGone) {
      s.finish(JobPhase.Canceled, "Canceled", "canceled by runPolicy.cancel");
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

  /**
   * A suspension ends the current attempt (without counting it as a failure): its pods are stopped and the
   * resumed job starts a fresh attempt, so nothing the stopped pods report (exit 143) is read as this run's.
   */
  private void suspend() {
    pause("Suspended", "runPolicy.suspend is set; the job resumes from the start when it is cleared");
    if (!"Suspended".equals(previous.getReason())) {
      plan.event(JobEvent.normal("Suspended", "the job's pods are removed until runPolicy.suspend is cleared"));
    }
  }

  /** Ends the current attempt without counting it (its pods are stopped) and keeps the job Queued. */
  private void pause(String reason, String message) {
    if (attemptStarted()) {
      next.setAttempt(s.attempt() + 1);
    }
    s.stopEverything();
    s.observeWorkers();
    next.setLauncher(null);
    next.setPhase(JobPhase.Queued);
    next.setReason(reason);
    next.setMessage(message);
    // Time not admitted, like time suspended, does not count against the deadline.
    next.setSuspendedSince(previous.getSuspendedSince() != null ? previous.getSuspendedSince() : now.toString());
  }

  // --- Kueue ---------------------------------------------------------------------------------------------

  private boolean admitted() {
    return objects.workload().map(WorkloadState::of).filter(s -> s.admitted() && !s.evicted()).isPresent();
  }

  /**
   * No pod runs until Kueue admits the job's Workload; an eviction stops the attempt as a suspension does (no retry
   * consumed), and once its pods are gone the quota goes back to Kueue, which queues the Workload again.
   */
  private void awaitAdmission() {
    Optional<io.fabric8.kubernetes.api.model.GenericKubernetesResource> workload = objects.workload();
    plan.createWorkload(workload.isEmpty());
    Optional<WorkloadState> state = workload.map(WorkloadState::of);
    boolean evicted = state.filter(WorkloadState::evicted).isPresent();
    String name = workload.map(w -> w.getMetadata().getName()).orElse("of the job");
    pause(WAITING_FOR_ADMISSION, evicted ? "evicted by Kueue (" + state.get().evictionMessage().orElse("no reason")
        + "); waiting to be admitted again" : "waiting for Kueue to admit Workload " + name);
    if (evicted && !WAITING_FOR_ADMISSION.equals(previous.getReason())) {
      plan.event(JobEvent.warning("Evicted", next.getMessage() + "; the attempt's pods are removed"));
    }
    plan.releaseQuota(evicted && state.get().holdsQuota() && !objects.hasLivePods());
  }

  private boolean attemptStarted() {
    int attempt = s.attempt();
    return objects.workers(attempt).isPresent() || !objects.workerPods(attempt).isEmpty()
        || objects.launcher(s.launcherName()).isPresent() || s.recordedLauncher().isPresent();
  }

  // --- running -----------------------------------------------------------------------------------------

  private void active() {
    resumeIfSuspended();
    if (next.getStartTime() == null) {
      next.setStartTime(now.toString());
    }
    // Without spec.outputs the status says what is lost, where a user looks for results: written with the
    // job's first status, it costs no request of its own (an Event did: one per job).
    next.setOutputs(context.outputs().map(OutputsReadiness::report).orElseGet(OutputsReadiness::notKept));
    if (deadlinePassed()) {
      return;
    }
    s.observeWorkers();
    s.observeLauncher();
    if (!objects.conflicts().isEmpty()) {
      blocked(JobConditions.RESOURCE_CONFLICT, "objects that are not this job's hold its names", objects.conflicts(), true);
      plan.requeueAfter(CONFLICT_RETRY);
      return;
    }
    if (!objects.previousRun().isEmpty()) {
      blocked("WaitingForPreviousRun", "waiting for the objects of a deleted job of the same name to be removed",
          objects.previousRun(), false);
      return;
    }
    Optional<AttemptFailure> failure = AttemptFailures.of(objects, s.attempt(), s.launcherName(),
        previous.getLauncher(), spec.mpi() ? spec.nodeCount() : 0);
    if (failure.isPresent()) {
      new AttemptEnd(s).failed(failure.get());
      return;
    }
    s.deleteAll(objects.endedLaunchersBeyondKept(s.launcherName()).stream());
    List<HasMetadata> earlier = objects.otherAttempts(s.attempt(), s.launcherName());
    if (!earlier.isEmpty()) {
      awaitEarlierAttempts(earlier);
      return;
    }
    progress();
  }

  /** Suspended time is not run time: it is added to the deadline. */
  private void resumeIfSuspended() {
    String since = previous.getSuspendedSince();
    if (since == null && !"Suspended".equals(previous.getReason())
        && !WAITING_FOR_ADMISSION.equals(previous.getReason())) {
      return;
    }
    if (since != null && next.getStartTime() != null) {
      long suspended = Math.max(0, Duration.between(Instant.parse(since), now).toSeconds());
      next.setSuspendedSeconds((previous.getSuspendedSeconds() == null ? 0 : previous.getSuspendedSeconds())
          + suspended);
    }
    next.setSuspendedSince(null);
    plan.event(JobEvent.normal("Resumed", "starting attempt " + s.attempt() + " from the beginning"));
  }

  private boolean deadlinePassed() {
    Long limit = job.getSpec().getMaxRunDurationSeconds();
    if (limit == null) {
      return false;
    }
    long suspended = next.getSuspendedSeconds() == null ? 0 : next.getSuspendedSeconds();
    Instant deadline = Instant.parse(next.getStartTime()).plusSeconds(limit).plusSeconds(suspended);
    if (now.isBefore(deadline)) {
      plan.requeueAfter(Duration.between(now, deadline));
      return false;
    }
    new AttemptEnd(s).deadlineExceeded("the job ran longer than maxRunDurationSeconds (" + limit + "s)");
    return true;
  }

  /**
   * The API server refused one of the job's objects. A refusal that may clear without a change to the job (quota,
   * the operator's permissions) makes it wait, Stalled, and try again; one that will not (Pod Security, an admission
   * webhook, an invalid object) fails it. Either way the reason says which, the message quotes the server.
   */
  private void refused(Refusal refusal) {
    if (next.getStartTime() == null) {
      next.setStartTime(now.toString());
    }
    Refusal.Kind kind = refusal.kind();
    String message = refusal.toString();
    if (kind.mayClear()) {
      next.setPhase(JobPhase.Queued);
      next.setReason(kind.name());
      next.setMessage(message);
      if (!kind.name().equals(previous.getReason())) {
        plan.event(JobEvent.warning(kind.name(), message));
      }
      plan.requeueAfter(REFUSAL_RETRY);
      return;
    }
    s.stopEverything();
    s.observeWorkers();
    s.finish(JobPhase.Failed, kind.name(), message);
    plan.event(JobEvent.warning(kind.name(), message + "; the job failed"));
  }

  /** The job waits, Queued, for objects it must not touch; said once as an Event (a Warning for a conflict). */
  private void blocked(String reason, String what, List<ObjectRef> blocking, boolean warning) {
    String message = what + ": " + describe(blocking);
    next.setPhase(JobPhase.Queued);
    next.setReason(reason);
    next.setMessage(message);
    if (!reason.equals(previous.getReason()) || !message.equals(previous.getMessage())) {
      plan.event(warning ? JobEvent.warning(reason, message) : JobEvent.normal(reason, message));
    }
  }

  private static String describe(List<ObjectRef> refs) {
    String listed = refs.stream().limit(5).map(ObjectRef::toString).collect(Collectors.joining(", "));
    return refs.size() > 5 ? listed + " and " + (refs.size() - 5) + " more" : listed;
  }

  /** Removes what is left of earlier attempts; nothing of this attempt starts until all of it is gone. */
  private void awaitEarlierAttempts(List<HasMetadata> earlier) {
    boolean setsGone = earlier.stream().noneMatch(StatefulSet.class::isInstance);
    // Worker pods go with their StatefulSet; deleted one by one only once it is gone (else it recreates them).
    s.deleteAll(earlier.stream().filter(o -> !(o instanceof Pod p && isWorker(p)) || setsGone));
    next.setPhase(JobPhase.Queued);
    if (!"Restarting".equals(previous.getReason())) {
      next.setReason("WaitingForPreviousAttempt");
      next.setMessage("waiting for the pods of an earlier attempt to be removed: "
          + describe(earlier.stream().map(ObjectRef::of).toList()));
    }
  }

  private static boolean isWorker(Pod pod) {
    return JobLabels.ROLE_WORKER.equals(Observed.label(pod, JobLabels.ROLE));
  }

  /**
   * Starts what the attempt still lacks, unless its outputs store cannot serve the pods; a store that may still
   * come good (a claim not bound yet) is said on the status while the pods wait for it.
   */
  private void progress() {
    OutputsGate gate = new OutputsGate(s);
    OutputsReadiness.Verdict outputs = gate.verdict();
    if (!outputs.blocksPods()) {
      startPods();
    }
    outputs.stall().filter(s -> outputs.blocksPods() || next.getPhase() == JobPhase.Queued).ifPresent(gate::stalled);
  }

  private void startPods() {
    plan.createInfrastructure(missingInfrastructure());
    Optional<Pod> launcher = objects.launcher(s.launcherName());
    boolean succeeded = launcher.map(p -> "Succeeded".equals(PodFacts.phase(p)))
        .orElse(s.recordedLauncher().filter(l -> "Succeeded".equals(l.getState())).isPresent());
    boolean launcherMade = launcher.isPresent() || succeeded;
    if (spec.mpi() && !launcherMade) {
      Optional<StatefulSet> workers = objects.workers(s.attempt());
      if (workers.filter(AttemptFailures::isEdited).isPresent()) {
        putBack(workers.get());
        return;
      } else if (workers.isEmpty() && objects.allWorkerPods().isEmpty()) {
        // Only once the attempt's earlier pods are gone: a new StatefulSet would take them for its own.
        plan.createWorkers(true);
      }
    }
    if (spec.mpi() && (plan.createWorkers() || objects.workers(s.attempt()).isPresent()
        && objects.workerPods(s.attempt()).size() < spec.nodeCount())) {
      // Pods its StatefulSet has not made: a refusal of them shows only in its Events, which are not watched. Also
      // when the StatefulSet is only being made: the creation's own event is not delivered (the operator made it), and
      // the controller's status updates of it change nothing the planner reads, so no event need come at all.
      plan.requeueAfter(MISSING_PODS_RETRY);
    }
    boolean workersReady = !spec.mpi() || s.ready() == spec.nodeCount();
    if (!launcherMade && workersReady) {
      plan.createLauncher(true);
      plan.launcherWorkerUids(objects.workerPods(s.attempt()).stream().map(p -> p.getMetadata().getUid())
          .filter(Objects::nonNull).sorted().toList());
      // Said now, in the same status write, so that seeing the new pod Pending costs no second write; and so that a
      // launcher that vanishes later is known to have existed.
      LauncherStatus pending = new LauncherStatus();
      pending.setPodName(s.launcherName());
      pending.setState("Pending");
      next.setLauncher(pending);
    }
    next.setPhase(succeeded && launcher.isEmpty() ? JobPhase.Completed : new AttemptPhase(s).activePhase(launcher));
    if (next.getReason() != null && PodStall.REASONS.contains(next.getReason())) {
      new AttemptEnd(s).unlessStalledTooLong();
    }
    if (next.getPhase() == JobPhase.Completed) {
      s.finish(JobPhase.Completed, "Succeeded", "the launcher exited 0");
      if (next.getProgress() != null) {
        next.getProgress().setPercent(100);
        next.getProgress().setEstimatedSecondsRemaining(0L);
      }
    }
  }

  /** A StatefulSet edited or scaled by hand before the run started is deleted, and made again as rendered. */
  private void putBack(StatefulSet workers) {
    plan.delete(ObjectRef.of(workers));
    next.setPhase(JobPhase.Queued);
    next.setReason("WorkersModified");
    String message = "StatefulSet " + workers.getMetadata().getName() + " was changed by hand ("
        + AttemptFailures.describeEdit(workers, spec.nodeCount()) + "); putting it back as the job renders it";
    next.setMessage(message);
    plan.event(JobEvent.warning("WorkersModified", message));
  }

  private boolean missingInfrastructure() {
    boolean registry = spec.imageRegistryDetails() != null && spec.imageRegistryDetails().getPullSecretName() == null
        && !objects.has(Secret.class, JobLabels.ROLE_REGISTRY, s.attempt());
    boolean mpi = spec.mpi() && (!objects.has(Service.class, null, s.attempt())
        || !objects.has(ConfigMap.class, null, s.attempt()) || !objects.has(Secret.class, JobLabels.ROLE_SSH, s.attempt()));
    return registry || mpi;
  }

  // --- observations ------------------------------------------------------------------------------------

  private boolean isSuspended() {
    return !isTerminal(next.getPhase()) && s.policy().suspend();
  }

  private static boolean isTerminal(JobPhase phase) {
    return phase != null && phase.isTerminal();
  }
}
