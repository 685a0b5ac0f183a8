package dev.chainer.operator.render;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The objects that run one job. A single-process job has only the launcher (and a pull Secret when it
 * has registry credentials); an MPI job also has the Service, ConfigMap, SSH Secret and worker StatefulSet.
 */
public record DesiredObjects(
    Optional<Service> workerService,
    Optional<ConfigMap> mpiConfigMap,
    Optional<Secret> sshSecret,
    Optional<Secret> registrySecret,
    Optional<StatefulSet> workers,
    Optional<GenericKubernetesResource> podGroup,
    Optional<PersistentVolumeClaim> outputsClaim,
    Pod launcher) {

  /** Every object, in the order they are best created (launcher last). */
  public List<HasMetadata> all() {
    List<HasMetadata> all = new ArrayList<>();
    outputsClaim.ifPresent(all::add);
    workerService.ifPresent(all::add);
    mpiConfigMap.ifPresent(all::add);
    sshSecret.ifPresent(all::add);
    registrySecret.ifPresent(all::add);
    podGroup.ifPresent(all::add);
    workers.ifPresent(all::add);
    all.add(launcher);
    return all;
  }
}
