package dev.chainer.operator.localcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.testing.TestJobs;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A ChainerJob is updated (PUT) as Kubernetes updates a custom resource whose CRD has the status subresource: a job
 * that has no status yet is accepted without one (kubectl replace, an edit before the operator has seen the job), and
 * the main resource never changes the status: a PUT without status keeps the stored one, a PUT with another status
 * is stored with the stored one. The server accepted these already; this keeps it so, with CEL rules (the transition
 * rule on status.startTime has no old status to read) and without.
 */
class CustomResourceUpdateTest {

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aJobWithoutStatusIsUpdatedAndTheMainResourceNeverWritesStatus(boolean cel) {
    Supplier<LocalApiServer> server = cel ? LocalApiServer::start : LocalApiServer::startWithoutCel;
    try (LocalApiServer api = server.get()) {
      KubernetesClient client = api.client();
      ChainerJob job = TestJobs.mpi("");
      job.getMetadata().setNamespace("a");
      job.getMetadata().setUid(null);
      client.resource(job).create();

      // as kubectl replace sends it: no status at all
      GenericKubernetesResource raw = generic(client).withName("train").get();
      raw.getAdditionalProperties().remove("status");
      @SuppressWarnings("unchecked")
      Map<String, Object> spec = (Map<String, Object>) raw.getAdditionalProperties().get("spec");
      spec.put("entryScript", "other.py");
      generic(client).resource(raw).update();
      assertEquals("other.py", get(client).getSpec().getEntryScript());
      assertFalse(generic(client).withName("train").get().getAdditionalProperties().containsKey("status"),
          "still no status");

      // the typed client, status null
      ChainerJob typed = get(client);
      typed.getSpec().setEntryScript("third.py");
      assertNull(client.resource(typed).update().getStatus());

      ChainerJob withStatus = get(client);
      withStatus.setStatus(new ChainerJobStatus());
      withStatus.getStatus().setPhase(JobPhase.Running);
      client.resource(withStatus).updateStatus();

      ChainerJob noStatus = get(client);
      noStatus.setStatus(null);
      noStatus.getMetadata().getLabels().put("edited", "yes");
      client.resource(noStatus).update();
      assertEquals(JobPhase.Running, get(client).getStatus().getPhase(), "a PUT without status keeps it");
      assertEquals("yes", get(client).getMetadata().getLabels().get("edited"));

      ChainerJob otherStatus = get(client);
      otherStatus.getStatus().setPhase(JobPhase.Failed);
      client.resource(otherStatus).update();
      assertEquals(JobPhase.Running, get(client).getStatus().getPhase(), "the main resource ignores status");
    }
  }

  private static io.fabric8.kubernetes.client.dsl.NonNamespaceOperation<GenericKubernetesResource,
      io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
      io.fabric8.kubernetes.client.dsl.Resource<GenericKubernetesResource>> generic(KubernetesClient client) {
    return client.genericKubernetesResources(ChainerJob.API_VERSION, "ChainerJob").inNamespace("a");
  }

  private static ChainerJob get(KubernetesClient client) {
    return client.resources(ChainerJob.class).inNamespace("a").withName("train").get();
  }
}
