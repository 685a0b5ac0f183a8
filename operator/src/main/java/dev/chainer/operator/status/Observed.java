package dev.chainer.operator.status;

import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What the cluster holds under one job's name, as read from the operator's caches: every object labelled with
 * the job's name, whoever owns it (PodGroups and Kueue Workloads among {@code integrations}) ({@link JobObjects}
 * sorts that out), the objects without the label that a create ran into ({@code conflicts}: the caches never see
 * those), and the last state of the job's pods that are gone lately ({@code lastStates}: what the watch said of each
 * before its deletion, such as the DisruptionTarget condition of a pod removed with its node; not among
 * {@link #all()}, which is what exists).
 */
public record Observed(
    List<StatefulSet> statefulSets,
    List<Pod> pods,
    List<Service> services,
    List<ConfigMap> configMaps,
    List<Secret> secrets,
    List<GenericKubernetesResource> integrations,
    List<ObjectRef> conflicts,
    List<Pod> lastStates) {

  /** An observation of no pod that is gone. */
  public Observed(List<StatefulSet> statefulSets, List<Pod> pods, List<Service> services, List<ConfigMap> configMaps,
      List<Secret> secrets, List<GenericKubernetesResource> integrations, List<ObjectRef> conflicts) {
    this(statefulSets, pods, services, configMaps, secrets, integrations, conflicts, List.of());
  }

  /** An observation without the kinds of optional integrations (PodGroups, Workloads). */
  public Observed(List<StatefulSet> statefulSets, List<Pod> pods, List<Service> services, List<ConfigMap> configMaps,
      List<Secret> secrets, List<ObjectRef> conflicts) {
    this(statefulSets, pods, services, configMaps, secrets, List.of(), conflicts);
  }

  /** The same observation, plus an object a create found already there and not the job's. */
  public Observed withConflict(ObjectRef conflict) {
    List<ObjectRef> all = new ArrayList<>(conflicts);
    all.add(conflict);
    return new Observed(statefulSets, pods, services, configMaps, secrets, integrations, List.copyOf(all),
        lastStates);
  }

  /** The same observation, with the last states of the job's pods that are gone. */
  public Observed withLastStates(List<Pod> gone) {
    return new Observed(statefulSets, pods, services, configMaps, secrets, integrations, conflicts, List.copyOf(gone));
  }

  public Stream<HasMetadata> all() {
    return Stream.<List<? extends HasMetadata>>of(statefulSets, pods, services, configMaps, secrets, integrations)
        .flatMap(List::stream).map(HasMetadata.class::cast);
  }

  /** The attempt a worker StatefulSet, pod or SSH Secret belongs to, from its label; -1 when unlabelled. */
  public static int attemptOf(HasMetadata o) {
    String value = label(o, JobLabels.ATTEMPT);
    try {
      return value == null ? -1 : Integer.parseInt(value);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public static String label(HasMetadata o, String key) {
    return o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(key);
  }
}
