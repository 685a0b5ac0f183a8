package dev.chainer.operator.bench;

import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Watchable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The objects the operator made for the measured jobs, counted by kind as a watching client sees them appear
 * (distinct uids, so an object deleted and made again counts twice), keyed as the operator's request counts are
 * ("services", "apps/statefulsets", ...). Set against the operator's create requests of the same kind, the difference
 * is the creations the server refused (AlreadyExists: a creation repeated because the operator's cache had not yet
 * seen the first). Works the same on the in-process API server and on a real one.
 */
final class Creations implements AutoCloseable {
  private final Map<String, Set<String>> uids = new ConcurrentHashMap<>();
  private final List<Watch> watches = new ArrayList<>();
  private final String prefix;

  private Creations(String prefix) {
    this.prefix = prefix;
  }

  /** Watches the operator's objects in the namespace whose names start with the prefix (the measured jobs'). */
  static Creations watch(KubernetesClient client, String namespace, String prefix) {
    Creations c = new Creations(prefix);
    c.on("services", client.services().inNamespace(namespace).withLabel(JobLabels.MANAGED_BY, JobLabels.OPERATOR));
    c.on("configmaps", client.configMaps().inNamespace(namespace).withLabel(JobLabels.MANAGED_BY, JobLabels.OPERATOR));
    c.on("secrets", client.secrets().inNamespace(namespace).withLabel(JobLabels.MANAGED_BY, JobLabels.OPERATOR));
    c.on("apps/statefulsets", client.apps().statefulSets().inNamespace(namespace)
        .withLabel(JobLabels.MANAGED_BY, JobLabels.OPERATOR));
    // The launchers only: workers are the StatefulSet controller's creations, not the operator's.
    c.on("pods", client.pods().inNamespace(namespace).withLabel(JobLabels.ROLE, JobLabels.ROLE_LAUNCHER));
    return c;
  }

  private <T extends HasMetadata> void on(String kind, Watchable<T> objects) {
    Set<String> seen = uids.computeIfAbsent(kind, k -> ConcurrentHashMap.newKeySet());
    watches.add(objects.watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, T object) {
        if (action != Action.ERROR && object.getMetadata().getName().startsWith(prefix)) {
          seen.add(object.getMetadata().getUid());
        }
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    }));
  }

  /** Objects made so far, by kind. */
  Map<String, Long> counts() {
    Map<String, Long> out = new TreeMap<>();
    uids.forEach((kind, set) -> out.put(kind, (long) set.size()));
    return out;
  }

  @Override
  public void close() {
    watches.forEach(Watch::close);
  }
}
