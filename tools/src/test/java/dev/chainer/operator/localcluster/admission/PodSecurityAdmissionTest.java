package dev.chainer.operator.localcluster.admission;

import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.testing.OperatorHarness;
import dev.chainer.operator.testing.Rendered;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A namespace that enforces the Pod Security Standard restricted (label pod-security.kubernetes.io/enforce), as
 * the PodSecurity admission plugin enforces it: a root job's pods are refused, a restricted job runs to the end.
 */
class PodSecurityAdmissionTest {
  private OperatorHarness h;

  @BeforeEach
  void start() {
    h = new OperatorHarness();
    h.client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("team-a")
        .addToLabels(Admission.ENFORCE, "restricted").endMetadata().build()).create();
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private static Pod launcher(ChainerJob job) {
    job.getMetadata().setUid("0b7c6f3e-1111-2222-3333-444455556666");
    return new PodBuilder(Rendered.of(job).objects().launcher()).editMetadata().withOwnerReferences().endMetadata()
        .build();
  }

  @Test
  void aRootPodIsForbiddenWithEveryReason() {
    KubernetesClientException refused = assertThrows(KubernetesClientException.class,
        () -> h.client.resource(launcher(mpi(""))).create());
    assertEquals(403, refused.getCode());
    String message = refused.getStatus().getMessage();
    assertTrue(message.startsWith("pods \"train-launcher\" is forbidden: violates PodSecurity \"restricted:latest\": "
        + "allowPrivilegeEscalation != false (container \"launcher\" must set "
        + "securityContext.allowPrivilegeEscalation=false)"), message);
    assertTrue(message.contains("runAsNonRoot != true"), message);
    assertEquals("Forbidden", refused.getStatus().getReason());
  }

  @Test
  void aRestrictedPodIsAdmitted() {
    Pod pod = launcher(mpi("kubernetes:\n  securityProfile: restricted\n"));
    assertNotNull(h.client.resource(pod).create().getMetadata().getUid());
  }

  @Test
  void aRestrictedJobRunsToTheEndInARestrictedNamespace() {
    h.kubelet.launcherRunTime(Duration.ofMillis(300)).start();
    ChainerJob job = h.submit(mpi("kubernetes:\n  securityProfile: restricted\n"));
    h.awaitPhase(job, JobPhase.Completed);
    Pod launcher = h.client.pods().inNamespace("team-a").withName("train-launcher").get();
    assertEquals(Boolean.TRUE, launcher.getSpec().getSecurityContext().getRunAsNonRoot());
  }
}
