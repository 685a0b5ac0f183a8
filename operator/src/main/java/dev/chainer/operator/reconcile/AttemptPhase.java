package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.CleanPodPolicy;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.status.PodFacts;
import dev.chainer.operator.status.PodGroupStatus;
import dev.chainer.operator.status.PodStall;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which phase a live attempt is in, from its pods: Queued while any waits for a node (or its gang), Preparing while
 * any runs init steps, Starting, Running, Finalizing while the workers of a finished run go; with the pods' own word
 * on a wait that needs attention (an image that cannot be pulled).
 */
final class AttemptPhase {
  private final Planning s;

  AttemptPhase(Planning s) {
    this.s = s;
  }

  /** The phase, with the reason and the pod's own words when a pod of the attempt is stuck before it runs. */
  JobPhase activePhase(Optional<Pod> launcher) {
    s.next.setReason(null);
    s.next.setMessage(null);
    JobPhase phase = phase(launcher);
    Optional<PodStall> stall = podStall();
    if (stall.isPresent() && s.next.getReason() == null && WAITING.contains(phase)) {
      s.next.setReason(stall.get().reason());
      s.next.setMessage(stall.get().toString());
      if (!stall.get().reason().equals(s.previous.getReason())) {
        s.plan.event(JobEvent.warning(stall.get().reason(), stall.get().toString()));
      }
    }
    return phase;
  }

  private static final java.util.Set<JobPhase> WAITING = java.util.Set.of(JobPhase.Queued, JobPhase.Preparing,
      JobPhase.Starting);

  private JobPhase phase(Optional<Pod> launcher) {
    if (launcher.isPresent()) {
      Pod pod = launcher.get();
      switch (PodFacts.phase(pod)) {
        case "Succeeded":
          if (s.spec.mpi() && s.policy().cleanPodPolicy() != CleanPodPolicy.None && !s.objects.allWorkerSets().isEmpty()) {
            s.cleanUpWorkers();
            s.next.setMessage("the launcher exited 0; removing workers");
            return JobPhase.Finalizing;
          }
          return JobPhase.Completed;
        case "Running":
          return JobPhase.Running;
        default:
          // An MPI launcher only waits for its node once the workers are up: the job is Starting.
          return s.spec.mpi() ? JobPhase.Starting : pendingPhase(List.of(pod), JobPhase.Starting);
      }
    }
    if (!s.spec.mpi()) {
      return JobPhase.Queued;
    }
    List<Pod> workers = s.objects.workerPods(s.attempt());
    // Starting means every worker is Ready: until then they are placed, or pull their images and run init steps.
    JobPhase phase = workers.size() < s.spec.nodeCount() ? JobPhase.Queued
        : workers.stream().allMatch(PodFacts::isReady) ? JobPhase.Starting : pendingPhase(workers, JobPhase.Preparing);
    if (phase == JobPhase.Queued) {
      s.objects.podGroup(s.attempt()).ifPresent(this::waitingForGang);
    }
    return phase;
  }

  /** Workers not yet placed under a gang scheduler: the PodGroup's phase (and its scheduler's word) say why. */
  private void waitingForGang(io.fabric8.kubernetes.api.model.GenericKubernetesResource group) {
    PodGroupStatus status = PodGroupStatus.of(group);
    s.next.setReason("WaitingForGang");
    s.next.setMessage("PodGroup " + group.getMetadata().getName() + " is " + status.phase() + ": its "
        + status.minMember() + " workers are placed together or not at all" + status.detail().map(d -> " (" + d + ")")
        .orElse(""));
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

  private Optional<PodStall> podStall() {
    return Stream.concat(s.objects.launcher(s.launcherName()).stream(), s.objects.workerPods(s.attempt()).stream())
        .map(PodStall::of).flatMap(Optional::stream).findFirst();
  }
}
