package dev.chainer.operator.cli;

import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.localcluster.LocalApiServer;
import dev.chainer.operator.localcluster.SimulatedKubelet;
import dev.chainer.operator.testing.OperatorHarness;
import dev.chainer.operator.testing.Probe;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `run`: the operator as deployed, with health, metrics, leader election and a namespace filter. */
class RunCommandTest {
  private static RunCommand parse(String... args) {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs(args);
    return run;
  }

  @Test
  void servesHealthAndMetricsElectsALeaderAndRunsJobs() throws Exception {
    try (LocalApiServer api = LocalApiServer.start();
        SimulatedKubelet kubelet = new SimulatedKubelet(api.client()).start();
        RunCommand.Running running = parse("--port", "0", "--lease-namespace", "ops").start(api.server()
            .createClient())) {
      int port = running.health().port();
      Probe.await(port, "/readyz", 200);
      assertEquals(200, Probe.get(port, "/healthz").code());
      ChainerJob job = api.client().resource(mpi("")).create();
      ChainerJobStatus done = OperatorHarness.await(() -> api.client().resource(job).get().getStatus(),
          s -> s.getPhase() == JobPhase.Completed, "completed");
      assertEquals(0, done.getLauncher().getExitCode());
      assertNotNull(api.client().leases().inNamespace("ops").withName("chainer-operator-lock").get(),
          "leader election holds a Lease");
      String metrics = Probe.get(port, "/metrics").body();
      assertTrue(metrics.contains("# TYPE chainer_operator_reconciliations_total counter"), metrics);
      assertTrue(metrics.lines().anyMatch(l -> l.startsWith("chainer_operator_reconciliations_total ")
          && !l.endsWith(" 0")), metrics);
    }
  }

  @Test
  void withoutALeaseNamespaceTheLeaseGoesToTheClientsNamespace() throws Exception {
    // As with a kubeconfig whose context names chainer-system, where the chart's RBAC allows the Lease.
    try (LocalApiServer api = LocalApiServer.start();
        var client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(api.client().getConfiguration())
            .withNamespace("chainer-system").build()).build();
        RunCommand.Running running = parse("--port", "0").start(client)) {
      OperatorHarness.await(() -> api.client().leases().inNamespace("chainer-system")
          .withName("chainer-operator-lock").get(), lease -> true, "the Lease in chainer-system");
      assertEquals(null, api.client().leases().inNamespace("default").withName("chainer-operator-lock").get());
    }
  }

  @Test
  void watchesOnlyTheGivenNamespaces() throws Exception {
    try (LocalApiServer api = LocalApiServer.start();
        SimulatedKubelet kubelet = new SimulatedKubelet(api.client()).start();
        RunCommand.Running running = parse("--port", "0", "--no-leader-election", "--namespaces", "team-b")
            .start(api.server().createClient())) {
      ChainerJob ignored = api.client().resource(mpi("")).create();
      ChainerJob watched = mpi("");
      watched.getMetadata().setNamespace("team-b");
      ChainerJob created = api.client().resource(watched).create();
      OperatorHarness.await(() -> api.client().resource(created).get().getStatus(),
          s -> s.getPhase() == JobPhase.Completed, "the job in team-b completes");
      assertEquals(null, api.client().resource(ignored).get().getStatus(), "team-a is not watched");
    }
  }
}
