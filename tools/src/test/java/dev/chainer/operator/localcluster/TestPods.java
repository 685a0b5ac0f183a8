package dev.chainer.operator.localcluster;

import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

/** Pods for the in-process server's own tests, in namespace "a". */
final class TestPods {
  private TestPods() {}

  static Pod pod(KubernetesClient client, String name) {
    return client.pods().inNamespace("a").withName(name).get();
  }

  /** A pod of the operator's (the kubelet runs only those) that is not restarted. */
  static void managedPod(KubernetesClient client, String name) {
    client.pods().inNamespace("a").resource(new PodBuilder().withNewMetadata().withName(name)
        .addToLabels(JobLabels.MANAGED_BY, JobLabels.OPERATOR).endMetadata()
        .withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").withImage("b").endContainer()
        .endSpec().build()).create();
  }
}
