package dev.chainer.operator.reconcile;

import static dev.chainer.operator.reconcile.PlannerFixtures.T0;
import static dev.chainer.operator.reconcile.PlannerFixtures.planRefused;
import static dev.chainer.operator.testing.TestJobs.minimal;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.status.Refusal;
import dev.chainer.operator.testing.Observations;
import io.fabric8.kubernetes.api.model.EventBuilder;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What the API server refuses reaches the job at once: a reason for the kind of refusal, the server's words. */
class RefusalPlannerTest {
  private static final String POD_SECURITY = "pods \"train-launcher\" is forbidden: violates PodSecurity "
      + "\"restricted:latest\": runAsNonRoot != true (pod or container \"launcher\" must set "
      + "securityContext.runAsNonRoot=true)";
  private static final String QUOTA = "pods \"train-worker-0\" is forbidden: exceeded quota: gpu, requested: "
      + "requests.nvidia.com/gpu=4, used: requests.nvidia.com/gpu=8, limited: requests.nvidia.com/gpu=8";

  @Test
  void aPodSecurityRefusalFailsTheJobNamingTheObjectAndQuotingTheServer() {
    Plan p = planRefused(minimal(""), Observations.nothing(), Refusal.of("Pod train-launcher", 403, POD_SECURITY), T0);
    assertEquals(JobPhase.Failed, p.status().getPhase());
    assertEquals("PodSecurityViolation", p.status().getReason());
    assertEquals("the API server refused Pod train-launcher (403): " + POD_SECURITY, p.status().getMessage());
    assertTrue(p.events().stream().anyMatch(e -> e.type().equals("Warning")
        && e.reason().equals("PodSecurityViolation") && e.message().contains("violates PodSecurity")));
  }

  @Test
  void aQuotaRefusalOfTheWorkersMakesTheJobWaitStalledAndTryAgain() {
    Refusal refusal = Refusal.ofEvent(new EventBuilder().withReason("FailedCreate").withNewInvolvedObject()
        .withKind("StatefulSet").withName("train-worker").endInvolvedObject()
        .withMessage("create Pod train-worker-0 in StatefulSet train-worker failed error: " + QUOTA).build())
        .orElseThrow();
    Plan p = planRefused(mpi(""), Observations.nothing(), refusal, T0);
    assertEquals(JobPhase.Queued, p.status().getPhase());
    assertEquals("QuotaExceeded", p.status().getReason());
    assertTrue(p.status().getMessage().startsWith("the API server refused the pods of StatefulSet train-worker: "
        + "create Pod train-worker-0"), p.status().getMessage());
    assertEquals("True", p.status().getConditions().stream().filter(c -> c.getType().equals("Stalled")).findFirst()
        .orElseThrow().getStatus());
    assertEquals(Optional.of(Duration.ofSeconds(30)), p.requeueAfter());
    assertFalse(p.createWorkers(), "nothing more is made while it waits");
  }

  @Test
  void eachKindOfRefusalHasItsReason() {
    assertEquals(Refusal.Kind.ObjectInvalid, Refusal.of("StatefulSet x", 422,
        "StatefulSet.apps \"x\" is invalid: spec.template.metadata.annotations: Invalid value").kind());
    assertEquals(Refusal.Kind.AdmissionDenied, Refusal.of("Pod x", 403,
        "admission webhook \"policy.example.com\" denied the request: no GPUs on Fridays").kind());
    assertEquals(Refusal.Kind.OperatorForbidden, Refusal.of("Pod x", 403, "pods is forbidden: User "
        + "\"system:serviceaccount:ops:chainer-operator\" cannot create resource \"pods\" in API group \"\"").kind());
    assertTrue(Refusal.of("Pod x", 403, "x".repeat(2000)).message().length() < 600, "the server's words, bounded");
    assertFalse(Refusal.isRefusal(503), "a busy server is retried, not a refusal");
  }
}
