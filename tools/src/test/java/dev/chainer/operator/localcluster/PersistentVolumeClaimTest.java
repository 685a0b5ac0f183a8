package dev.chainer.operator.localcluster;

import static dev.chainer.operator.testing.OperatorHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * PersistentVolumeClaims in the in-process cluster as on a real one: refused as the API server validates them (422,
 * the field and the rule), their spec fixed once created except a bound claim's growing storage request; bound by the
 * volume binder unless their class never binds; and a pod that uses a claim that is missing or not bound is not
 * scheduled, saying why as the scheduler does, until the claim is there and bound.
 */
class PersistentVolumeClaimTest {
  private static final String CLAIM = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata:\n  name: data\n"
      + "  namespace: a\nspec:\n";
  private LocalApiServer api;
  private KubernetesClient client;
  private SimulatedKubelet kubelet;

  @BeforeEach
  void start() {
    api = LocalApiServer.start().unbindableStorageClass("slow");
    client = api.client();
    kubelet = new SimulatedKubelet(client).start();
  }

  @AfterEach
  void stop() {
    kubelet.close();
    api.close();
  }

  static Stream<Arguments> refused() {
    String storage = "  resources:\n    requests:\n      storage: 1Gi\n";
    return Stream.of(
        Arguments.of(CLAIM + storage, "spec.accessModes: Required value: at least 1 access mode is required"),
        Arguments.of(CLAIM + "  accessModes: [ReadWriteSometimes]\n" + storage, "spec.accessModes: Unsupported "
            + "value: \"ReadWriteSometimes\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", "
            + "\"ReadWriteOnce\", "
            + "\"ReadWriteOncePod\""),
        Arguments.of(CLAIM + "  accessModes: [ReadWriteOncePod, ReadWriteOnce]\n" + storage,
            "spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes"),
        Arguments.of(CLAIM + "  accessModes: [ReadWriteOnce]\n", "spec.resources[storage]: Required value"),
        Arguments.of(CLAIM + "  accessModes: [ReadWriteOnce]\n  resources:\n    requests:\n      storage: \"0\"\n",
            "spec.resources[storage]: Invalid value: \"0\": must be greater than zero"),
        Arguments.of(CLAIM + "  accessModes: [ReadWriteOnce]\n  storageClassName: Fast_SSD\n" + storage,
            "spec.storageClassName: Invalid value: \"Fast_SSD\": a lowercase RFC 1123 subdomain"),
        Arguments.of(CLAIM.replace("name: data", "name: Data") + "  accessModes: [ReadWriteOnce]\n" + storage,
            "metadata.name: Invalid value: \"Data\""),
        Arguments.of(CLAIM.replace("  namespace: a\n", "  namespace: a\n  labels:\n    \"a b\": c\n")
            + "  accessModes: [ReadWriteOnce]\n" + storage, "metadata.labels: Invalid value: \"a b\""));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void anInvalidClaimIsRefusedWithTheFieldAndTheRule(String yaml, String expected) {
    HasMetadata claim = Serialization.unmarshal(yaml);
    KubernetesClientException e = assertThrows(KubernetesClientException.class, () -> client.resource(claim).create());
    assertEquals(422, e.getCode());
    assertEquals("Invalid", e.getStatus().getReason());
    assertTrue(e.getStatus().getMessage().startsWith("PersistentVolumeClaim \""), e.getStatus().getMessage());
    assertTrue(e.getStatus().getMessage().contains(expected), () -> "expected '" + expected + "' in "
        + e.getStatus().getMessage());
  }

  @Test
  void aClaimIsBoundWithItsModesAndSizeAndAClassThatNeverBindsStaysPending() {
    claim("data", "standard", "1Gi");
    claim("waiting", "slow", "1Gi");
    PersistentVolumeClaim bound = await(() -> claim("data"), c -> phase(c).equals("Bound"), "data bound");
    assertEquals(List.of("ReadWriteOnce"), bound.getStatus().getAccessModes());
    assertEquals(new Quantity("1Gi"), bound.getStatus().getCapacity().get("storage"));
    assertEquals("pvc-" + bound.getMetadata().getUid(), bound.getSpec().getVolumeName());
    assertEquals("yes", bound.getMetadata().getAnnotations().get("pv.kubernetes.io/bind-completed"));
    sleep(VolumeBinder.PROVISIONING.multipliedBy(5));
    PersistentVolumeClaim waiting = claim("waiting");
    assertEquals("Pending", phase(waiting), "no provisioner for its class");
    assertNull(waiting.getSpec().getVolumeName());
  }

  @Test
  void aClaimsSpecIsFixedExceptABoundClaimsGrowingStorage() {
    claim("data", "standard", "1Gi");
    claim("waiting", "slow", "1Gi");
    await(() -> claim("data"), c -> phase(c).equals("Bound"), "data bound");
    await(() -> claim("waiting"), c -> phase(c).equals("Pending"), "waiting pending");

    KubernetesClientException otherClass = refusedUpdate("data", c -> {
      c.getSpec().setStorageClassName("fast");
      return c;
    });
    assertTrue(otherClass.getStatus().getMessage().contains("spec: Forbidden: spec is immutable after creation "
        + "except resources.requests and volumeAttributesClassName for bound claims"), otherClass.getMessage());
    assertTrue(otherClass.getStatus().getMessage().contains("StorageClassName: standard"), otherClass.getMessage());
    assertTrue(otherClass.getStatus().getMessage().contains("StorageClassName: fast"), otherClass.getMessage());
    assertEquals("FieldValueForbidden", otherClass.getStatus().getDetails().getCauses().get(0).getReason());

    KubernetesClientException otherModes = refusedUpdate("data", c -> {
      c.getSpec().setAccessModes(List.of("ReadWriteMany"));
      return c;
    });
    assertTrue(otherModes.getStatus().getMessage().contains("AccessModes: [ReadWriteMany]"), otherModes.getMessage());

    KubernetesClientException unboundGrows = refusedUpdate("waiting", c -> withStorage(c, "2Gi"));
    assertTrue(unboundGrows.getStatus().getMessage().contains("spec: Forbidden: spec is immutable"),
        "only a bound claim may grow: " + unboundGrows.getMessage());

    client.persistentVolumeClaims().inNamespace("a").withName("data").edit(c -> withStorage(c, "2Gi"));
    await(() -> claim("data"), c -> new Quantity("2Gi").equals(c.getStatus().getCapacity().get("storage")),
        "the volume expanded");

    KubernetesClientException shrinks = refusedUpdate("data", c -> withStorage(c, "1Gi"));
    assertTrue(shrinks.getStatus().getMessage().contains("spec.resources.requests.storage: Forbidden: field can not "
        + "be less than status.capacity"), shrinks.getMessage());
  }

  @Test
  void aPodWhoseClaimIsMissingIsUnschedulableUntilTheClaimIsCreatedAndBound() {
    pod("p", "data");
    Pod waiting = await(() -> pod("p"), p -> scheduled(p) != null && "False".equals(scheduled(p).getStatus()),
        "p unschedulable");
    assertEquals("Unschedulable", scheduled(waiting).getReason());
    assertEquals("0/1 nodes are available: persistentvolumeclaim \"data\" not found. preemption: 0/1 nodes are "
        + "available: 1 Preemption is not helpful for scheduling.", scheduled(waiting).getMessage());
    assertNull(waiting.getSpec().getNodeName(), "not bound to a node");
    assertEquals("Pending", waiting.getStatus().getPhase());

    claim("data", "standard", "1Gi");
    Pod running = await(() -> pod("p"), p -> "Running".equals(p.getStatus().getPhase()), "p running");
    assertEquals(SimulatedKubelet.NODE, running.getSpec().getNodeName());
    assertEquals("True", scheduled(running).getStatus());
  }

  @Test
  void aPodWhoseClaimIsNotBoundIsUnschedulableWithTheSchedulersMessage() {
    claim("waiting", "slow", "1Gi");
    claim("data", "standard", "1Gi");
    await(() -> claim("data"), c -> phase(c).equals("Bound"), "data bound");
    pod("p", "data", "waiting");
    Pod waiting = await(() -> pod("p"), p -> scheduled(p) != null && "False".equals(scheduled(p).getStatus()),
        "p unschedulable");
    assertEquals("0/1 nodes are available: pod has unbound immediate PersistentVolumeClaims. preemption: 0/1 nodes "
        + "are available: 1 Preemption is not helpful for scheduling.", scheduled(waiting).getMessage());
    sleep(Duration.ofMillis(500));
    assertNull(pod("p").getSpec().getNodeName(), "still not scheduled");
  }

  private KubernetesClientException refusedUpdate(String name, UnaryOperator<PersistentVolumeClaim> change) {
    KubernetesClientException e = assertThrows(KubernetesClientException.class,
        () -> client.persistentVolumeClaims().inNamespace("a").withName(name).edit(change));
    assertEquals(422, e.getCode(), e.getMessage());
    return e;
  }

  private static PersistentVolumeClaim withStorage(PersistentVolumeClaim claim, String size) {
    claim.getSpec().getResources().setRequests(Map.of("storage", new Quantity(size)));
    return claim;
  }

  private void claim(String name, String storageClass, String size) {
    client.persistentVolumeClaims().inNamespace("a").resource(new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withStorageClassName(storageClass)
        .withNewResources().addToRequests("storage", new Quantity(size)).endResources().endSpec().build()).create();
  }

  private PersistentVolumeClaim claim(String name) {
    return client.persistentVolumeClaims().inNamespace("a").withName(name).get();
  }

  private static String phase(PersistentVolumeClaim claim) {
    return claim.getStatus() == null || claim.getStatus().getPhase() == null ? "" : claim.getStatus().getPhase();
  }

  /** A pod of the operator's (the kubelet runs only those) mounting each claim. */
  private void pod(String name, String... claims) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName(name)
        .addToLabels(JobLabels.MANAGED_BY, JobLabels.OPERATOR).endMetadata()
        .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").withImage("b").endContainer()
        .endSpec();
    for (String claim : claims) {
      pod.editSpec().addNewVolume().withName(claim).withNewPersistentVolumeClaim().withClaimName(claim)
          .endPersistentVolumeClaim().endVolume().endSpec();
    }
    client.pods().inNamespace("a").resource(pod.build()).create();
  }

  private Pod pod(String name) {
    return client.pods().inNamespace("a").withName(name).get();
  }

  private static PodCondition scheduled(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getConditions() == null ? null : pod.getStatus().getConditions()
        .stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElse(null);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
