package dev.chainer.operator.localcluster;

import static dev.chainer.operator.testing.OperatorHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every way the in-process cluster takes a pod away marks it {@code DisruptionTarget=True} first, with the reason and
 * message the Kubernetes component that does it writes, as a watcher (an operator) sees it: scheduler preemption, the
 * Eviction API and taint-based eviction (then a graceful deletion: SIGTERM, 143, removal), a lost node (the pod
 * garbage collector: Failed, then forced deletion), node-pressure eviction and graceful node shutdown (the kubelet:
 * Failed, kept). A StatefulSet's pod taken away is made again under its name with a new uid. A cluster before 1.26
 * takes pods away without the condition.
 */
class DisruptionTargetTest {
  private LocalApiServer api;
  private KubernetesClient client;
  private SimulatedKubelet kubelet;
  private final List<Watch> watches = new ArrayList<>();

  @BeforeEach
  void start() {
    api = LocalApiServer.start();
    client = api.client();
    kubelet = new SimulatedKubelet(client).terminationDelay(Duration.ofMillis(300)).start();
  }

  @AfterEach
  void stop() {
    watches.forEach(Watch::close);
    kubelet.close();
    api.close();
  }

  static Stream<Arguments> gracefulDisruptions() {
    return Stream.of(
        Arguments.of("preempt", (Disruption) (k, ns, n) -> k.preempt(ns, n), DisruptionTarget.PREEMPTION_BY_SCHEDULER,
            "default-scheduler: preempting to accommodate a higher priority pod"),
        Arguments.of("evictThroughApi", (Disruption) (k, ns, n) -> assertTrue(k.evictThroughApi(ns, n)),
            DisruptionTarget.EVICTION_BY_EVICTION_API, "Eviction API: evicting"),
        Arguments.of("taintEvict", (Disruption) (k, ns, n) -> k.taintEvict(ns, n),
            DisruptionTarget.DELETION_BY_TAINT_MANAGER, "Taint manager: deleting due to NoExecute taint"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gracefulDisruptions")
  void aGracefulDisruptionMarksThePodThenTerminatesItWith143(String how, Disruption disruption, String reason,
      String message) {
    managedPod("p");
    running("p");
    History history = watch("p");
    disruption.apply(kubelet, "a", "p");
    await(() -> pod("p") == null, gone -> gone, "p removed");
    await(history::deleted, deleted -> deleted, "the removal seen");
    int marked = history.first(v -> condition(v).isPresent());
    assertTrue(marked >= 0, "never marked: " + history);
    PodCondition condition = condition(history.versions.get(marked)).get();
    assertEquals("True", condition.getStatus());
    assertEquals(reason, condition.getReason());
    assertEquals(message, condition.getMessage());
    assertTrue(condition.getLastTransitionTime() != null);
    assertTrue(marked <= history.first(v -> v.getMetadata().getDeletionTimestamp() != null),
        "marked before (or as) it is deleted: " + history);
    int stopped = history.first(v -> exitCode(v).isPresent());
    assertEquals(Optional.of(143), exitCode(history.versions.get(stopped)), "SIGTERM: " + history);
    assertTrue(condition(history.versions.get(stopped)).isPresent(), "the kubelet keeps the condition: " + history);
  }

  @Test
  void aLostNodesPodIsMarkedFailedByThePodGarbageCollectorThenGoesAtOnce() {
    managedPod("p");
    running("p");
    History history = watch("p");
    kubelet.loseNode("a", "p");
    assertEquals(null, pod("p"), "forced deletion: no kubelet is left to stop it");
    await(history::deleted, deleted -> deleted, "the removal seen");
    Pod marked = history.versions.get(history.first(v -> condition(v).isPresent()));
    assertEquals("Failed", marked.getStatus().getPhase());
    assertEquals(DisruptionTarget.DELETION_BY_POD_GC, condition(marked).get().getReason());
    assertEquals("PodGC: node no longer exists", condition(marked).get().getMessage());
    assertEquals(Optional.empty(), exitCode(marked), "nothing on the lost node reported an exit");
  }

  @Test
  void nodePressureEvictionAndNodeShutdownAreTheKubeletsFailedPodsWithTheCondition() {
    managedPod("evicted");
    managedPod("shutdown");
    running("evicted");
    running("shutdown");
    kubelet.evict("a", "evicted");
    Pod evicted = pod("evicted");
    assertEquals("Failed", evicted.getStatus().getPhase());
    assertEquals("Evicted", evicted.getStatus().getReason());
    assertTrue(evicted.getStatus().getMessage().startsWith("The node was low on resource: memory. "));
    assertEquals(DisruptionTarget.TERMINATION_BY_KUBELET, condition(evicted).get().getReason());
    assertEquals(evicted.getStatus().getMessage(), condition(evicted).get().getMessage());
    kubelet.shutdownNode("a", "shutdown");
    Pod shutdown = pod("shutdown");
    assertEquals("Failed", shutdown.getStatus().getPhase());
    assertEquals("Terminated", shutdown.getStatus().getReason());
    assertEquals("Pod was terminated in response to imminent node shutdown.", shutdown.getStatus().getMessage());
    assertEquals(DisruptionTarget.TERMINATION_BY_KUBELET, condition(shutdown).get().getReason());
    assertEquals(Optional.of(143), exitCode(shutdown));
  }

  @Test
  void aStatefulSetsPodTakenAwayIsMadeAgainUnderItsNameWithANewUid() {
    client.apps().statefulSets().inNamespace("a").resource(new StatefulSetBuilder()
        .withNewMetadata().withName("w").endMetadata()
        .withNewSpec().withReplicas(6).withServiceName("w").withPodManagementPolicy("Parallel")
        .withNewSelector().addToMatchLabels("set", "w").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("set", "w")
        .addToLabels(JobLabels.MANAGED_BY, JobLabels.OPERATOR).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
    List<Consumer<String>> disruptions = List.of(n -> kubelet.preempt("a", n),
        n -> assertTrue(kubelet.evictThroughApi("a", n)), n -> kubelet.taintEvict("a", n),
        n -> kubelet.loseNode("a", n), n -> kubelet.evict("a", n), n -> kubelet.shutdownNode("a", n));
    for (int i = 0; i < disruptions.size(); i++) {
      String name = "w-" + i;
      String uid = running(name).getMetadata().getUid();
      disruptions.get(i).accept(name);
      Pod again = await(() -> pod(name), p -> !p.getMetadata().getUid().equals(uid)
          && "Running".equals(p.getStatus() == null ? null : p.getStatus().getPhase()), name + " made again");
      assertNotEquals(uid, again.getMetadata().getUid());
      assertFalse(condition(again).isPresent(), "a new pod carries no condition of the old one");
    }
  }

  @Test
  void aClusterBefore126TakesPodsAwayWithoutTheCondition() {
    kubelet.disruptionConditions(false);
    api.disruptionConditions(false);
    List<History> histories = new ArrayList<>();
    for (String name : List.of("pre", "api", "taint", "gc", "pressure")) {
      managedPod(name);
      running(name);
      histories.add(watch(name));
    }
    kubelet.preempt("a", "pre");
    assertTrue(kubelet.evictThroughApi("a", "api"));
    kubelet.taintEvict("a", "taint");
    kubelet.loseNode("a", "gc");
    kubelet.evict("a", "pressure");
    for (String name : List.of("pre", "api", "taint", "gc")) {
      await(() -> pod(name) == null, gone -> gone, name + " removed");
    }
    assertEquals("Evicted", pod("pressure").getStatus().getReason(), "only the reason says so");
    histories.forEach(h -> assertEquals(-1, h.first(v -> condition(v).isPresent()), h.toString()));
  }

  @Test
  void theEvictionApiAnswers404ForAPodThatDoesNotExist() {
    KubernetesClientException e = assertThrows(KubernetesClientException.class,
        () -> kubelet.evictThroughApi("a", "nobody"));
    assertEquals(404, e.getCode());
    managedPod("old-client");
    running("old-client");
    assertTrue(client.pods().inNamespace("a").withName("old-client").evict(), "a policy/v1beta1 Eviction too");
    await(() -> pod("old-client") == null, gone -> gone, "evicted");
  }

  /** One way of taking a pod away. */
  interface Disruption {
    void apply(SimulatedKubelet kubelet, String namespace, String name);
  }

  /** Every version of one pod a watch saw, and whether it saw its removal. */
  private static final class History {
    final List<Pod> versions = new CopyOnWriteArrayList<>();
    volatile boolean deleted;

    boolean deleted() {
      return deleted;
    }

    int first(java.util.function.Predicate<Pod> test) {
      for (int i = 0; i < versions.size(); i++) {
        if (test.test(versions.get(i))) {
          return i;
        }
      }
      return -1;
    }

    @Override
    public String toString() {
      StringBuilder out = new StringBuilder();
      versions.forEach(p -> out.append("\n  ").append(p.getStatus() == null ? null : p.getStatus().getPhase())
          .append(" deleting=").append(p.getMetadata().getDeletionTimestamp()).append(" exit=").append(exitCode(p))
          .append(" condition=").append(condition(p).map(PodCondition::getReason).orElse(null)));
      return out.append(deleted ? "\n  DELETED" : "").toString();
    }
  }

  private History watch(String name) {
    History history = new History();
    watches.add(client.pods().inNamespace("a").withName(name).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        if (action == Action.DELETED) {
          history.deleted = true;
        } else {
          history.versions.add(pod);
        }
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    }));
    return history;
  }

  private static Optional<PodCondition> condition(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getConditions() == null ? Optional.empty()
        : pod.getStatus().getConditions().stream().filter(c -> DisruptionTarget.TYPE.equals(c.getType()))
            .findFirst();
  }

  private static Optional<Integer> exitCode(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getContainerStatuses() == null ? Optional.empty()
        : pod.getStatus().getContainerStatuses().stream().filter(c -> c.getState().getTerminated() != null)
            .map(c -> c.getState().getTerminated().getExitCode()).findFirst();
  }

  private Pod pod(String name) {
    return TestPods.pod(client, name);
  }

  private void managedPod(String name) {
    TestPods.managedPod(client, name);
  }

  private Pod running(String name) {
    return await(() -> pod(name), p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()),
        name + " running");
  }
}
