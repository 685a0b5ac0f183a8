package dev.chainer.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Specs a current API server stores (its schema and CEL accept them) but that could not run as written: the operator
 * fails each with InvalidSpec naming the field and the rule, creates nothing for it, and runs the valid one beside.
 */
class EstimatorDoorTest {
  private static final String NS = "team-a";
  private OperatorHarness h;

  @AfterEach
  void stop() {
    h.close();
  }

  private void create(String name, String spec) {
    h.client.resource(Serialization.unmarshal("apiVersion: chainer.dev/v1\nkind: ChainerJob\nmetadata:\n  name: "
        + name + "\n  namespace: " + NS + "\nspec:\n  sourceDirectory: /app\n  entryScript: t.py\n"
        + "  frameworkVersion: \"7.0.0\"\n" + spec, GenericKubernetesResource.class)).create();
  }

  private static ChainerJob ref(String name) {
    ChainerJob ref = new ChainerJob();
    ref.getMetadata().setName(name);
    ref.getMetadata().setNamespace(NS);
    return ref;
  }

  @Test
  void eachIsFailedNamingTheFieldAndTheRule() {
    h = new OperatorHarness();
    h.kubelet.start();
    String mpi = "  nodeCount: 2\n  distributedTraining:\n    mpi:\n      processCountPerNode: 1\n";
    Map<String, String[]> hostile = new LinkedHashMap<>();
    hostile.put("null-env", new String[] {"  environmentDefinition:\n    environmentVariables:\n      LANG: null\n",
        "spec.environmentDefinition.environmentVariables[LANG]: is null"});
    hostile.put("mpi-wiring", new String[] {mpi + "  environmentVariables:\n    OMPI_MCA_plm_rsh_args: \"-p 2\"\n",
        "spec.environmentVariables[OMPI_MCA_plm_rsh_args]: wires mpirun"});
    hostile.put("unknown-reference", new String[] {"  arguments: [$AZUREML_DATAREFERENCE_mnist]\n",
        "spec.arguments[0]: '$AZUREML_DATAREFERENCE_mnist' names no data reference of the job"});
    hostile.put("ssh-keys", new String[] {mpi + "  inputs:\n  - name: d\n    dataStore:\n      "
        + "persistentVolumeClaim: d\n    pathOnCompute: /etc/chainer/./ssh/\n",
        "spec.inputs[0].pathOnCompute: '/etc/chainer/./ssh/' is where the operator mounts its own files"});
    hostile.put("half-gpu", new String[] {mpi + "  useGpu: true\n  kubernetes:\n    worker:\n      resources:\n"
        + "        limits:\n          nvidia.com/gpu: 500m\n", "spec.kubernetes.worker.resources.limits[nvidia.com/gpu]: "
        + "'500m' must be an integer"});
    hostile.put("shm-over-memory", new String[] {"  shmSize: 8g\n  kubernetes:\n    launcher:\n      resources:\n"
        + "        limits:\n          memory: 2Gi\n", "spec.shmSize: '8g' (8589934592 bytes) is more than the training "
        + "pod's memory limit"});
    hostile.forEach((name, c) -> create(name, c[0]));
    create("valid", "  shmSize: 1.5g\n  pipPackages: []\n  scriptParams:\n    --verbose: null\n    --lr: 0.00001\n");
    hostile.forEach((name, c) -> {
      ChainerJobStatus failed = h.awaitPhase(ref(name), JobPhase.Failed);
      assertEquals("InvalidSpec", failed.getReason(), name);
      assertTrue(failed.getMessage().contains(c[1]), () -> name + ": " + failed.getMessage());
      assertTrue(h.client.pods().inNamespace(NS).withLabel("chainer.dev/job-name", name).list().getItems()
          .isEmpty(), name);
    });
    h.awaitPhase(ref("valid"), JobPhase.Completed);
    // through the server, as the estimator built them: the bare flag kept, the float as Python prints it
    var launcher = h.client.pods().inNamespace(NS).withName("valid-launcher").get();
    assertTrue(launcher.getSpec().getContainers().get(0).getArgs().containsAll(java.util.List.of("--lr", "1e-05",
        "--verbose")), launcher.getSpec().getContainers().get(0).getArgs()::toString);
  }
}
