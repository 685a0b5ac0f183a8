package dev.chainer.operator.kueue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.Map;

/** Kueue's API as the operator uses it: the labels a job carries and the kinds it reads and writes. */
public final class Kueue {
  public static final String QUEUE_NAME = "kueue.x-k8s.io/queue-name";
  public static final String PRIORITY_CLASS = "kueue.x-k8s.io/priority-class";
  public static final String API_VERSION = "kueue.x-k8s.io/v1beta1";
  public static final ResourceDefinitionContext WORKLOADS = new ResourceDefinitionContext.Builder()
      .withGroup("kueue.x-k8s.io").withVersion("v1beta1").withKind("Workload").withPlural("workloads")
      .withNamespaced(true).build();
  public static final ResourceDefinitionContext RESOURCE_FLAVORS = new ResourceDefinitionContext.Builder()
      .withGroup("kueue.x-k8s.io").withVersion("v1beta1").withKind("ResourceFlavor").withPlural("resourceflavors")
      .withNamespaced(false).build();

  private Kueue() {}

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
