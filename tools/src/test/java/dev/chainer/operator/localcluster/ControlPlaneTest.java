package dev.chainer.operator.localcluster;

import static dev.chainer.operator.testing.OperatorHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The in-process cluster's controllers, each against the behaviour Kubernetes documents: the StatefulSet controller,
 * the garbage collector, graceful pod deletion and the simulated kubelet's termination, eviction, OOM kill and lost
 * node.
 */
class ControlPlaneTest {
  private LocalApiServer api;
  private KubernetesClient client;
  private SimulatedKubelet kubelet;

  @BeforeEach
  void start() {
    api = LocalApiServer.start();
    client = api.client();
    kubelet = new SimulatedKubelet(client).terminationDelay(Duration.ofMillis(300)).start();
  }

  private final List<io.fabric8.kubernetes.client.Watch> watches = new java.util.ArrayList<>();

  @AfterEach
  void stop() {
    watches.forEach(io.fabric8.kubernetes.client.Watch::close);
    kubelet.close();
    api.close();
  }

  private StatefulSet set(String name, int replicas, String policy) {
    return client.apps().statefulSets().inNamespace("a").resource(new StatefulSetBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withReplicas(replicas).withServiceName(name).withPodManagementPolicy(policy)
        .withNewSelector().addToMatchLabels("set", name).endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("set", name)
        .addToLabels(JobLabels.MANAGED_BY, JobLabels.OPERATOR).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").endContainer().endSpec()
        .endTemplate().endSpec().build()).create();
  }

  private Pod pod(String name) {
    return TestPods.pod(client, name);
  }

  private void managedPod(String name) {
    TestPods.managedPod(client, name);
  }

  private List<String> podNames() {
    return client.pods().inNamespace("a").list().getItems().stream().map(p -> p.getMetadata().getName()).sorted()
        .toList();
  }

  private Pod running(String name) {
    return await(() -> pod(name), p -> p.getStatus() != null && "Running".equals(p.getStatus().getPhase()),
        name + " running");
  }

  @Test
  void aStatefulSetsPodsAreCreatedNamedOwnedAndAddressable() {
    StatefulSet set = set("w", 3, "Parallel");
    await(this::podNames, names -> names.equals(List.of("w-0", "w-1", "w-2")), "three pods");
    Pod p = pod("w-1");
    assertEquals(set.getMetadata().getUid(), p.getMetadata().getOwnerReferences().get(0).getUid());
    assertEquals(true, p.getMetadata().getOwnerReferences().get(0).getController());
    assertEquals("w-1", p.getSpec().getHostname());
    assertEquals("w", p.getSpec().getSubdomain());
    await(() -> client.apps().statefulSets().inNamespace("a").withName("w").get().getStatus(),
        s -> s != null && Integer.valueOf(3).equals(s.getReadyReplicas()), "three ready replicas");
  }

  @Test
  void aFailedOrDeletedPodIsReplacedUnderTheSameNameWithANewUid() {
    set("w", 2, "Parallel");
    String failedUid = running("w-0").getMetadata().getUid();
    kubelet.oomKill("a", "w-0");
    Pod replaced = await(() -> pod("w-0"), p -> !p.getMetadata().getUid().equals(failedUid), "w-0 replaced");
    assertNotEquals(failedUid, replaced.getMetadata().getUid());
    String deletedUid = running("w-1").getMetadata().getUid();
    client.pods().inNamespace("a").withName("w-1").delete();
    await(() -> pod("w-1"), p -> !p.getMetadata().getUid().equals(deletedUid), "w-1 replaced");
  }

  @Test
  void scalingFollowsReplicasHighestOrdinalFirst() {
    set("w", 3, "Parallel");
    await(this::podNames, n -> n.size() == 3, "three pods");
    client.apps().statefulSets().inNamespace("a").withName("w").scale(1);
    await(this::podNames, n -> n.equals(List.of("w-0")), "scaled to one");
    client.apps().statefulSets().inNamespace("a").withName("w").scale(2);
    await(this::podNames, n -> n.equals(List.of("w-0", "w-1")), "scaled to two");
  }

  @Test
  void orderedReadyCreatesEachPodOnceThePreviousOneIsReady() {
    kubelet.scheduling(false);
    set("w", 3, "OrderedReady");
    await(this::podNames, n -> n.equals(List.of("w-0")), "only the first pod");
    assertEquals(List.of("w-0"), podNames());
    kubelet.scheduling(true);
    await(this::podNames, n -> n.size() == 3, "all three, one after the other");
  }

  @Test
  void aPodWithTheSetsNameThatTheSetDoesNotOwnIsLeftAlone() {
    client.pods().inNamespace("a").resource(new PodBuilder().withNewMetadata().withName("w-0").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("b").endContainer().endSpec().build()).create();
    String uid = pod("w-0").getMetadata().getUid();
    set("w", 2, "Parallel");
    await(this::podNames, n -> n.contains("w-1"), "w-1 created");
    assertEquals(uid, pod("w-0").getMetadata().getUid());
    assertTrue(pod("w-0").getMetadata().getOwnerReferences().isEmpty());
  }

  @Test
  void aDeletedPodTerminatesGracefullyWith143ThenGoes() {
    managedPod("p");
    running("p");
    List<Integer> exits = exitCodesOf("p");
    client.pods().inNamespace("a").withName("p").delete();
    Pod terminating = pod("p");
    assertNotNull(terminating, "still listed while its containers stop");
    assertNotNull(terminating.getMetadata().getDeletionTimestamp());
    await(() -> pod("p") == null, gone -> gone, "removed after termination");
    await(() -> exits, e -> e.contains(143), "exit code 143 reported before the removal");
  }

