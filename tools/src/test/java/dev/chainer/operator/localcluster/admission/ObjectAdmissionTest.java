package dev.chainer.operator.localcluster.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.localcluster.LocalApiServer;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The in-process API server refuses the objects a real one refuses, for the fields the operator sets. */
class ObjectAdmissionTest {
  private static final String POD = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: a\nspec:\n";
  private static final String CONTAINER = "  containers:\n  - name: c\n    image: busybox\n";
  private static LocalApiServer api;

  @BeforeAll
  static void start() {
    api = LocalApiServer.start();
  }

  @AfterAll
  static void stop() {
    api.close();
  }

  static Stream<Arguments> refused() {
    String bigValue = "x".repeat(1024 * 1024 + 1);
    return Stream.of(
        Arguments.of(POD + CONTAINER + "  volumes:\n  - name: v\n    emptyDir: {}\n  - name: v\n    emptyDir: {}\n",
            "spec.volumes[1].name: Duplicate value: \"v\""),
        Arguments.of(POD + "  containers:\n  - name: c\n    image: busybox\n  - name: c\n    image: busybox\n",
            "spec.containers[1].name: Duplicate value: \"c\""),
        Arguments.of(POD + "  volumes:\n  - name: v\n    emptyDir: {}\n  containers:\n  - name: c\n    image: b\n"
            + "    volumeMounts:\n    - name: v\n      mountPath: /data\n    - name: v\n      mountPath: /data\n",
            "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique"),
        Arguments.of(POD + "  volumes:\n  - name: v\n    emptyDir: {}\n  containers:\n  - name: c\n    image: b\n"
            + "    volumeMounts:\n    - name: v\n      mountPath: data\n", "must be an absolute path other than '/'"),
        Arguments.of(POD + "  containers:\n  - name: c\n    image: b\n    resources:\n      requests:\n"
            + "        memory: 2Gi\n      limits:\n        memory: 1Gi\n", "must be less than or equal to memory limit"),
        Arguments.of(POD + "  containers:\n  - name: c\n    image: b\n    resources:\n      requests:\n"
            + "        nvidia.com/gpu: 1\n      limits:\n        nvidia.com/gpu: 2\n",
            "must be equal to nvidia.com/gpu limit"),
        Arguments.of(POD + CONTAINER + "  tolerations:\n  - key: k\n    operator: Sideways\n",
            "spec.tolerations[0].operator: Unsupported value: \"Sideways\""),
        Arguments.of(POD + CONTAINER + "  tolerations:\n  - key: k\n    effect: Sometimes\n",
            "spec.tolerations[0].effect: Unsupported value: \"Sometimes\""),
        Arguments.of(POD + CONTAINER + "  activeDeadlineSeconds: 2147483648\n",
            "spec.activeDeadlineSeconds: Invalid value: 2147483648: must be between 1 and 2147483647"),
        Arguments.of(POD + "  containers:\n  - name: c\n    image: \"my image\"\n",
            "spec.containers[0].image: Invalid value: \"my image\""),
        Arguments.of("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: a\n  labels:\n"
            + "    \"not a key\": v\n" + "spec:\n" + CONTAINER, "metadata.labels: Invalid value: \"not a key\""),
        Arguments.of("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  namespace: a\n  ownerReferences:\n"
            + "  - apiVersion: chainer.dev/v1\n    kind: ChainerJob\n    name: j\n    uid: \"\"\n" + "spec:\n"
            + CONTAINER, "metadata.ownerReferences[0].uid"),
        Arguments.of("apiVersion: v1\nkind: Service\nmetadata:\n  name: 1-worker\n  namespace: a\nspec:\n"
            + "  clusterIP: None\n", "metadata.name: Invalid value: \"1-worker\": a DNS-1035 label"),
        Arguments.of("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: big\n  namespace: a\ndata:\n  hostfile: "
            + bigValue + "\n", "data: Too long: must have at most 1048576 bytes"),
        Arguments.of("apiVersion: v1\nkind: Secret\nmetadata:\n  name: Bad_Name\n  namespace: a\n",
            "metadata.name: Invalid value: \"Bad_Name\""),
        Arguments.of("apiVersion: v1\nkind: Event\nmetadata:\n  name: job.Bad\n  namespace: a\ninvolvedObject:\n"
            + "  kind: ChainerJob\n  name: job\nreason: R\n", "metadata.name: Invalid value: \"job.Bad\""),
        Arguments.of("apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata:\n  name: lock\n  namespace: a\n"
            + "  labels:\n    \"a b\": c\n", "metadata.labels: Invalid value: \"a b\""));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void isRefusedWithTheFieldAndTheRule(String yaml, String expected) {
    HasMetadata object = Serialization.unmarshal(yaml);
    KubernetesClientException e = assertThrows(KubernetesClientException.class,
        () -> api.client().resource(object).create());
    assertEquals(422, e.getCode());
    assertTrue(e.getStatus().getMessage().contains(expected), () -> "expected '" + expected + "' in "
        + e.getStatus().getMessage());
  }

  @Test
  void aValidPodIsStored() {
    HasMetadata pod = Serialization.unmarshal(POD.replace("name: p", "name: ok") + CONTAINER
        + "  tolerations:\n  - key: nvidia.com/gpu\n    operator: Exists\n    effect: NoSchedule\n");
    api.client().resource(pod).create();
  }
}
