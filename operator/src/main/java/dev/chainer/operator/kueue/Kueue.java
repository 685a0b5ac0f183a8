package dev.chainer.operator.kueue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;

/**
 * Kueue's API as the operator uses it: the labels a job carries and the kinds it reads and writes, in the version
 * the operator is configured for (v1beta2 since Kueue 0.15; v1beta1 for older Kueue).
 */
public final class Kueue {
  public static final String GROUP = "kueue.x-k8s.io";
  public static final String QUEUE_NAME = "kueue.x-k8s.io/queue-name";
  public static final String PRIORITY_CLASS = "kueue.x-k8s.io/priority-class";

  private Kueue() {}

  public static String apiVersion(OperatorConfig config) {
    return GROUP + "/" + config.getKueueApiVersion();
  }

  public static ResourceDefinitionContext workloads(OperatorConfig config) {
    return kind(config, "Workload", "workloads", true);
  }

  public static ResourceDefinitionContext resourceFlavors(OperatorConfig config) {
    return kind(config, "ResourceFlavor", "resourceflavors", false);
  }

  public static ResourceDefinitionContext workloadPriorityClasses(OperatorConfig config) {
    return kind(config, "WorkloadPriorityClass", "workloadpriorityclasses", false);
  }

  private static ResourceDefinitionContext kind(OperatorConfig config, String kind, String plural,
      boolean namespaced) {
    return new ResourceDefinitionContext.Builder().withGroup(GROUP).withVersion(config.getKueueApiVersion())
        .withKind(kind).withPlural(plural).withNamespaced(namespaced).build();
  }

  /** The LocalQueue a job asks for, if any. */
  public static String queueName(ChainerJob job) {
    Map<String, String> labels = job.getMetadata().getLabels();
    return labels == null ? null : labels.get(QUEUE_NAME);
  }

  /** Whether the job waits for Kueue's admission: it names a queue and the operator speaks Kueue. */
  public static boolean manages(ChainerJob job, OperatorConfig config) {
    return config.isKueueIntegration() && queueName(job) != null;
  }

  /** The job's Workload: {@code chainerjob-<job>}, one for the job's whole life. */
  public static String workloadName(ChainerJob job) {
    return "chainerjob-" + job.getMetadata().getName();
  }
}
