package dev.chainer.operator.testing;

import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;

/** Objects somebody else made in namespace team-a, under names a job would use. */
public final class ForeignObjects {
  private ForeignObjects() {}

  /**
   * @param description "Kind name", or "labelled Kind name" for one that even carries the operator's labels
   * @param watcher registers the object as foreign (never to be changed or deleted), unless null or a pod (whose
   *     status the kubelet writes)
   */
  public static HasMetadata create(KubernetesClient client, InvariantWatcher watcher, String description) {
    boolean labelled = description.startsWith("labelled ");
    String[] words = description.replace("labelled ", "").split(" ");
    ObjectMeta meta = new ObjectMetaBuilder().withName(words[1]).withNamespace("team-a")
        .withLabels(labelled ? Map.of(JobLabels.MANAGED_BY, JobLabels.OPERATOR, JobLabels.JOB_NAME, "train",
            JobLabels.ROLE, JobLabels.ROLE_SSH) : Map.of("owner", "someone-else")).build();
    HasMetadata object = switch (words[0]) {
      case "Secret" -> new SecretBuilder().withMetadata(meta).addToStringData("authorized_keys", "theirs").build();
      case "ConfigMap" -> new ConfigMapBuilder().withMetadata(meta).addToData("hostfile", "theirs").build();
      case "Service" -> new ServiceBuilder().withMetadata(meta).withNewSpec().withClusterIP("None")
          .addNewPort().withPort(22).endPort().endSpec().build();
      case "StatefulSet" -> new StatefulSetBuilder().withMetadata(meta).withNewSpec().withReplicas(0)
          .withServiceName("theirs").withNewSelector().addToMatchLabels("owner", "someone-else").endSelector()
          .withNewTemplate().withNewMetadata().addToLabels("owner", "someone-else").endMetadata().withNewSpec()
          .addNewContainer().withName("c").withImage("busybox").endContainer().endSpec().endTemplate().endSpec()
          .build();
      case "Pod" -> new PodBuilder().withMetadata(meta).withNewSpec().addNewContainer().withName("c")
          .withImage("busybox").endContainer().endSpec().build();
      default -> throw new IllegalArgumentException(description);
    };
    HasMetadata created = client.resource(object).create();
    if (watcher != null && !"Pod".equals(words[0])) {
      watcher.foreign(created);
    }
    return created;
  }
}