  /** Every exit code the pod's container reports, as a watch sees each version of the pod. */
  private List<Integer> exitCodesOf(String name) {
    List<Integer> exits = new java.util.concurrent.CopyOnWriteArrayList<>();
    watches.add(client.pods().inNamespace("a").withName(name).watch(new io.fabric8.kubernetes.client.Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
          pod.getStatus().getContainerStatuses().stream().filter(c -> c.getState().getTerminated() != null)
              .forEach(c -> exits.add(c.getState().getTerminated().getExitCode()));
        }
      }

      @Override
      public void onClose(io.fabric8.kubernetes.client.WatcherException cause) {
      }
    }));
    return exits;
  }

  @Test
  void aShortGracePeriodEndsInSigkill137AndAnUnboundPodGoesAtOnce() {
    kubelet.terminationDelay(Duration.ofSeconds(3));
    managedPod("p");
    running("p");
    List<Integer> exits = exitCodesOf("p");
    client.pods().inNamespace("a").withName("p").withGracePeriod(1).delete();
    await(() -> pod("p") == null, gone -> gone, "removed after the grace period");
    await(() -> exits, e -> e.contains(137), "exit code 137: killed at the end of the grace period");
    kubelet.scheduling(false);
    client.pods().inNamespace("a").resource(new PodBuilder().withNewMetadata().withName("unbound").endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("b").endContainer().endSpec().build()).create();
    client.pods().inNamespace("a").withName("unbound").delete();
    assertNull(pod("unbound"), "a pod on no node is removed at once");
  }

  @Test
  void evictionOomKillAndALostNodeAreWhatTheKubeletReports() {
    set("w", 3, "Parallel");
    running("w-0");
    running("w-1");
    String lostUid = running("w-2").getMetadata().getUid();
    api.garbageCollector().pause(); // keep the evidence: no replacement races the assertions below
    kubelet.scheduling(false);
    kubelet.evict("a", "w-0");
    Pod evicted = pod("w-0");
    assertEquals("Failed", evicted.getStatus().getPhase());
    assertEquals("Evicted", evicted.getStatus().getReason());
    kubelet.oomKill("a", "w-1");
    assertEquals("OOMKilled", pod("w-1").getStatus().getContainerStatuses().get(0).getState().getTerminated()
        .getReason());
    kubelet.loseNode("a", "w-2");
    Pod after = pod("w-2");
    assertTrue(after == null || !after.getMetadata().getUid().equals(lostUid), "removed at once, maybe replaced");
  }

  @Test
  void backgroundDeletionRemovesDependentsByOwnerUid() {
    StatefulSet set = set("w", 2, "Parallel");
    await(this::podNames, n -> n.size() == 2, "two pods");
    client.configMaps().inNamespace("a").resource(new ConfigMapBuilder().withNewMetadata().withName("dep")
        .withOwnerReferences(new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("StatefulSet")
            .withName("w").withUid(set.getMetadata().getUid()).build()).endMetadata().build()).create();
    client.apps().statefulSets().inNamespace("a").withName("w").withPropagationPolicy(DeletionPropagation.BACKGROUND)
        .delete();
    assertNull(client.apps().statefulSets().inNamespace("a").withName("w").get(), "the owner goes at once");
    // a new set under the old name owns nothing of the old one's
    set("w", 0, "Parallel");
    await(this::podNames, List::isEmpty, "the old pods collected");
    await(() -> client.configMaps().inNamespace("a").withName("dep").get() == null, gone -> gone, "dep collected");
  }

  @Test
  void foregroundDeletionKeepsTheOwnerUntilItsDependentsAreGone() {
    set("w", 2, "Parallel");
    await(this::podNames, n -> n.size() == 2, "two pods");
    client.apps().statefulSets().inNamespace("a").withName("w").withPropagationPolicy(DeletionPropagation.FOREGROUND)
        .delete();
    StatefulSet marked = client.apps().statefulSets().inNamespace("a").withName("w").get();
    assertNotNull(marked, "kept while its pods terminate");
    assertTrue(marked.getMetadata().getFinalizers().contains("foregroundDeletion"));
    await(() -> client.apps().statefulSets().inNamespace("a").withName("w").get() == null, gone -> gone,
        "the owner goes last");
    assertEquals(List.of(), podNames());
  }

  @Test
  void orphanDeletionLeavesTheDependentsWithoutTheReference() {
    set("w", 2, "Parallel");
    await(this::podNames, n -> n.size() == 2, "two pods");
    client.apps().statefulSets().inNamespace("a").withName("w").withPropagationPolicy(DeletionPropagation.ORPHAN)
        .delete();
    await(() -> client.apps().statefulSets().inNamespace("a").withName("w").get() == null, gone -> gone,
        "the owner goes");
    assertEquals(List.of("w-0", "w-1"), podNames());
    assertTrue(pod("w-0").getMetadata().getOwnerReferences().isEmpty());
  }

  @Test
  void aPausedCollectorLeavesLeftoversUntilItResumes() {
    set("w", 1, "Parallel");
    await(this::podNames, n -> n.size() == 1, "one pod");
    api.garbageCollector().pause();
    client.apps().statefulSets().inNamespace("a").withName("w").delete();
    await(() -> client.apps().statefulSets().inNamespace("a").withName("w").get() == null, gone -> gone, "set gone");
    assertEquals(List.of("w-0"), podNames(), "GC lag: the pod is still there");
    api.garbageCollector().resume();
    await(this::podNames, List::isEmpty, "collected after resuming");
  }
}
