package dev.chainer.operator.render;

import dev.chainer.operator.api.SchedulingPolicy;
import dev.chainer.operator.config.GangScheduler;
import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The gang of one attempt's workers, for the configured gang scheduler: a PodGroup whose minMember counts workers
 * only. The launcher is created once the workers are Ready, so counting it would leave the gang waiting for a pod
 * that waits for the gang; minResources is what minMember workers request.
 */
public final class WorkerPodGroup {
  private WorkerPodGroup() {}

  public static Optional<GenericKubernetesResource> render(RenderContext ctx, PodSpec worker) {
    GangScheduler gang = ctx.config().getGangScheduler();
    if (gang == GangScheduler.NONE || !ctx.effective().mpi()) {
      return Optional.empty();
    }
    SchedulingPolicy policy = policy(ctx);
    int minMember = policy.getMinAvailable() == null ? ctx.effective().nodeCount()
        : Math.min(policy.getMinAvailable(), ctx.effective().nodeCount());
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("minMember", minMember);
    spec.put("minResources", minResources(worker, minMember));
    if (gang == GangScheduler.VOLCANO && policy.getQueue() != null) {
      spec.put("queue", policy.getQueue());
    }
    if (gang == GangScheduler.VOLCANO && policy.getPriorityClassName() != null) {
      spec.put("priorityClassName", policy.getPriorityClassName());
    }
    if (gang == GangScheduler.SCHEDULER_PLUGINS && policy.getScheduleTimeoutSeconds() != null) {
      spec.put("scheduleTimeoutSeconds", policy.getScheduleTimeoutSeconds());
    }
    GenericKubernetesResource group = new GenericKubernetesResourceBuilder()
        .withApiVersion(gang.apiVersion())
        .withKind("PodGroup")
        .withMetadata(JobLabels.ownedMetadata(ctx.job(), ctx.names().podGroup(ctx.attempt()), JobLabels.ROLE_WORKER))
        .editMetadata().addToLabels(JobLabels.ATTEMPT, Integer.toString(ctx.attempt())).endMetadata()
        .build();
    group.setAdditionalProperty("spec", spec);
    return Optional.of(group);
  }

  /** Puts the workers in their gang and hands them to the gang scheduler (unless the job names a scheduler). */
  static void join(io.fabric8.kubernetes.api.model.PodTemplateSpec template, RenderContext ctx) {
    join(template.getMetadata(), template.getSpec(), ctx);
  }

  /**
   * Puts a pod in the attempt's gang: the workers, and the launcher of an MPI job, so that the queue counts it too.
   * minMember counts the workers only, so a launcher that comes once they are Ready never holds the gang back.
   */
  static void join(io.fabric8.kubernetes.api.model.ObjectMeta metadata, PodSpec pod, RenderContext ctx) {
    GangScheduler gang = ctx.config().getGangScheduler();
    if (gang == GangScheduler.NONE || !ctx.effective().mpi()) {
      return;
    }
    String group = ctx.names().podGroup(ctx.attempt());
    if (gang == GangScheduler.VOLCANO) {
      metadata.getAnnotations().put(gang.podKey(), group);
    } else {
      metadata.getLabels().put(gang.podKey(), group);
    }
    if (pod.getSchedulerName() == null) {
      pod.setSchedulerName(ctx.config().gangSchedulerNameOrDefault());
    }
  }

  private static SchedulingPolicy policy(RenderContext ctx) {
    return ctx.effective().runPolicy().schedulingPolicy();
  }

  /** Each resource a worker's containers request (their limits where they request none), times minMember. */
  private static Map<String, String> minResources(PodSpec worker, int members) {
    Map<String, BigDecimal> sum = new LinkedHashMap<>();
    for (Container c : worker.getContainers()) {
      if (c.getResources() == null) {
        continue;
      }
      Map<String, Quantity> requests = new LinkedHashMap<>();
      if (c.getResources().getLimits() != null) {
        requests.putAll(c.getResources().getLimits());
      }
      if (c.getResources().getRequests() != null) {
        requests.putAll(c.getResources().getRequests());
      }
      requests.forEach((name, q) -> sum.merge(name, q.getNumericalAmount(), BigDecimal::add));
    }
    Map<String, String> out = new LinkedHashMap<>();
    sum.forEach((name, amount) -> out.put(name, amount.multiply(BigDecimal.valueOf(members)).stripTrailingZeros()
        .toPlainString()));
    return out;
  }
}
