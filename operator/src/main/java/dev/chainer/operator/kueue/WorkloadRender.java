package dev.chainer.operator.kueue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Workload through which Kueue admits a job: pod sets "launcher" (1) and "worker" (nodeCount), each with the
 * pod template the operator will create, so that quota is counted from the real requests (GPUs included).
 */
public final class WorkloadRender {
  public static final String LAUNCHER = "launcher";
  public static final String WORKER = "worker";

  private WorkloadRender() {}

  /**
   * @param apiVersion the Kueue API version to speak
   * @param priority the priority class the job asks for, with its value when it could be read
   */
  public static GenericKubernetesResource render(ChainerJob job, DesiredObjects objects, String apiVersion,
      java.util.Optional<Priority> priority) {
    List<Map<String, Object>> podSets = new ArrayList<>();
    podSets.add(podSet(LAUNCHER, 1, objects.launcher().getMetadata(), objects.launcher().getSpec()));
    objects.workers().ifPresent(w -> podSets.add(podSet(WORKER, w.getSpec().getReplicas(),
        w.getSpec().getTemplate().getMetadata(), w.getSpec().getTemplate().getSpec())));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("queueName", Kueue.queueName(job));
    spec.put("podSets", podSets);
    priority.ifPresent(p -> p.writeTo(spec, apiVersion));
    GenericKubernetesResource workload = new GenericKubernetesResourceBuilder()
        .withApiVersion(apiVersion)
        .withKind("Workload")
        .withMetadata(JobLabels.ownedMetadata(job, Kueue.workloadName(job), "workload"))
        .build();
    workload.setAdditionalProperty("spec", spec);
    return workload;
  }

  /** The class a job's priority comes from (a Kueue WorkloadPriorityClass, or the pods' PriorityClass). */
  public record Priority(boolean workloadClass, String name, java.util.Optional<Integer> value) {
    /** The class the job names: its kueue.x-k8s.io/priority-class label, else its launcher's priorityClassName. */
    public static java.util.Optional<Priority> of(ChainerJob job, DesiredObjects objects) {
      String label = job.getMetadata().getLabels() == null ? null
          : job.getMetadata().getLabels().get(Kueue.PRIORITY_CLASS);
      String pods = objects.launcher().getSpec().getPriorityClassName();
      return label != null ? java.util.Optional.of(new Priority(true, label, java.util.Optional.empty()))
          : java.util.Optional.ofNullable(pods).map(p -> new Priority(false, p, java.util.Optional.empty()));
    }

    public Priority withValue(Integer v) {
      return new Priority(workloadClass, name, java.util.Optional.ofNullable(v));
    }

    /**
     * v1beta1 names the class and its source; v1beta2 references it and, as its schema requires, carries its value
     * (without a value that could be read, the Workload names no class and Kueue uses its default).
     */
    void writeTo(Map<String, Object> spec, String apiVersion) {
      if (apiVersion.endsWith("/v1beta1")) {
        spec.put("priorityClassName", name);
        spec.put("priorityClassSource", workloadClass ? "kueue.x-k8s.io/workloadpriorityclass"
            : "scheduling.k8s.io/priorityclass");
      } else if (value.isPresent()) {
        spec.put("priorityClassRef", Map.of("group", workloadClass ? Kueue.GROUP : "scheduling.k8s.io",
            "kind", workloadClass ? "WorkloadPriorityClass" : "PriorityClass", "name", name));
        spec.put("priority", value.get());
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> podSet(String name, int count, ObjectMeta metadata, PodSpec spec) {
    Map<String, Object> template = new LinkedHashMap<>();
    Map<String, Object> meta = new LinkedHashMap<>();
    if (metadata.getLabels() != null) {
      meta.put("labels", metadata.getLabels());
    }
    if (metadata.getAnnotations() != null) {
      meta.put("annotations", metadata.getAnnotations());
    }
    template.put("metadata", meta);
    template.put("spec", Serialization.jsonMapper().convertValue(spec, Map.class));
    Map<String, Object> podSet = new LinkedHashMap<>();
    podSet.put("name", name);
    podSet.put("count", count);
    podSet.put("template", template);
    return podSet;
  }
}
