package dev.chainer.operator.status;

import io.fabric8.kubernetes.api.model.ContainerStateTerminated;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** What a pod's status says, in the terms the job's status needs. */
public final class PodFacts {
  /** Waiting reasons worth showing on the job while it waits (not failures: the kubelet keeps trying). */
  private static final Set<String> NOTEWORTHY_WAITING = Set.of("ImagePullBackOff", "ErrImagePull",
      "InvalidImageName", "CreateContainerConfigError", "CreateContainerError", "CrashLoopBackOff");

  private PodFacts() {}

  public static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "Pending" : pod.getStatus().getPhase();
  }

  /** Succeeded or Failed: its containers will not run again. */
  public static boolean isFinished(Pod pod) {
    String phase = phase(pod);
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  public static boolean isTerminating(Pod pod) {
    return pod.getMetadata().getDeletionTimestamp() != null;
  }

  public static boolean isReady(Pod pod) {
    return "Running".equals(phase(pod)) && condition(pod, "Ready");
  }

  public static boolean isScheduled(Pod pod) {
    return condition(pod, "PodScheduled") || !"Pending".equals(phase(pod)) || hasContainerStatuses(pod);
  }

  /** Scheduled but still running init steps (fetching code, copying data, installing packages). */
  public static boolean isInitializing(Pod pod) {
    if (!"Pending".equals(phase(pod)) || pod.getStatus() == null) {
      return false;
    }
    List<ContainerStatus> init = pod.getStatus().getInitContainerStatuses();
    return init != null && !init.isEmpty() && init.stream().anyMatch(s -> !terminatedOk(s));
  }

  private static boolean terminatedOk(ContainerStatus s) {
    return s.getState() != null && s.getState().getTerminated() != null
        && Integer.valueOf(0).equals(s.getState().getTerminated().getExitCode());
  }

  private static boolean hasContainerStatuses(Pod pod) {
    return pod.getStatus() != null && ((pod.getStatus().getContainerStatuses() != null
        && !pod.getStatus().getContainerStatuses().isEmpty()) || (pod.getStatus().getInitContainerStatuses() != null
        && !pod.getStatus().getInitContainerStatuses().isEmpty()));
  }

  private static boolean condition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if (type.equals(c.getType())) {
        return "True".equals(c.getStatus());
      }
    }
    return false;
  }

  /** The terminated state of the named container, when it has ended. */
  public static Optional<ContainerStateTerminated> terminated(Pod pod, String container) {
    if (pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null) {
      return Optional.empty();
    }
    return pod.getStatus().getContainerStatuses().stream()
        .filter(s -> container.equals(s.getName()) && s.getState() != null && s.getState().getTerminated() != null)
        .map(s -> s.getState().getTerminated())
        .findFirst();
  }

  /**
   * Why a worker pod can no longer serve its MPI run: evicted or failed, a container that restarted
   * (sshd killed, OOMKilled), or an init step that failed. Empty while it is healthy.
   */
  public static Optional<AttemptFailure> workerFailure(Pod pod) {
    String name = "worker pod " + pod.getMetadata().getName();
    if (isFinished(pod)) {
      String reason = pod.getStatus().getReason() == null ? phase(pod) : pod.getStatus().getReason();
      // A container that ended with the pod says more (OOMKilled, its exit code) than the pod's phase.
      Optional<ContainerStateTerminated> ended = concat(pod.getStatus().getInitContainerStatuses(),
          pod.getStatus().getContainerStatuses()).stream().map(s -> s.getState() == null ? null
              : s.getState().getTerminated()).filter(t -> t != null && !Integer.valueOf(0).equals(t.getExitCode()))
          .findFirst();
      return Optional.of(new AttemptFailure(ended.map(t -> containerReason(t, FailureReason.WorkerFailed))
          .orElse(FailureReason.WorkerFailed), pod.getMetadata().getName(), name + " " + reason
          + ended.map(t -> " (" + describe(t) + ")").orElse("") + podMessage(pod)));
    }
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    for (ContainerStatus s : concat(pod.getStatus().getInitContainerStatuses(), pod.getStatus().getContainerStatuses())) {
      ContainerStateTerminated last = s.getLastState() == null ? null : s.getLastState().getTerminated();
      boolean restarted = s.getRestartCount() != null && s.getRestartCount() > 0;
      if (restarted && last != null && (last.getExitCode() == null || last.getExitCode() != 0)) {
        return Optional.of(new AttemptFailure(containerReason(last, FailureReason.WorkerFailed),
            pod.getMetadata().getName(), name + " container " + s.getName() + " " + describe(last)));
      }
    }
    return Optional.empty();
  }

  /** OOMKilled when the kernel killed the container for its memory, else the role's own reason. */
  public static FailureReason containerReason(ContainerStateTerminated t, FailureReason otherwise) {
    return "OOMKilled".equals(t.getReason()) ? FailureReason.OOMKilled : otherwise;
  }

  /** The most telling reason a pod is stuck waiting (image pull errors and the like), if any. */
  public static Optional<String> waitingProblem(Pod pod) {
    if (pod.getStatus() == null) {
      return Optional.empty();
    }
    for (ContainerStatus s : concat(pod.getStatus().getInitContainerStatuses(), pod.getStatus().getContainerStatuses())) {
      if (s.getState() != null && s.getState().getWaiting() != null
          && NOTEWORTHY_WAITING.contains(s.getState().getWaiting().getReason())) {
        return Optional.of(pod.getMetadata().getName() + ": " + s.getState().getWaiting().getReason()
            + message(s.getState().getWaiting().getMessage()));
      }
    }
    return Optional.empty();
  }

  /** The most the job's status and Events quote of a container's last output. */
  static final int LAST_WORDS = 600;

  /**
   * "; last output: ..." with the end of what a failed container printed (the kubelet keeps up to 80 lines or 2048
   * bytes of it as the terminated state's message, with terminationMessagePolicy FallbackToLogsOnError), so the
   * status says what mpirun or the script said last without pods/log; nothing when it printed nothing.
   */
  public static String lastWords(ContainerStateTerminated t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return "";
    }
    String text = m.strip();
    return "; last output: " + (text.length() > LAST_WORDS ? "..." + text.substring(text.length() - LAST_WORDS)
        : text);
  }

  /** e.g. "OOMKilled (exit code 137)". */
  public static String describe(ContainerStateTerminated t) {
    String reason = t.getReason() == null ? "Error" : t.getReason();
    return reason + " (exit code " + t.getExitCode() + ")";
  }

  private static String message(String m) {
    return m == null || m.isBlank() ? "" : ": " + m;
  }

  /** ": <the pod's status message>", or nothing when it has none. */
  static String podMessage(Pod pod) {
    return message(pod.getStatus() == null ? null : pod.getStatus().getMessage());
  }

  private static List<ContainerStatus> concat(List<ContainerStatus> a, List<ContainerStatus> b) {
    return java.util.stream.Stream.concat(a == null ? java.util.stream.Stream.empty() : a.stream(),
        b == null ? java.util.stream.Stream.empty() : b.stream()).toList();
  }
}
