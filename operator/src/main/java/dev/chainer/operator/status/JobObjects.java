package dev.chainer.operator.status;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;

import dev.chainer.operator.spec.JobLabels;
import dev.chainer.operator.spec.JobNames;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What of an observation is this job's. An object is the job's only when its controller owner reference carries
 * the job's uid (a worker pod: when its controller is one of the job's StatefulSets, or, that StatefulSet gone,
 * its job-uid label says so). The rest is either left from a deleted job of the same name, which the job waits
 * out, or somebody else's object holding one of the job's names: a conflict, never used.
 */
public final class JobObjects {
  private final List<HasMetadata> own = new ArrayList<>();
  private final List<HasMetadata> previousRun = new ArrayList<>();
  private final List<ObjectRef> conflicts = new ArrayList<>();
  private final List<Pod> vanished = new ArrayList<>();
  private Optional<PersistentVolumeClaim> outputsClaim;
  private Optional<Refusal> refusal = Optional.empty();

  private JobObjects() {}

  public static JobObjects of(Observed observed, JobNames names, String jobUid) {
    JobObjects objects = new JobObjects();
    Set<String> ownStatefulSets = observed.statefulSets().stream().filter(s -> isControlledBy(s, jobUid))
        .map(s -> s.getMetadata().getUid()).collect(Collectors.toSet());
    observed.all().forEach(o -> objects.sort(o, names, jobUid, ownStatefulSets));
    objects.conflicts.addAll(observed.conflicts());
    Set<String> present = observed.pods().stream().map(p -> p.getMetadata().getUid()).collect(Collectors.toSet());
    observed.lastStates().stream().filter(p -> !present.contains(p.getMetadata().getUid()))
        .filter(p -> isOwn(p, jobUid, ownStatefulSets)).forEach(objects.vanished::add);
    return objects;
  }

  private void sort(HasMetadata o, JobNames names, String jobUid, Set<String> ownStatefulSets) {
    Optional<OwnerReference> controller = controller(o);
    boolean workerPod = isWorkerPod(o);
    if (isOwn(o, jobUid, ownStatefulSets)) {
      own.add(o);
    } else if (isPreviousRun(o, controller, names, workerPod)) {
      previousRun.add(o);
    } else if (names.isJobsName(o.getMetadata().getName())) {
      conflicts.add(ObjectRef.of(o));
    }
  }

  private static boolean isWorkerPod(HasMetadata o) {
    return o instanceof Pod && JobLabels.ROLE_WORKER.equals(Observed.label(o, JobLabels.ROLE));
  }

  private static boolean isOwn(HasMetadata o, String jobUid, Set<String> ownStatefulSets) {
    return isWorkerPod(o)
        ? controller(o).map(c -> ownStatefulSets.contains(c.getUid())).orElse(false)
            || jobUid != null && jobUid.equals(Observed.label(o, JobLabels.JOB_UID))
        : isControlledBy(o, jobUid);
  }

  /** Owned by a ChainerJob of this name that is not this one (deleted; the garbage collector removes it). */
  private static boolean isPreviousRun(HasMetadata o, Optional<OwnerReference> controller, JobNames names,
      boolean workerPod) {
    if (workerPod) {
      return Observed.label(o, JobLabels.JOB_UID) != null || controller.filter(c -> "StatefulSet".equals(c.getKind())
          && names.workerStatefulSet().equals(c.getName())).isPresent();
    }
    return controller.filter(c -> "ChainerJob".equals(c.getKind()) && names.job().equals(c.getName())).isPresent();
  }

  private static boolean isControlledBy(HasMetadata o, String uid) {
    return uid != null && controller(o).filter(c -> uid.equals(c.getUid())).isPresent();
  }

  private static Optional<OwnerReference> controller(HasMetadata o) {
    List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
    return refs == null ? Optional.empty()
        : refs.stream().filter(r -> Boolean.TRUE.equals(r.getController())).findFirst();
  }

  // --- what the planner asks ------------------------------------------------------------------------------

  /** Objects of a deleted job of the same name, still being removed. */
  /**
   * The job's outputs claim as read from the API server for this reconcile: null when it was not read (the job has
   * none, or is past needing it), empty when it does not exist.
   */
  public Optional<PersistentVolumeClaim> outputsClaim() {
    return outputsClaim;
  }

  /** The same objects, with the outputs claim as read (see {@link #outputsClaim()}). */
  public JobObjects withOutputsClaim(Optional<PersistentVolumeClaim> claim) {
    this.outputsClaim = claim;
    return this;
  }

  /** A creation of one of the job's objects that the API server refused in this reconcile, or lately. */
  public Optional<Refusal> refusal() {
    return refusal;
  }

  public JobObjects withRefusal(Optional<Refusal> r) {
    this.refusal = r;
    return this;
  }

  public List<ObjectRef> previousRun() {
    return previousRun.stream().map(ObjectRef::of).toList();
  }

  /** Objects somebody else owns under one of the job's names. */
  public List<ObjectRef> conflicts() {
    return List.copyOf(conflicts);
  }

  /** The attempt's worker StatefulSet, unless it is being deleted. */
  public Optional<StatefulSet> workers(int attempt) {
    return ownOf(StatefulSet.class).filter(s -> Observed.attemptOf(s) == attempt)
        .filter(s -> s.getMetadata().getDeletionTimestamp() == null).findFirst();
  }

  public List<StatefulSet> allWorkerSets() {
    return ownOf(StatefulSet.class).toList();
  }

  public List<Pod> workerPods(int attempt) {
    return pods(JobLabels.ROLE_WORKER).filter(p -> Observed.attemptOf(p) == attempt).toList();
  }

