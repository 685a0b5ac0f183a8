package dev.chainer.operator.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.localcluster.LocalApiServer;
import dev.chainer.operator.testing.Repository;
import dev.chainer.operator.validation.JobFiles;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart's manifests and an example job are well-formed Kubernetes objects that an API server stores. */
class ChartInstallTest {
  @Test
  void renderedChartAndAnExampleJobApplyToAnApiServer() throws Exception {
    List<HasMetadata> objects = new ArrayList<>(Chart.objects("""
        watchNamespaces: [team-a]
        metrics: {serviceMonitor: {enabled: true}}
        """));
    for (HasMetadata o : objects) {
      if (!(o instanceof GenericKubernetesResource)) {
        assertEquals(List.of(), unknownFields(o, o.getKind()), "fields Kubernetes does not know");
      }
    }
    try (LocalApiServer api = LocalApiServer.start()) {
      CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(Chart.DIR.resolve(
          "crds/chainerjobs.chainer.dev-v1.yml")), CustomResourceDefinition.class);
      api.client().apiextensions().v1().customResourceDefinitions().resource(crd).createOr(c -> c.update());
      for (HasMetadata o : objects) {
        HasMetadata created = o instanceof GenericKubernetesResource g ? serviceMonitors(api).resource(g).create()
            : api.client().resource(o).create();
        assertNotNull(created.getMetadata().getUid(), o.getKind());
      }
      ChainerJob job = JobFiles.read(Repository.path("examples/chainermn-mnist-openmpi-gpu.yaml"));
      job.getMetadata().setNamespace("team-a");
      assertNotNull(api.client().resource(job).create().getMetadata().getUid());
      assertTrue(api.client().apps().deployments().inNamespace("ops").list().getItems().size() == 1);
    }
  }

  /** The prometheus-operator kind, which this API server (like a cluster with that operator) serves. */
  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
      io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
      io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> serviceMonitors(LocalApiServer api) {
    return api.client().genericKubernetesResources(new io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext
        .Builder().withGroup("monitoring.coreos.com").withVersion("v1").withKind("ServiceMonitor")
        .withPlural("servicemonitors").withNamespaced(true).build()).inNamespace("ops");
  }

  /** Paths of fields that landed in a Fabric8 model's additionalProperties: typos or unknown fields. */
  private static List<String> unknownFields(Object o, String path) throws Exception {
    List<String> out = new ArrayList<>();
    if (o == null || !o.getClass().getName().startsWith("io.fabric8.kubernetes.api.model")) {
      return out;
    }
    for (Method m : o.getClass().getMethods()) {
      if (m.getParameterCount() != 0 || !m.getName().startsWith("get") || m.getName().equals("getClass")) {
        continue;
      }
      Object value = m.invoke(o);
      String child = path + "." + m.getName().substring(3);
      if (m.getName().equals("getAdditionalProperties")) {
        if (value instanceof Map<?, ?> map && !map.isEmpty()) {
          out.add(path + ": " + map.keySet());
        }
      } else if (value instanceof KubernetesResource) {
        out.addAll(unknownFields(value, child));
      } else if (value instanceof Collection<?> items) {
        for (Object item : items) {
          out.addAll(unknownFields(item, child + "[]"));
        }
      }
    }
    return out;
  }
}
