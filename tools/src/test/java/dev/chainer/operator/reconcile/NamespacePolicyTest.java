package dev.chainer.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.NamespacePolicy;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.testing.OperatorHarness;
import dev.chainer.operator.testing.TestJobs;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The tenant: allowed only ChainerJobs in team-a, she asked for a system-critical priority class and had the
 * operator read a registry password Secret. With team-a narrowed, her job fails at the door and the operator reads
 * nothing for it; team-b, under the default policy, runs the same job.
 */
class NamespacePolicyTest {
  private static final String REGISTRY = "imageRegistryDetails:\n  address: r.io\n  username: u\n"
      + "  passwordSecretRef:\n    name: regcred\n";

  @Test
  void aJobAskingForMoreThanItsNamespaceAllowsFailsAsInvalidSpecAndNoSecretIsReadForIt() {
    OperatorConfig config = OperatorConfig.defaults();
    NamespacePolicy teamA = new NamespacePolicy();
    teamA.setOperatorReadsSecrets(false);
    teamA.setPriorityClasses(List.of("batch-low"));
    config.getNamespacePolicies().getNamespaces().put("team-a", teamA);
    try (OperatorHarness h = new OperatorHarness(config, ChainerOperator.Settings.allNamespaces())) {
      h.kubelet.launcherRunTime(Duration.ofMillis(300)).start();
      for (String ns : List.of("team-a", "team-b")) {
        h.client.secrets().inNamespace(ns).resource(new SecretBuilder().withNewMetadata().withName("regcred")
            .endMetadata().addToStringData("password", "pw").build()).create();
      }
      ChainerJob refused = h.submit(TestJobs.minimal(REGISTRY
          + "kubernetes:\n  launcher:\n    priorityClassName: urgent\n"));
      ChainerJob elsewhere = TestJobs.minimal(REGISTRY);
      elsewhere.getMetadata().setNamespace("team-b");
      elsewhere = h.submit(elsewhere);

      ChainerJobStatus failed = h.awaitPhase(refused, JobPhase.Failed);
      assertEquals("InvalidSpec", failed.getReason());
      assertTrue(failed.getMessage().contains("spec.imageRegistryDetails.passwordSecretRef: asks the operator to read "
          + "a Secret for the job, which it does not for jobs in namespace team-a (namespacePolicies "
          + "operatorReadsSecrets: false)"), failed.getMessage());
      assertTrue(failed.getMessage().contains("spec.kubernetes.launcher.priorityClassName: 'urgent' "
          + "is not a priority class that jobs in namespace team-a may use"), failed.getMessage());
      var event = OperatorHarness.await(() -> h.event(refused, "InvalidSpec").orElse(null), e -> true, "event");
      assertEquals("Warning", event.getType());
      assertTrue(event.getMessage().contains("namespacePolicies priorityClasses: batch-low"), event.getMessage());

      h.awaitPhase(elsewhere, JobPhase.Completed);
      assertTrue(h.client.pods().inNamespace("team-a").list().getItems().isEmpty(), "nothing ran in team-a");
      List<String> reads = h.drainRequests().stream().filter(r -> r.startsWith("GET ") && r.contains("/regcred"))
          .toList();
      assertEquals(List.of("GET /api/v1/namespaces/team-b/secrets/regcred"), reads.stream().distinct().toList(),
          "the password is read for team-b's job only");
    }
  }
}
