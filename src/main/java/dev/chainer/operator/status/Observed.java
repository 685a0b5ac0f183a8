package dev.chainer.operator.status;

import dev.chainer.operator.render.JobLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Optional;

/** What the cluster holds of one job, as read from the operator's caches. */
public record Observed(
    Optional<StatefulSet> workers,
    List<Pod> workerPods,
    List<Pod> launcherPods,
    boolean hasService,
    boolean hasMpiConfigMap,
    boolean hasSshSecret,
    boolean hasRegistrySecret) {

  public static Observed nothing() {
    return new Observed(Optional.empty(), List.of(), List.of(), false, false, false, false);
  }

  public Optional<Pod> launcher(String name) {
    return launcherPods.stream().filter(p -> p.getMetadata().getName().equals(name)).findFirst();
  }

  /** The attempt a worker StatefulSet or pod belongs to, from its label; -1 when unlabelled. */
  public static int attemptOf(io.fabric8.kubernetes.api.model.HasMetadata o) {
    String value = o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(JobLabels.ATTEMPT);
    try {
      return value == null ? -1 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
