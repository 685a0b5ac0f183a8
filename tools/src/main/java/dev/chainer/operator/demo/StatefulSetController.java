package dev.chainer.operator.demo;

import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The StatefulSet controller of the in-process cluster, as Kubernetes documents it: pod {@code <set>-<ordinal>} for
 * each ordinal below {@code replicas}, with a controller owner reference to the set's uid, its template's labels,
 * hostname and subdomain; created all at once ({@code Parallel}) or each once the previous one is Running and
 * Ready ({@code OrderedReady}); a pod that failed or succeeded is deleted and created again under the same name
 * (with a new uid) once it is gone; pods at or above {@code replicas} are deleted, highest ordinal first; the
 * set's status counts its pods. A pod with a set's name that the set does not own is left alone.
 */
public final class StatefulSetController implements AutoCloseable {
  private final KubernetesClient client;
  private final ScheduledExecutorService loop = ControlLoop.daemon("statefulset-controller");
  private SharedIndexInformer<StatefulSet> sets;
  private SharedIndexInformer<Pod> pods;

  public StatefulSetController(KubernetesClient client) {
    this.client = client;
  }

  public StatefulSetController start() {
    sets = client.apps().statefulSets().inAnyNamespace().inform();
    pods = client.pods().inAnyNamespace().inform();
    loop.scheduleWithFixedDelay(this::syncAll, 0, 50, TimeUnit.MILLISECONDS);
    return this;
  }

  private void syncAll() {
    Map<String, Pod> byName = pods.getStore().list().stream().collect(Collectors.toMap(
        p -> p.getMetadata().getNamespace() + "/" + p.getMetadata().getName(), Function.identity(), (a, b) -> a));
    for (StatefulSet set : sets.getStore().list()) {
      try {
        if (set.getMetadata().getDeletionTimestamp() == null) {
          sync(set, byName);
        }
      } catch (KubernetesClientException e) {
        // a stale cache (409, 404): the next round sees the world afresh
      } catch (RuntimeException e) {
        System.err.println("statefulset-controller: " + e);
      }
    }
  }

  private void sync(StatefulSet set, Map<String, Pod> byName) {
    String ns = set.getMetadata().getNamespace();
    int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
    boolean ordered = !"Parallel".equals(set.getSpec().getPodManagementPolicy());
    int ready = 0;
    int current = 0;
    for (int i = 0; i < replicas; i++) {
      String name = set.getMetadata().getName() + "-" + i;
      Optional<Pod> pod = Optional.ofNullable(byName.get(ns + "/" + name));
      if (pod.isEmpty()) {
        create(set, name);
        if (ordered) {
          break;
        }
        continue;
      }
      if (!ownedBy(pod.get(), set)) {
        continue; // not ours: a real controller reports a conflict and never touches it
      }
      current++;
      String phase = pod.get().getStatus() == null ? null : pod.get().getStatus().getPhase();
      if (("Failed".equals(phase) || "Succeeded".equals(phase)) && pod.get().getMetadata().getDeletionTimestamp() == null) {
        client.pods().inNamespace(ns).withName(name).delete(); // recreated once it is gone
      }
      boolean isReady = isRunningAndReady(pod.get());
      if (isReady) {
        ready++;
      } else if (ordered) {
        break;
      }
    }
    scaleDown(set, byName, replicas);
    updateStatus(set, replicas, current, ready);
  }

  private void create(StatefulSet set, String name) {
    var template = set.getSpec().getTemplate();
    client.pods().inNamespace(set.getMetadata().getNamespace()).resource(new PodBuilder()
        .withNewMetadata().withName(name).withNamespace(set.getMetadata().getNamespace())
        .withLabels(template.getMetadata() == null ? null : template.getMetadata().getLabels())
        .addToLabels("statefulset.kubernetes.io/pod-name", name)
        .withAnnotations(template.getMetadata() == null ? null : template.getMetadata().getAnnotations())
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("StatefulSet")
            .withName(set.getMetadata().getName()).withUid(set.getMetadata().getUid()).withController(true)
            .withBlockOwnerDeletion(true).build())
        .endMetadata()
        .withSpec(template.getSpec())
        .editSpec().withHostname(name).withSubdomain(set.getSpec().getServiceName()).endSpec()
        .build()).create();
  }

  private void scaleDown(StatefulSet set, Map<String, Pod> byName, int replicas) {
    String prefix = set.getMetadata().getNamespace() + "/" + set.getMetadata().getName() + "-";
    byName.entrySet().stream().filter(e -> e.getKey().startsWith(prefix))
        .filter(e -> ownedBy(e.getValue(), set))
        .filter(e -> ordinal(e.getKey().substring(prefix.length())) >= replicas)
        .filter(e -> e.getValue().getMetadata().getDeletionTimestamp() == null)
        .max(Comparator.comparingInt(e -> ordinal(e.getKey().substring(prefix.length()))))
        .ifPresent(e -> client.pods().inNamespace(set.getMetadata().getNamespace())
            .withName(e.getValue().getMetadata().getName()).delete());
  }

  private void updateStatus(StatefulSet set, int replicas, int current, int ready) {
    var status = set.getStatus();
    if (status != null && Integer.valueOf(current).equals(status.getReplicas())
        && Integer.valueOf(ready).equals(status.getReadyReplicas())
        && set.getMetadata().getGeneration() != null
        && set.getMetadata().getGeneration().equals(status.getObservedGeneration())) {
      return;
    }
    StatefulSet updated = new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder(set)
        .withStatus(new StatefulSetStatusBuilder().withReplicas(current).withReadyReplicas(ready)
            .withAvailableReplicas(ready).withCurrentReplicas(current)
            .withObservedGeneration(set.getMetadata().getGeneration()).build()).build();
    client.apps().statefulSets().inNamespace(set.getMetadata().getNamespace()).resource(updated).updateStatus();
  }

  static boolean ownedBy(Pod pod, StatefulSet set) {
    List<OwnerReference> refs = pod.getMetadata().getOwnerReferences();
    return refs != null && refs.stream().anyMatch(r -> Boolean.TRUE.equals(r.getController())
        && set.getMetadata().getUid().equals(r.getUid()));
  }

  private static boolean isRunningAndReady(Pod pod) {
    if (pod.getStatus() == null || !"Running".equals(pod.getStatus().getPhase())) {
      return false;
    }
    List<PodCondition> conditions = pod.getStatus().getConditions();
    return conditions != null && conditions.stream().anyMatch(c -> "Ready".equals(c.getType())
        && "True".equals(c.getStatus()));
  }

  private static int ordinal(String suffix) {
    try {
      return Integer.parseInt(suffix);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public void close() {
    loop.shutdownNow();
    if (sets != null) {
      sets.close();
      pods.close();
    }
  }
}
