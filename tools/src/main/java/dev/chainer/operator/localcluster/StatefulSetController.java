package dev.chainer.operator.localcluster;

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
import java.time.Duration;
import java.time.Instant;
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
 *
 * <p>When the API server refuses to create a pod (PodSecurity or ResourceQuota admission: 403; validation: 422; any
 * error but AlreadyExists), the controller does what Kubernetes' does (stateful_pod_control.go, CreateStatefulPod and
 * recordPodEvent): it records a Warning Event {@code FailedCreate} on the StatefulSet with the message
 * {@code create Pod <pod> in StatefulSet <set> failed error: <the server's message>}, creates nothing more in that
 * sync (OrderedReady stops at the first error; Parallel's slow-start batch of one does too), and the sync fails, so
 * the set is tried again after the workqueue's per-item exponential backoff: here from {@link #FIRST_RETRY} doubling up
 * to {@link #MAX_RETRY} (Kubernetes: 5 ms up to 1000 s), at once if the set or one of its pods changes. No pod
 * appears and the set's status says nothing of it (it counts the pods that exist); the same refusal again adds to the
 * same Event's count ({@link EventRecorder}).
 */
public final class StatefulSetController implements AutoCloseable {
  /** The first wait before a set whose pod was refused is synced again; it doubles with each refusal. */
  static final Duration FIRST_RETRY = Duration.ofMillis(50);
  /** The longest such wait (scaled down from the workqueue's 1000 s, so that tests see the retry). */
  static final Duration MAX_RETRY = Duration.ofSeconds(2);
  private final KubernetesClient client;
  private final EventRecorder events;
  /** Sets whose last sync had a pod refused, by namespace/name (only the loop's thread touches it). */
  private final Map<String, Retry> retries = new java.util.HashMap<>();
  private final ScheduledExecutorService loop = ControlLoop.daemon("statefulset-controller");
  private SharedIndexInformer<StatefulSet> sets;
  private SharedIndexInformer<Pod> pods;

  /**
   * When a set whose pod was refused may be synced again, the wait after the next refusal, and what of the set and its
   * pods the failed sync saw ({@link #observed}).
   */
  private record Retry(Instant notBefore, Duration next, String observed) {}

  /**
   * The set's generation and its pods' resourceVersions: the informer events that queue a set in Kubernetes (an update
   * of its spec, an update of one of its pods), which sync it at once even while it backs off.
   */
  private static String observed(StatefulSet set, Map<String, Pod> byName) {
    String prefix = set.getMetadata().getNamespace() + "/" + set.getMetadata().getName() + "-";
    StringBuilder out = new StringBuilder(String.valueOf(set.getMetadata().getGeneration()));
    byName.entrySet().stream().filter(e -> e.getKey().startsWith(prefix)).map(Map.Entry::getValue)
        .filter(p -> ownedBy(p, set)).sorted(Comparator.comparing(p -> p.getMetadata().getName()))
        .forEach(p -> out.append(',').append(p.getMetadata().getName()).append('@')
            .append(p.getMetadata().getResourceVersion()));
    return out.toString();
  }

  public StatefulSetController(KubernetesClient client) {
    this.client = client;
    this.events = new EventRecorder(client, "statefulset-controller");
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
    Instant now = Instant.now();
    for (StatefulSet set : sets.getStore().list()) {
      String key = set.getMetadata().getNamespace() + "/" + set.getMetadata().getName();
      Retry retry = retries.get(key);
      String seen = observed(set, byName);
      if (retry != null && now.isBefore(retry.notBefore()) && retry.observed().equals(seen)) {
        continue; // backing off; a change of its spec or of one of its pods would have queued it at once
      }
      try {
        if (set.getMetadata().getDeletionTimestamp() == null) {
          if (sync(set, byName)) {
            retries.remove(key); // the workqueue forgets an item once it syncs
          } else {
            Duration wait = retry == null ? FIRST_RETRY : retry.next();
            Duration next = wait.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait.multipliedBy(2);
            retries.put(key, new Retry(now.plus(wait), next, seen));
          }
        }
      } catch (KubernetesClientException e) {
        // a stale cache (409, 404): the next round sees the world afresh
      } catch (RuntimeException e) {
        System.err.println("statefulset-controller: " + e);
      }
    }
    if (!retries.isEmpty()) { // a deleted set is forgotten
      java.util.Set<String> present = new java.util.HashSet<>();
      sets.getStore().list().forEach(s -> present.add(s.getMetadata().getNamespace() + "/"
          + s.getMetadata().getName()));
      retries.keySet().retainAll(present);
    }
  }

  /** One sync of the set; false when the server refused a pod (the sync then fails and is retried later). */
  private boolean sync(StatefulSet set, Map<String, Pod> byName) {
    String ns = set.getMetadata().getNamespace();
    int replicas = set.getSpec().getReplicas() == null ? 1 : set.getSpec().getReplicas();
    boolean ordered = !"Parallel".equals(set.getSpec().getPodManagementPolicy());
    int ready = 0;
    int current = 0;
    boolean refused = false;
    for (int i = 0; i < replicas; i++) {
      String name = set.getMetadata().getName() + "-" + i;
      Optional<Pod> pod = Optional.ofNullable(byName.get(ns + "/" + name));
      if (pod.isEmpty()) {
        refused = refused || !create(set, name); // after a refusal nothing more is created in this sync
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
    if (!refused) {
      scaleDown(set, byName, replicas); // the real sync returns at the failed create, before the condemned pods
    }
    updateStatus(set, replicas, current, ready);
    return !refused;
  }

  /**
   * Creates the set's pod; false when the server refused it, after recording the refusal as the real controller does.
   * AlreadyExists is sunk, as there (a stale cache: the next round sees the pod).
   */
  private boolean create(StatefulSet set, String name) {
    try {
      createPod(set, name);
      return true;
    } catch (KubernetesClientException e) {
      if (e.getCode() == 409) {
        return true;
      }
      String why = e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage()
          : e.getMessage();
      events.warning(set, "FailedCreate", "create Pod " + name + " in StatefulSet " + set.getMetadata().getName()
          + " failed error: " + why);
      return false;
    }
  }

  private void createPod(StatefulSet set, String name) {
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
