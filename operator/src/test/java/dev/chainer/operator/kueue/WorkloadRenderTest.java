package dev.chainer.operator.kueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.testing.Rendered;
import dev.chainer.operator.testing.TestJobs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The Workload a job gets, in both Kueue API versions, and what an admission puts into its pods. */
class WorkloadRenderTest {
  private static ChainerJob job() {
    ChainerJob job = TestJobs.mpi("");
    job.getMetadata().setLabels(Map.of(Kueue.QUEUE_NAME, "research", Kueue.PRIORITY_CLASS, "urgent"));
    return job;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> spec(GenericKubernetesResource w) {
    return (Map<String, Object>) w.getAdditionalProperties().get("spec");
  }

  @Test
  void v1beta2ReferencesThePriorityClassWithItsValue() {
    DesiredObjects objects = Rendered.of(job()).objects();
    Optional<WorkloadRender.Priority> priority = WorkloadRender.Priority.of(job(), objects).map(p -> p.withValue(500));
    Map<String, Object> spec = spec(WorkloadRender.render(job(), objects, "kueue.x-k8s.io/v1beta2", priority));
    assertEquals(Map.of("group", "kueue.x-k8s.io", "kind", "WorkloadPriorityClass", "name", "urgent"),
        spec.get("priorityClassRef"));
    assertEquals(500, spec.get("priority"));
    assertFalse(spec.containsKey("priorityClassName"));
    Map<String, Object> unknown = spec(WorkloadRender.render(job(), objects, "kueue.x-k8s.io/v1beta2",
        WorkloadRender.Priority.of(job(), objects)));
    assertFalse(unknown.containsKey("priorityClassRef"), "a class whose value is unknown is not referenced");
  }

  @Test
  void v1beta1NamesThePriorityClassAndItsSource() {
    DesiredObjects objects = Rendered.of(job()).objects();
    Map<String, Object> spec = spec(WorkloadRender.render(job(), objects, "kueue.x-k8s.io/v1beta1",
        WorkloadRender.Priority.of(job(), objects)));
    assertEquals("urgent", spec.get("priorityClassName"));
    assertEquals("kueue.x-k8s.io/workloadpriorityclass", spec.get("priorityClassSource"));
    assertEquals("research", spec.get("queueName"));
  }

  @Test
  void anAdmissionGivesEachPodSetItsFlavorsAndTheChecksUpdates() {
    GenericKubernetesResource workload = new GenericKubernetesResourceBuilder().withApiVersion("kueue.x-k8s.io/v1beta2")
        .withKind("Workload").withNewMetadata().withName("w").endMetadata().build();
    workload.setAdditionalProperty("status", Map.of(
        "admission", Map.of("clusterQueue", "cq", "podSetAssignments", List.of(
            Map.of("name", "worker", "flavors", Map.of("cpu", "spot", "nvidia.com/gpu", "a100")),
            Map.of("name", "launcher", "flavors", Map.of("cpu", "spot")))),
        "admissionChecks", List.of(Map.of("name", "prov", "state", "Ready", "podSetUpdates", List.of(
            Map.of("name", "worker", "annotations", Map.of("provreq", "req-1"), "nodeSelector", Map.of("zone", "b")))))));
    Map<String, GenericKubernetesResource> flavors = Map.of(
        "spot", flavor(Map.of("pool", "spot"), List.of(Map.of("key", "spot", "operator", "Exists"))),
        "a100", flavor(Map.of("gpu", "a100"), List.of()));
    Map<String, PodSetUpdate> updates = Admission.updates(workload, flavors::get);
    PodSpec worker = new PodSpec();
    ObjectMeta meta = new ObjectMeta();
    updates.get("worker").applyTo(meta, worker);
    assertEquals(Map.of("pool", "spot", "gpu", "a100", "zone", "b"), worker.getNodeSelector());
    assertEquals("spot", worker.getTolerations().get(0).getKey());
    assertEquals(Map.of("provreq", "req-1"), meta.getAnnotations());
    assertEquals(Map.of("pool", "spot"), updates.get("launcher").nodeSelector());
  }

  private static GenericKubernetesResource flavor(Map<String, String> nodeLabels, List<Map<String, String>> tolerations) {
    GenericKubernetesResource f = new GenericKubernetesResourceBuilder().withApiVersion("kueue.x-k8s.io/v1beta2")
        .withKind("ResourceFlavor").withNewMetadata().withName("f").endMetadata().build();
    f.setAdditionalProperty("spec", Map.of("nodeLabels", nodeLabels, "tolerations", tolerations));
    return f;
  }
}
