package dev.chainer.operator.status;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Why a pod of the job is stuck before it runs, in the pod's own words: the scheduler cannot place it
 * (PodScheduled=False, Unschedulable: a missing claim, too few GPUs, a taint), its image cannot be pulled, or a
 * container cannot be created (a Secret or ConfigMap it names is missing). The kubelet and the scheduler keep
 * trying, so none of these is a failure by itself; the job says so, and gives up after a while for those that do
 * not clear by themselves.
 *
 * @param reason the job's reason: Unschedulable, ImagePullBackOff (also for ErrImagePull, between which the kubelet
 *     alternates), InvalidImageName or CreateContainerConfigError (also CreateContainerError)
 */
public record PodStall(String reason, String pod, String message) {
  public static final String UNSCHEDULABLE = "Unschedulable";
  private static final Map<String, String> WAITING = Map.of(
      "ErrImagePull", "ImagePullBackOff", "ImagePullBackOff", "ImagePullBackOff",
      "InvalidImageName", "InvalidImageName",
      "CreateContainerConfigError", "CreateContainerConfigError", "CreateContainerError", "CreateContainerConfigError");
  /** The job's reasons for a stalled pod. */
  public static final List<String> REASONS = List.of(UNSCHEDULABLE, "ImagePullBackOff", "InvalidImageName",
      "CreateContainerConfigError");
  /** The longest pod message kept on the job's status. */
  private static final int MAX_MESSAGE = 512;

  public static Optional<PodStall> of(Pod pod) {
    if (pod.getStatus() == null || PodFacts.isTerminating(pod)) {
      return Optional.empty();
    }
    String name = pod.getMetadata().getName();
    if (pod.getStatus().getConditions() != null) {
      for (PodCondition c : pod.getStatus().getConditions()) {
        if ("PodScheduled".equals(c.getType()) && "False".equals(c.getStatus()) && UNSCHEDULABLE.equals(c.getReason())) {
          return Optional.of(new PodStall(UNSCHEDULABLE, name, UNSCHEDULABLE + bounded(c.getMessage())));
        }
      }
    }
    return Stream.concat(stream(pod.getStatus().getInitContainerStatuses()),
            stream(pod.getStatus().getContainerStatuses()))
        .filter(s -> s.getState() != null && s.getState().getWaiting() != null
            && s.getState().getWaiting().getReason() != null && WAITING.containsKey(s.getState().getWaiting().getReason()))
        .findFirst()
        .map(s -> new PodStall(WAITING.get(s.getState().getWaiting().getReason()), name, "container " + s.getName()
            + ": " + s.getState().getWaiting().getReason() + bounded(s.getState().getWaiting().getMessage())));
  }

  /** Whether the kubelet or scheduler may still clear it without anybody's help (capacity may free up). */
  public boolean mayClear() {
    return UNSCHEDULABLE.equals(reason);
  }

  /** e.g. "pod train-worker-0: container worker: ErrImagePull: rpc error: ...". */
  @Override
  public String toString() {
    return "pod " + pod + ": " + message;
  }

  private static String bounded(String m) {
    if (m == null || m.isBlank()) {
      return "";
    }
    return ": " + (m.length() > MAX_MESSAGE ? m.substring(0, MAX_MESSAGE) + "..." : m);
  }

  private static Stream<ContainerStatus> stream(List<ContainerStatus> list) {
    return list == null ? Stream.empty() : list.stream();
  }
}