  /**
   * Workers that count as ready: Ready, not terminating, and of the attempt's StatefulSet while it exists. Once it
   * is deleted (the run is over, or restarting) its pods are on their way out, whatever moment of their graceful
   * termination the status is written at.
   */
  public int readyWorkers(int attempt) {
    if (workers(attempt).isEmpty()) {
      return 0;
    }
    return (int) workerPods(attempt).stream().filter(p -> !PodFacts.isTerminating(p)).filter(PodFacts::isReady)
        .count();
  }

  public List<Pod> allWorkerPods() {
    return pods(JobLabels.ROLE_WORKER).toList();
  }

  public List<Pod> launchers() {
    return pods(JobLabels.ROLE_LAUNCHER).toList();
  }

  public Optional<Pod> launcher(String name) {
    return pods(JobLabels.ROLE_LAUNCHER).filter(p -> name.equals(p.getMetadata().getName())).findFirst();
  }

  /** The last state of the job's launcher of this name, gone lately (see {@link Observed#lastStates()}). */
  public Optional<Pod> vanishedLauncher(String name) {
    return vanished.stream().filter(p -> JobLabels.ROLE_LAUNCHER.equals(role(p)))
        .filter(p -> name.equals(p.getMetadata().getName())).reduce((older, newer) -> newer);
  }

  /** The last states of the attempt's worker pods gone lately, whether their StatefulSet recreated them or not. */
  public List<Pod> vanishedWorkerPods(int attempt) {
    return vanished.stream().filter(p -> JobLabels.ROLE_WORKER.equals(role(p)))
        .filter(p -> Observed.attemptOf(p) == attempt).toList();
  }

  /** The job's objects of another attempt than this one: every one must be gone before this attempt starts. */
  /** How many ended launchers of earlier attempts are kept for their logs. */
  public static final int KEPT_LAUNCHERS = 3;

  /** Ended launchers of earlier attempts beyond the latest {@link #KEPT_LAUNCHERS}: to remove, without waiting. */
  public List<Pod> endedLaunchersBeyondKept(String launcherName) {
    return pods(JobLabels.ROLE_LAUNCHER).filter(p -> !launcherName.equals(p.getMetadata().getName()))
        .filter(p -> PodFacts.isFinished(p) && !PodFacts.isTerminating(p))
        .sorted(java.util.Comparator.comparingInt(Observed::attemptOf).reversed()).skip(KEPT_LAUNCHERS).toList();
  }

  public List<HasMetadata> otherAttempts(int attempt, String launcherName) {
    Stream<HasMetadata> sets = ownOf(StatefulSet.class).filter(s -> Observed.attemptOf(s) != attempt).map(s -> s);
    Stream<HasMetadata> workers = pods(JobLabels.ROLE_WORKER).filter(p -> Observed.attemptOf(p) != attempt)
        .map(p -> p);
    // Launchers of earlier attempts that ended by themselves are kept for their logs: they hold nothing and run
    // nothing, so the next attempt does not wait for them (see endedLaunchersBeyondKept).
    Stream<HasMetadata> launchers = pods(JobLabels.ROLE_LAUNCHER)
        .filter(p -> !launcherName.equals(p.getMetadata().getName()))
        .filter(p -> !PodFacts.isFinished(p) || PodFacts.isTerminating(p)).map(p -> p);
    Stream<HasMetadata> keys = ownOf(Secret.class).filter(s -> JobLabels.ROLE_SSH.equals(role(s)))
        .filter(s -> Observed.attemptOf(s) != attempt).map(s -> s);
    Stream<HasMetadata> gangs = ownOf(GenericKubernetesResource.class).filter(g -> "PodGroup".equals(g.getKind()))
        .filter(g -> Observed.attemptOf(g) != attempt).map(g -> g);
    return Stream.of(sets, workers, launchers, keys, gangs).flatMap(s -> s).toList();
  }

  /** The attempt's PodGroup (gang scheduling), if the job has one. */
  /** Every PodGroup of the job, of any attempt. */
  public List<GenericKubernetesResource> podGroups() {
    return ownOf(GenericKubernetesResource.class).filter(g -> "PodGroup".equals(g.getKind())).toList();
  }

  public Optional<GenericKubernetesResource> podGroup(int attempt) {
    return ownOf(GenericKubernetesResource.class).filter(g -> "PodGroup".equals(g.getKind()))
        .filter(g -> Observed.attemptOf(g) == attempt).findFirst();
  }

  /** The job's Kueue Workload, if it has one. */
  public Optional<GenericKubernetesResource> workload() {
    return ownOf(GenericKubernetesResource.class).filter(g -> "Workload".equals(g.getKind())).findFirst();
  }

  /** Whether the job has a pod that has not ended, or workers: what an eviction waits out before quota is freed. */
  public boolean hasLivePods() {
    return !allWorkerSets().isEmpty() || !allWorkerPods().isEmpty()
        || launchers().stream().anyMatch(p -> !PodFacts.isFinished(p) || PodFacts.isTerminating(p));
  }

  /** Whether the job has an object of this kind and role (and, for an SSH Secret, of this attempt). */
  public boolean has(Class<? extends HasMetadata> kind, String role, int attempt) {
    return ownOf(kind).filter(o -> role == null || role.equals(role(o)))
        .anyMatch(o -> !JobLabels.ROLE_SSH.equals(role) || Observed.attemptOf(o) == attempt);
  }

  private Stream<Pod> pods(String role) {
    return ownOf(Pod.class).filter(p -> role.equals(role(p)));
  }

  private <T extends HasMetadata> Stream<T> ownOf(Class<T> kind) {
    return own.stream().filter(kind::isInstance).map(kind::cast);
  }

  private static String role(HasMetadata o) {
    return Observed.label(o, JobLabels.ROLE);
  }
}
