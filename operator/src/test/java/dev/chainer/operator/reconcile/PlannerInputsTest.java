package dev.chainer.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which updates of the job's objects reach the planner: those that change something it reads, and only those. */
class PlannerInputsTest {
  private static final Pod POD = new PodBuilder().withNewMetadata().withName("train-worker-0").withUid("u1")
      .addToLabels("chainer.dev/role", "worker").endMetadata().withNewStatus().withPhase("Pending")
      .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
      .addNewContainerStatus().withName("worker").withReady(false).withRestartCount(0).withNewState()
      .withNewWaiting().withReason("ContainerCreating").endWaiting().endState().endContainerStatus().endStatus()
      .build();

  static Stream<Arguments> podUpdates() {
    return Stream.of(
        update("the pod's IPs", false, p -> new PodBuilder(p).editStatus().withHostIP("10.0.0.1").withPodIP("10.1.0.5")
            .endStatus().build()),
        update("a container id and image id", false, p -> new PodBuilder(p).editStatus().editContainerStatus(0)
            .withContainerID("containerd://abc").withImageID("sha256:1").withStarted(true).endContainerStatus()
            .endStatus().build()),
        update("the QoS class", false, p -> new PodBuilder(p).editStatus().withQosClass("Burstable").endStatus()
            .build()),
        update("a binding to a node (spec only)", false, p -> new PodBuilder(p).editOrNewSpec().withNodeName("n1")
            .endSpec().build()),
        update("the phase", true, p -> new PodBuilder(p).editStatus().withPhase("Running").endStatus().build()),
        update("readiness", true, p -> new PodBuilder(p).editStatus().editContainerStatus(0).withReady(true)
            .endContainerStatus().endStatus().build()),
        update("a container's state", true, p -> new PodBuilder(p).editStatus().editContainerStatus(0).withNewState()
            .withNewRunning().withStartedAt("2026-01-01T00:00:00Z").endRunning().endState().endContainerStatus()
            .endStatus().build()),
        update("a restart", true, p -> new PodBuilder(p).editStatus().editContainerStatus(0).withRestartCount(1)
            .endContainerStatus().endStatus().build()),
        update("a condition", true, p -> new PodBuilder(p).editStatus().addNewCondition().withType("DisruptionTarget")
            .withStatus("True").endCondition().endStatus().build()),
        update("its deletion", true, p -> new PodBuilder(p).editMetadata()
            .withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build()),
        update("an annotation", true, p -> new PodBuilder(p).editMetadata().addToAnnotations("chainer.dev/x", "y")
            .endMetadata().build()),
        update("a label", true, p -> new PodBuilder(p).editMetadata().addToLabels("chainer.dev/attempt", "1")
            .endMetadata().build()));
  }

  private static Arguments update(String what, boolean reaches, UnaryOperator<Pod> change) {
    return Arguments.of(what, reaches, change);
  }

  @ParameterizedTest(name = "{0}: reaches the planner {1}")
  @MethodSource("podUpdates")
  void podUpdates(String what, boolean reaches, UnaryOperator<Pod> change) {
    assertEquals(reaches, PlannerInputs.podChanged(change.apply(POD), POD), what);
  }

  private static final StatefulSet SET = new StatefulSetBuilder().withNewMetadata().withName("train-worker")
      .withGeneration(1L).endMetadata().withNewSpec().withReplicas(2).endSpec().build();

  static Stream<Arguments> statefulSetUpdates() {
    return Stream.of(
        Arguments.of("its status (ready replicas)", false, (UnaryOperator<StatefulSet>) s -> new StatefulSetBuilder(s)
            .withNewStatus().withReadyReplicas(2).withReplicas(2).withCurrentRevision("r1").endStatus().build()),
        Arguments.of("a scale", true, (UnaryOperator<StatefulSet>) s -> new StatefulSetBuilder(s).editSpec()
            .withReplicas(1).endSpec().editMetadata().withGeneration(2L).endMetadata().build()),
        Arguments.of("an edit of its template", true, (UnaryOperator<StatefulSet>) s -> new StatefulSetBuilder(s)
            .editMetadata().withGeneration(2L).endMetadata().build()),
        Arguments.of("its deletion", true, (UnaryOperator<StatefulSet>) s -> new StatefulSetBuilder(s).editMetadata()
            .withDeletionTimestamp("2026-01-01T00:00:00Z").endMetadata().build()));
  }

  @ParameterizedTest(name = "{0}: reaches the planner {1}")
  @MethodSource("statefulSetUpdates")
  void statefulSetUpdates(String what, boolean reaches, UnaryOperator<StatefulSet> change) {
    assertEquals(reaches, PlannerInputs.statefulSetChanged(change.apply(SET), SET), what);
  }
}
