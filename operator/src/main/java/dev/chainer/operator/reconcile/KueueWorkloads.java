package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.kueue.Admission;
import dev.chainer.operator.kueue.Kueue;
import dev.chainer.operator.kueue.PodSetUpdate;
import dev.chainer.operator.kueue.WorkloadRender;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.status.JobObjects;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The writes of Kueue's job protocol that the operator does for its jobs, as Kueue's own job integrations do: an
 * evicted Workload's quota given back once the job's pods are gone, a finished job's Workload marked Finished,
 * and an admission's flavors put into the pods.
 */
final class KueueWorkloads {
  private KueueWorkloads() {}

  /** Puts each pod set's admission (flavors' node labels and tolerations, admission checks' updates) into its pods. */
  static void admitted(DesiredObjects desired, JobObjects objects, KubernetesClient client, OperatorConfig config) {
    objects.workload().ifPresent(workload -> {
      Map<String, PodSetUpdate> updates = Admission.updates(workload, name -> client.genericKubernetesResources(
          Kueue.resourceFlavors(config)).withName(name).get());
      PodSetUpdate launcher = updates.getOrDefault(WorkloadRender.LAUNCHER, PodSetUpdate.none());
      launcher.applyTo(desired.launcher().getMetadata(), desired.launcher().getSpec());
      desired.workers().ifPresent(w -> updates.getOrDefault(WorkloadRender.WORKER, PodSetUpdate.none())
          .applyTo(w.getSpec().getTemplate().getMetadata(), w.getSpec().getTemplate().getSpec()));
    });
  }

  /** The job's Workload, with the value of the priority class it names when the cluster has that class. */
  static GenericKubernetesResource workload(ChainerJob job, DesiredObjects desired, KubernetesClient client,
      OperatorConfig config) {
    java.util.Optional<WorkloadRender.Priority> priority = WorkloadRender.Priority.of(job, desired)
        .map(p -> p.withValue(priorityValue(p, client, config)));
    return WorkloadRender.render(job, desired, Kueue.apiVersion(config), priority);
  }

  /**
   * The value of the priority class the job names. One that does not exist is not dropped: Kueue's own integrations
   * refuse such a job, so the job waits, saying so, until the class exists.
   */
  private static Integer priorityValue(WorkloadRender.Priority p, KubernetesClient client, OperatorConfig config) {
    if (p.workloadClass()) {
      GenericKubernetesResource c = client.genericKubernetesResources(Kueue.workloadPriorityClasses(config))
          .withName(p.name()).get();
      if (c == null) {
        throw missing("WorkloadPriorityClass", p.name());
      }
      return !(c.getAdditionalProperties().get("value") instanceof Number n) ? null : n.intValue();
    }
    var c = client.scheduling().v1().priorityClasses().withName(p.name()).get();
    if (c == null) {
      throw missing("PriorityClass", p.name());
    }
    return c.getValue();
  }

  private static Refused missing(String kind, String name) {
    return new Refused(dev.chainer.operator.status.Refusal.of("the Workload's " + kind + " " + name, 404,
        kind + " \"" + name + "\" not found: Kueue would refuse the job, so it waits until the priority class "
        + "exists"));
  }

  static void carryOut(Plan plan, ChainerJob job, JobObjects objects, KubernetesClient client, OperatorConfig config,
      Instant at) {
    if (!plan.releaseQuota() && !plan.finishWorkload()) {
      return;
    }
    objects.workload().ifPresent(workload -> {
      GenericKubernetesResource copy = Serialization.clone(workload);
      Map<String, Object> status = status(copy);
      String now = at.toString();
      if (plan.releaseQuota()) {
        status.remove("admission");
        setCondition(status, "QuotaReserved", "False", "Pending", "the job's pods are gone after its eviction", now);
        setCondition(status, "Admitted", "False", "NoReservation", "the quota was given back", now);
      }
      if (plan.finishWorkload()) {
        boolean succeeded = plan.status().getPhase() == JobPhase.Completed;
        setCondition(status, "Finished", "True", succeeded ? "Succeeded" : "Failed",
            plan.status().getMessage() == null ? plan.status().getPhase().name() : plan.status().getMessage(), now);
      }
      client.genericKubernetesResources(Kueue.workloads(config)).inNamespace(job.getMetadata().getNamespace())
          .resource(copy).updateStatus();
    });
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> status(GenericKubernetesResource workload) {
    Object status = workload.getAdditionalProperties().get("status");
    Map<String, Object> map = status instanceof Map<?, ?> m ? new LinkedHashMap<>((Map<String, Object>) m)
        : new LinkedHashMap<>();
    workload.setAdditionalProperty("status", map);
    return map;
  }

  @SuppressWarnings("unchecked")
  private static void setCondition(Map<String, Object> status, String type, String value, String reason,
      String message, String now) {
    List<Map<String, Object>> conditions = new ArrayList<>();
    if (status.get("conditions") instanceof List<?> l) {
      l.forEach(c -> conditions.add(new LinkedHashMap<>((Map<String, Object>) c)));
    }
    conditions.removeIf(c -> type.equals(c.get("type")));
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put("type", type);
    condition.put("status", value);
    condition.put("reason", reason);
    condition.put("message", message);
    condition.put("lastTransitionTime", now);
    conditions.add(condition);
    status.put("conditions", conditions);
  }
}
