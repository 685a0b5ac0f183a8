package dev.chainer.operator.kueue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.render.JobLabels;
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

  public static GenericKubernetesResource render(ChainerJob job, DesiredObjects objects) {
    List<Map<String, Object>> podSets = new ArrayList<>();
    podSets.add(podSet(LAUNCHER, 1, objects.launcher().getMetadata(), objects.launcher().getSpec()));
    objects.workers().ifPresent(w -> podSets.add(podSet(WORKER, w.getSpec().getReplicas(),
        w.getSpec().getTemplate().getMetadata(), w.getSpec().getTemplate().getSpec())));
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("queueName", Kueue.queueName(job));
    spec.put("podSets", podSets);
    String priority = job.getMetadata().getLabels().get(Kueue.PRIORITY_CLASS);
    if (priority != null) {
      spec.put("priorityClassName", priority);
      spec.put("priorityClassSource", "kueue.x-k8s.io/workloadpriorityclass");
    } else if (objects.launcher().getSpec().getPriorityClassName() != null) {
      spec.put("priorityClassName", objects.launcher().getSpec().getPriorityClassName());
      spec.put("priorityClassSource", "scheduling.k8s.io/priorityclass");
    }
    GenericKubernetesResource workload = new GenericKubernetesResourceBuilder()
        .withApiVersion(Kueue.API_VERSION)
        .withKind("Workload")
        .withMetadata(JobLabels.ownedMetadata(job, Kueue.workloadName(job), "workload"))
        .build();
    workload.setAdditionalProperty("spec", spec);
    return workload;
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
