package dev.chainer.operator.localcluster;

import static dev.chainer.operator.testing.OperatorHarness.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.ContainerStateWaiting;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A bound pod whose container cannot start stays Pending with the container waiting as a kubelet reports it: an image
 * the registry does not have fails to pull (ErrImagePull, containerd's error), then waits out the back-off
 * (ImagePullBackOff, quoting the last error), then is pulled again; a reference that cannot be parsed is
 * InvalidImageName; an environment naming a missing Secret or ConfigMap is CreateContainerConfigError until it exists.
 * An init container that cannot start holds the whole pod.
 */
class ImagePullTest {
  private static final String MISSING = "registry.example/missing:1";
  private static final String NOT_FOUND = "rpc error: code = NotFound desc = failed to pull and unpack image \""
      + MISSING + "\": failed to resolve reference \"" + MISSING + "\": " + MISSING + ": not found";
  private LocalApiServer api;
  private KubernetesClient client;
  private SimulatedKubelet kubelet;

  @BeforeEach
  void start() {
    api = LocalApiServer.start();
    client = api.client();
    kubelet = new SimulatedKubelet(client).unpullableImage(MISSING).imagePullBackOff(Duration.ofMillis(200)).start();
  }

  @AfterEach
  void stop() {
    kubelet.close();
    api.close();
  }

  @Test
  void anImageThatCannotBePulledAlternatesBetweenErrImagePullAndImagePullBackOffAndNeverRuns() {
    create("p", p -> p.editSpec().addNewContainer().withName("side").withImage("busybox").endContainer().endSpec());
    // the kubelet's own rhythm: a failed pull, the next sync pulls again (the back-off has passed), then it backs off
    List<String> seen = new ArrayList<>();
    long end = System.nanoTime() + Duration.ofSeconds(3).toNanos();
    while (System.nanoTime() < end) {
      Pod pod = pod("p");
      ContainerStateWaiting waiting = waiting(pod, "c");
      if (waiting != null && (seen.isEmpty() || !seen.get(seen.size() - 1).equals(waiting.getReason()))) {
        seen.add(waiting.getReason());
        String expected = waiting.getReason().equals("ErrImagePull") ? NOT_FOUND
            : "Back-off pulling image \"" + MISSING + "\": ErrImagePull: " + NOT_FOUND;
        assertEquals(expected, waiting.getMessage());
      }
      assertTrue(pod.getStatus() == null || "Pending".equals(pod.getStatus().getPhase()), "never runs");
      sleep(20);
    }
    assertTrue(seen.size() >= 3 && seen.get(0).equals("ErrImagePull") && seen.contains("ImagePullBackOff")
        && seen.subList(seen.indexOf("ImagePullBackOff"), seen.size()).contains("ErrImagePull"), seen.toString());

    Pod pod = pod("p");
    assertEquals(SimulatedKubelet.NODE, pod.getSpec().getNodeName(), "scheduled");
    assertEquals("Pending", pod.getStatus().getPhase());
    assertEquals(false, status(pod, "c").getReady());
    assertTrue(status(pod, "side").getState().getRunning() != null, "the other container runs");
    PodCondition ready = condition(pod, "Ready");
    assertEquals("False", ready.getStatus());
    assertEquals("ContainersNotReady", ready.getReason());
    assertEquals("containers with unready status: [c]", ready.getMessage());
  }

  @Test
  void aReferenceNamingAMissingImageFailsToPullAsContainerdSays() {
    create("p", p -> p.editSpec().editFirstContainer().withImage("example/does-not-exist").endContainer().endSpec());
    ContainerStateWaiting waiting = await(() -> waiting(pod("p"), "c"), w -> true, "a waiting container");
    assertEquals("ErrImagePull", waiting.getReason());
    String ref = "docker.io/example/does-not-exist:latest";
    assertEquals("rpc error: code = NotFound desc = failed to pull and unpack image \"" + ref
        + "\": failed to resolve reference \"" + ref + "\": " + ref + ": not found", waiting.getMessage());
    waiting = await(() -> waiting(pod("p"), "c"), w -> w.getReason().equals("ImagePullBackOff"), "the back-off");
    assertTrue(waiting.getMessage().startsWith("Back-off pulling image \"example/does-not-exist:latest\": "
        + "ErrImagePull: rpc error: code = NotFound"), waiting.getMessage());
  }

  @Test
  void anInvalidReferenceIsInvalidImageName() {
    create("upper", p -> p.editSpec().editFirstContainer().withImage("chainer/Trainer:1").endContainer().endSpec());
    create("tags", p -> p.editSpec().editFirstContainer().withImage("busybox:1:2").endContainer().endSpec());
    ContainerStateWaiting upper = await(() -> waiting(pod("upper"), "c"), w -> true, "upper waiting");
    assertEquals("InvalidImageName", upper.getReason());
    assertEquals("Failed to apply default image tag \"chainer/Trainer:1\": couldn't parse image name "
        + "\"chainer/Trainer:1\": invalid reference format: repository name (chainer/Trainer) must be lowercase",
        upper.getMessage());
    ContainerStateWaiting tags = await(() -> waiting(pod("tags"), "c"), w -> true, "tags waiting");
    assertEquals("Failed to apply default image tag \"busybox:1:2\": couldn't parse image name \"busybox:1:2\": "
        + "invalid reference format", tags.getMessage());
    sleep(600);
    assertEquals("InvalidImageName", waiting(pod("upper"), "c").getReason(), "never pulled");
    assertEquals("Pending", pod("upper").getStatus().getPhase());
  }

  @Test
  void anInitContainerThatCannotStartHoldsThePod() {
    create("p", p -> p.editSpec().addNewInitContainer().withName("fetch").withImage(MISSING).endInitContainer()
        .addNewInitContainer().withName("unpack").withImage("busybox").endInitContainer().endSpec());
    Pod pod = await(() -> pod("p"), p -> waiting(p, "fetch") != null, "the init container waiting");
    assertEquals("ErrImagePull", waiting(pod, "fetch").getReason());
    assertEquals("PodInitializing", waiting(pod, "unpack").getReason());
    assertEquals("PodInitializing", waiting(pod, "c").getReason());
    PodCondition initialized = condition(pod, "Initialized");
    assertEquals("False", initialized.getStatus());
    assertEquals("ContainersNotInitialized", initialized.getReason());
    assertEquals("containers with incomplete status: [fetch unpack]", initialized.getMessage());
    await(() -> waiting(pod("p"), "fetch"), w -> w.getReason().equals("ImagePullBackOff"), "the init back-off");
    assertEquals("Pending", pod("p").getStatus().getPhase());
  }

  @Test
  void aMissingSecretOrKeyIsCreateContainerConfigErrorUntilItExists() {
    create("p", p -> p.editSpec().editFirstContainer().withImage("busybox").addNewEnv().withName("TOKEN")
        .withNewValueFrom().withNewSecretKeyRef().withName("creds").withKey("token").endSecretKeyRef().endValueFrom()
        .endEnv().endContainer().endSpec());
    create("q", p -> p.editSpec().editFirstContainer().withImage("busybox").addNewEnvFrom().withNewConfigMapRef()
        .withName("settings").endConfigMapRef().endEnvFrom().endContainer().endSpec());
    ContainerStateWaiting waiting = await(() -> waiting(pod("p"), "c"), w -> true, "p waiting");
    assertEquals("CreateContainerConfigError", waiting.getReason());
    assertEquals("secret \"creds\" not found", waiting.getMessage());
    assertEquals("configmap \"settings\" not found",
        await(() -> waiting(pod("q"), "c"), w -> true, "q waiting").getMessage());

    client.secrets().inNamespace("a").resource(new SecretBuilder().withNewMetadata().withName("creds").endMetadata()
        .addToStringData("user", "u").build()).create();
    await(() -> waiting(pod("p"), "c"), w -> w.getMessage().equals("couldn't find key token in Secret a/creds"),
        "the missing key");
    client.secrets().inNamespace("a").withName("creds").edit(s -> new SecretBuilder(s).addToStringData("token", "t")
        .build());
    Pod running = await(() -> pod("p"), p -> "Running".equals(p.getStatus().getPhase()), "p running");
    assertNull(waiting(running, "c"));
  }

  private void create(String name, UnaryOperator<PodBuilder> edit) {
    PodBuilder pod = new PodBuilder().withNewMetadata().withName(name)
        .addToLabels(JobLabels.MANAGED_BY, JobLabels.OPERATOR).endMetadata()
        .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").withImage(MISSING).endContainer()
        .endSpec();
    client.pods().inNamespace("a").resource(edit.apply(pod).build()).create();
  }

  private Pod pod(String name) {
    return client.pods().inNamespace("a").withName(name).get();
  }

  private static ContainerStatus status(Pod pod, String container) {
    if (pod == null || pod.getStatus() == null) {
      return null;
    }
    List<ContainerStatus> all = new ArrayList<>();
    if (pod.getStatus().getInitContainerStatuses() != null) {
      all.addAll(pod.getStatus().getInitContainerStatuses());
    }
    if (pod.getStatus().getContainerStatuses() != null) {
      all.addAll(pod.getStatus().getContainerStatuses());
    }
    return all.stream().filter(s -> container.equals(s.getName())).findFirst().orElse(null);
  }

  private static ContainerStateWaiting waiting(Pod pod, String container) {
    ContainerStatus s = status(pod, container);
    return s == null || s.getState() == null ? null : s.getState().getWaiting();
  }

  private static PodCondition condition(Pod pod, String type) {
    return pod.getStatus().getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElseThrow();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
