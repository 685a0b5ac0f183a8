package dev.chainer.operator.reconcile;

import static dev.chainer.operator.testing.TestJobs.job;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobCrd;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * CEL is never the only guard. Against an API server that does not run the CRD's CEL rules (Kubernetes before
 * 1.25), or with a CRD whose schema is looser than this operator's, whatever is stored reaches the operator, which
 * fails that one job with a message naming the field and keeps running every other job.
 */
class OperatorGuardTest {
  private OperatorHarness h;

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void invalidSpecFailsWithEveryMessageAndCreatesNothing() {
    h = OperatorHarness.withoutCel();
    h.kubelet.start();
    ChainerJob job = h.submit(job("sourceDirectory: /app\nentryScript: ../x.py\nnodeCount: 2\nuseDocker: false"));
    ChainerJobStatus failed = h.awaitPhase(job, JobPhase.Failed);
    assertEquals("InvalidSpec", failed.getReason());
    assertTrue(failed.getMessage().contains("spec.useDocker: must be true"), failed.getMessage());
    assertTrue(failed.getMessage().contains("spec.entryScript:"), failed.getMessage());
    assertTrue(failed.getMessage().contains("spec.distributedTraining: is required"), failed.getMessage());
    assertEquals("InvalidSpec", failed.getConditions().stream().filter(c -> c.getType().equals("Failed"))
        .findFirst().orElseThrow().getReason());
    var event = OperatorHarness.await(() -> h.event(job, "InvalidSpec").orElse(null), e -> true, "event");
    assertEquals("Warning", event.getType());
    assertTrue(event.getMessage().contains("spec.useDocker"));
    assertTrue(h.client.pods().inNamespace("team-a").list().getItems().isEmpty());
    assertTrue(h.client.apps().statefulSets().inNamespace("team-a").list().getItems().isEmpty());
  }

  @Test
  void fixingAnInvalidSpecStartsTheJob() {
    h = OperatorHarness.withoutCel();
    h.kubelet.start();
    ChainerJob job = h.submit(job("sourceDirectory: /app\nentryScript: t.py\nframeworkVersion: \"7.0.0\"\n"
        + "useDocker: false"));
    h.awaitPhase(job, JobPhase.Failed);
    ChainerJob current = h.get(job);
    current.getSpec().setUseDocker(true);
    h.client.resource(current).update();
    h.awaitPhase(job, JobPhase.Completed);
  }

  @Test
  void oneBadJobDoesNotStopTheOthers() {
    h = OperatorHarness.withoutCel();
    h.kubelet.start();
    ChainerJob bad = h.submit(job("broken", "entryScript: /etc/passwd\nnodeCount: 3"));
    ChainerJob good = h.submit(mpi(""));
    h.awaitPhase(bad, JobPhase.Failed);
    h.awaitPhase(good, JobPhase.Completed);
    assertTrue(h.operator().health().live(), h.operator().health().describe(false));
  }

  @Test
  void specChangesOfAStartedJobAreIgnoredWithAWarning() {
    h = OperatorHarness.withoutCel();
    h.kubelet.launcherRunTime(Duration.ofSeconds(3)).start();
    ChainerJob job = h.submit(mpi(""));
    h.awaitPhase(job, JobPhase.Running);
    ChainerJob current = h.get(job);
    current.getSpec().setNodeCount(5);
    h.client.resource(current).update();
    var event = OperatorHarness.await(() -> h.event(job, "SpecChangeIgnored").orElse(null), e -> true,
        "a SpecChangeIgnored event");
    assertEquals("Warning", event.getType());
    assertEquals(2, h.client.apps().statefulSets().inNamespace("team-a").withName("train-worker").get()
        .getSpec().getReplicas());
    assertEquals(2L, h.awaitPhase(job, JobPhase.Completed).getObservedGeneration());
  }

  @Test
  void onACurrentServerTheSameEditIsRefusedByTheCrdsTransitionRule() {
    h = new OperatorHarness();
    h.kubelet.launcherRunTime(Duration.ofSeconds(3)).start();
    ChainerJob job = h.submit(mpi(""));
    h.awaitPhase(job, JobPhase.Running);
    ChainerJob current = h.get(job);
    current.getSpec().setNodeCount(5);
    KubernetesClientException refused = assertThrows(KubernetesClientException.class,
        () -> h.client.resource(current).update());
    assertEquals(422, refused.getCode());
    assertTrue(refused.getMessage().contains("the job has started: only spec.runPolicy can change"),
        refused.getMessage());
    h.awaitPhase(job, JobPhase.Completed);
  }

  @Test
  void aNumberItsJavaFieldCannotHoldFailsThatJobAndNoOther() {
    // A CRD installed by an older operator, without the bound on nodeCount: the server stores any int64.
    h = new OperatorHarness();
    CustomResourceDefinition loose = ChainerJobCrd.definition();
    loose.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec")
        .getProperties().get("nodeCount").setMaximum(null);
    h.client.resource(loose).update();
    h.kubelet.start();
    GenericKubernetesResource huge = Serialization.unmarshal("apiVersion: chainer.dev/v1\nkind: ChainerJob\n"
        + "metadata:\n  name: huge\n  namespace: team-a\nspec:\n  sourceDirectory: /app\n  entryScript: t.py\n"
        + "  distributedTraining:\n    mpi: {}\n  nodeCount: 99999999999\n", GenericKubernetesResource.class);
    h.client.resource(huge).create();
    ChainerJob good = h.submit(mpi(""));
    ChainerJobStatus failed = h.awaitPhase(huge(), JobPhase.Failed);
    assertEquals("InvalidSpec", failed.getReason());
    assertTrue(failed.getMessage().contains("spec.nodeCount: Invalid value: 99999999999: spec.nodeCount in body "
        + "should be less than or equal to 1000"), failed.getMessage());
    h.awaitPhase(good, JobPhase.Completed);
    assertTrue(h.operator().health().live(), h.operator().health().describe(false));
    // and after a restart, which reads every job again
    h.stopOperator().startOperator();
    ChainerJob after = h.submit(job("after", "sourceDirectory: /app\nentryScript: t.py\nframeworkVersion: \"7.0.0\""));
    h.awaitPhase(after, JobPhase.Completed);
    assertEquals(JobPhase.Failed, h.status(huge()).getPhase());
  }

  private static ChainerJob huge() {
    ChainerJob ref = new ChainerJob();
    ref.getMetadata().setName("huge");
    ref.getMetadata().setNamespace("team-a");
    return ref;
  }
}
