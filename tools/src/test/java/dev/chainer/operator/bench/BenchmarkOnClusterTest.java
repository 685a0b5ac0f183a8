package dev.chainer.operator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.demo.LocalApiServer;
import dev.chainer.operator.demo.SimulatedKubelet;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `bench --kubeconfig`: the benchmark against a cluster it did not start. Here the "cluster" is an API server
 * reached only through a kubeconfig file, with its own kubelet (the simulated one, started by the test, not by
 * the benchmark), and the operator is a separate process given that kubeconfig.
 */
class BenchmarkOnClusterTest {
  @TempDir
  Path dir;

  @Test
  void measuresJobsOnTheClusterOfAKubeconfigAndRemovesWhatItCreated() throws Exception {
    try (LocalApiServer cluster = LocalApiServer.start();
        SimulatedKubelet kubelet = new SimulatedKubelet(cluster.client()).launcherRunTime(Duration.ofMillis(500))
            .start()) {
      Path jobFile = dir.resolve("job.yaml");
      Files.writeString(jobFile, Benchmark.DEFAULT_JOB.replace("nodeCount: 2", "nodeCount: 3"));
      Benchmark.Result r = Benchmark.run(Benchmark.Options.of(4).inChildProcess().timeout(Duration.ofMinutes(2))
          .onCluster(kubeconfig(cluster), false).namespace("perf").jobFile(jobFile));

      assertEquals(0, r.failed());
      Long created = r.requestsByPhase().get("creation").get("create apps/statefulsets");
      assertEquals(4L, created, "one StatefulSet per job: " + r.requestsByPhase());
      assertEquals(4, r.launcherLatencyMillis().size(), "launcher latency of every job, after its 3 workers");
      assertTrue(r.rss() > 0, "the operator ran as a process of its own");
      KubernetesClient client = cluster.client();
      assertTrue(client.resources(ChainerJob.class).inNamespace("perf").list().getItems().isEmpty(),
          "the benchmark's jobs are deleted");
      assertTrue(client.apps().statefulSets().inNamespace("perf").withLabel(Benchmark.RUN_LABEL).list().getItems()
          .isEmpty(), "the baseline's StatefulSets are deleted");
      assertTrue(client.secrets().inNamespace("perf").withLabel(Benchmark.RUN_LABEL).list().getItems().isEmpty(),
          "the baseline's Secrets are deleted");
    }
  }

  @Test
  void aClusterWithoutTheCrdIsRefusedWithTheCommandThatInstallsIt() throws Exception {
    try (LocalApiServer cluster = LocalApiServer.start()) {
      cluster.client().apiextensions().v1().customResourceDefinitions().withName(BenchCluster.CRD_NAME).delete();
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> Benchmark.run(Benchmark.Options.of(1).onCluster(kubeconfig(cluster), false)));
      assertTrue(e.getMessage().contains("kubectl apply -f crds/chainerjobs.chainer.dev-v1.yml"), e.getMessage());
    }
  }

  private Path kubeconfig(LocalApiServer cluster) throws Exception {
    Path file = dir.resolve("kubeconfig");
    Files.writeString(file, """
        apiVersion: v1
        kind: Config
        clusters:
        - name: local
          cluster:
            server: %s
        users:
        - name: bench
          user:
            token: not-checked
        contexts:
        - name: local
          context:
            cluster: local
            user: bench
        current-context: local
        """.formatted(cluster.client().getConfiguration().getMasterUrl()));
    return file;
  }
}
