package dev.chainer.operator.localcluster;

import dev.chainer.operator.localcluster.ImagePulls.Waiting;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * What keeps the kubelet from starting a bound pod's containers (kuberuntime's startContainer: the image first, then
 * the container's config), and the status it then reports. Init containers run one at a time: the first that cannot
 * start holds the pod, its status waiting with the reason, the later ones and every app container waiting
 * {@code PodInitializing}, condition Initialized False ({@code containers with incomplete status: [...]}). App
 * containers start independently: one that cannot start waits with the reason while the others run, and the pod stays
 * Pending (the kubelet's getPhase: any container waiting) and not Ready ({@code containers with unready status:
 * [...]}).
 */
final class ContainerStarts {
  final ImagePulls images = new ImagePulls();
  private final ContainerConfig config;

  ContainerStarts(ContainerConfig config) {
    this.config = config;
  }

  /** What keeps the container from starting at this sync: its image, then its environment. */
  Optional<Waiting> check(Pod pod, Container c, Instant now) {
    Optional<Waiting> image = images.ensure(pod.getMetadata().getUid(), c, now);
    if (image.isPresent() || !ContainerConfig.refersToObjects(c)) {
      return image;
    }
    return config.error(pod.getMetadata().getNamespace(), c).map(m -> new Waiting("CreateContainerConfigError", m));
  }

  /** The first init container that cannot start, by index, with why. */
  Optional<Map.Entry<Integer, Waiting>> initStall(Pod pod, Instant now) {
    List<Container> init = pod.getSpec().getInitContainers();
    for (int i = 0; i < init.size(); i++) {
      Optional<Waiting> w = check(pod, init.get(i), now);
      if (w.isPresent()) {
        return Optional.of(Map.entry(i, w.get()));
      }
    }
    return Optional.empty();
  }

  /** The app containers that cannot start, by name, with why. */
  Map<String, Waiting> appStalls(Pod pod, Instant now) {
    Map<String, Waiting> out = new LinkedHashMap<>();
    for (Container c : pod.getSpec().getContainers()) {
      check(pod, c, now).ifPresent(w -> out.put(c.getName(), w));
    }
    return out;
  }

  /** The pod held at init container {@code index}. */
  static PodStatus initStalled(Pod pod, int index, Waiting why) {
    List<Container> init = pod.getSpec().getInitContainers();
    List<ContainerStatus> initStatuses = new ArrayList<>();
    for (int i = 0; i < init.size(); i++) {
      Container c = init.get(i);
      initStatuses.add(i < index ? completed(c) : waiting(c, i == index ? why : new Waiting("PodInitializing", null)));
    }
    List<ContainerStatus> app = pod.getSpec().getContainers().stream()
        .map(c -> waiting(c, new Waiting("PodInitializing", null))).toList();
    List<String> incomplete = init.subList(index, init.size()).stream().map(Container::getName).toList();
    List<String> unready = pod.getSpec().getContainers().stream().map(Container::getName).toList();
    return new PodStatusBuilder().withPhase("Pending").withPodIP("10.0.0.1")
        .withConditions(condition("PodScheduled", null, null),
            condition("Initialized", "ContainersNotInitialized",
                "containers with incomplete status: " + list(incomplete)),
            condition("ContainersReady", "ContainersNotReady", "containers with unready status: " + list(unready)),
            condition("Ready", "ContainersNotReady", "containers with unready status: " + list(unready)))
        .withInitContainerStatuses(initStatuses).withContainerStatuses(app).build();
  }

  /** The pod initialized, with the app containers that cannot start waiting and the others running. */
  static PodStatus appStalled(Pod pod, Map<String, Waiting> stalls) {
    List<ContainerStatus> app = pod.getSpec().getContainers().stream()
        .map(c -> stalls.containsKey(c.getName()) ? waiting(c, stalls.get(c.getName())) : running(c)).toList();
    List<ContainerStatus> init = pod.getSpec().getInitContainers().stream().map(ContainerStarts::completed).toList();
    String unready = "containers with unready status: " + list(new ArrayList<>(stalls.keySet()));
    return new PodStatusBuilder().withPhase("Pending").withPodIP("10.0.0.1")
        .withConditions(condition("PodScheduled", null, null), condition("Initialized", null, null),
            condition("ContainersReady", "ContainersNotReady", unready),
            condition("Ready", "ContainersNotReady", unready))
        .withInitContainerStatuses(init.isEmpty() ? null : init).withContainerStatuses(app).build();
  }

  /** Whether writing {@code next} would change what the pod's status says of its containers. */
  static boolean changes(Pod pod, PodStatus next) {
    return pod.getStatus() == null || !"Pending".equals(pod.getStatus().getPhase())
        || !signature(pod.getStatus()).equals(signature(next));
  }

  private static String signature(PodStatus s) {
    return states(s.getInitContainerStatuses()) + "|" + states(s.getContainerStatuses());
  }

  private static String states(List<ContainerStatus> statuses) {
    return statuses == null ? "" : statuses.stream().map(c -> c.getName() + ":" + (c.getState() == null ? ""
        : c.getState().getWaiting() != null ? c.getState().getWaiting().getReason() + "/"
            + c.getState().getWaiting().getMessage()
            : c.getState().getRunning() != null ? "running" : "terminated")).collect(Collectors.joining(","));
  }

  /** Go's %v of a string slice. */
  private static String list(List<String> names) {
    return "[" + String.join(" ", names) + "]";
  }

  private static ContainerStatus waiting(Container c, Waiting why) {
    return new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withImageID("")
        .withReady(false).withStarted(false).withRestartCount(0)
        .withNewState().withNewWaiting().withReason(why.reason()).withMessage(why.message()).endWaiting().endState()
        .build();
  }

  private static ContainerStatus running(Container c) {
    return new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withReady(true).withStarted(true)
        .withRestartCount(0).withNewState().withNewRunning().withStartedAt(Instant.now().toString()).endRunning()
        .endState().build();
  }

  private static ContainerStatus completed(Container c) {
    return new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage()).withReady(true)
        .withRestartCount(0).withNewState().withNewTerminated().withExitCode(0).withReason("Completed")
        .withFinishedAt(Instant.now().toString()).endTerminated().endState().build();
  }

  /** True without a reason; False with one. */
  private static PodCondition condition(String type, String reason, String message) {
    return new PodConditionBuilder().withType(type).withStatus(reason == null ? "True" : "False").withReason(reason)
        .withMessage(message).build();
  }
}
