package dev.chainer.operator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.localcluster.LocalApiServer;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * `bench --kubeconfig`: the benchmark against a cluster it did not start. Here the "cluster" is the strict in-process
 * API server, started apart and reached only through a kubeconfig file: it refuses what a real one refuses (an update
 * of a pod's spec.nodeName, a second binding), and runs its own StatefulSet controller and garbage collector, as
 * kube-controller-manager does; it has no nodes, so the benchmark plays the kubelet (--simulate-kubelet). The
 * operator is a separate process given that kubeconfig.
 */
class BenchmarkOnClusterTest {
  @TempDir
  Path dir;

  @Test
  void benchOnAClusterWithASimulatedKubeletReportsEveryColumnAndRemovesItsNamespace() throws Exception {
    try (LocalApiServer cluster = LocalApiServer.start()) {
      Path jobFile = dir.resolve("job.yaml");
      Files.writeString(jobFile, Benchmark.DEFAULT_JOB.replace("nodeCount: 2", "nodeCount: 3"));
      Path report = dir.resolve("report.md");
      int exit = new CommandLine(new BenchCommand()).execute("--kubeconfig", kubeconfig(cluster).toString(),
          "--simulate-kubelet", "--jobs", "4", "--job", jobFile.toString(), "--timeout-minutes", "2",
          "--out", report.toString());
      assertEquals(0, exit);

      List<String> lines = Files.readAllLines(report);
      List<String> costs = row(lines, 0);
      assertEquals("4", costs.get(0));
      assertEquals("0", costs.get(1), "failed");
      assertTrue(Double.parseDouble(costs.get(2)) > 0, "writes/job: " + costs);
      assertEquals("0", costs.get(5), "idle writes");
      assertTrue(Double.parseDouble(costs.get(6)) > 0, "bare-client ratio: " + costs);
      assertTrue(costs.get(7).matches("\\d+ / \\d+"), "launcher latency of every job, after its 3 workers: " + costs);
      assertTrue(Double.parseDouble(costs.get(8)) > 0, "reconciles/job: " + costs);

      List<String> times = row(lines, 1);
      String[] rates = times.get(4).split(" / ");
      assertTrue(Double.parseDouble(rates[0]) > 0 && Double.parseDouble(rates[1]) > 0,
          "requests/s of the operator and of the bare client, each counted by itself: " + times);
      assertEquals("(not known on a cluster)", times.get(5), "the server's own count is not readable there");
      assertTrue(times.get(6).matches("\\d+ MiB") && times.get(7).matches("\\d+ MiB"), "heap and RSS: " + times);

      List<String> creations = row(lines, 2);
      assertEquals(List.of("4", "1.00 / 1.00", "1.00 / 1.00", "1.00 / 1.00", "1.00 / 1.00", "1.00 / 1.00", "0"),
          creations, "each object created once, by one request");
      assertTrue(Files.exists(dir.resolve("report.json")), "the results, for bench --from");

      KubernetesClient client = cluster.client();
      assertTrue(client.namespaces().list().getItems().stream()
          .noneMatch(ns -> ns.getMetadata().getName().startsWith(BenchNamespace.GENERATED_PREFIX)),
          "its own namespace is deleted");
      assertTrue(client.nodes().list().getItems().isEmpty(), "the node it played is removed");
    }
  }

  @Test
  void inANamespaceHoldingAnotherRunsJobsItRunsAndTouchesOnlyItsOwn() throws Exception {
    try (LocalApiServer cluster = LocalApiServer.start()) {
      KubernetesClient client = cluster.client();
      client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("perf").endMetadata().build())
          .create();
      ChainerJob earlier = Benchmark.job(dev.chainer.operator.validation.JobFiles.parse(Benchmark.DEFAULT_JOB), "perf",
          "bench-0000", "an-interrupted-run");
      client.resource(earlier).create();

      Benchmark.Result r = Benchmark.run(Benchmark.Options.of(3).timeout(Duration.ofMinutes(2))
          .onCluster(kubeconfig(cluster), true).namespace("perf"));

      assertEquals(0, r.failed());
      assertEquals(3L, r.objectsCreated("apps/statefulsets"));
      assertEquals(0, r.refusedCreations(), "no AlreadyExists: the run's names are its own");
      assertNotNull(client.namespaces().withName("perf").get(), "a namespace it was given stays");
      List<ChainerJob> left = client.resources(ChainerJob.class).inNamespace("perf").list().getItems();
      assertEquals(List.of("bench-0000"), left.stream().map(j -> j.getMetadata().getName()).toList(),
          "only the job it did not create is left");
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

  /** The cells of the first data row of the report's n-th table. */
  private static List<String> row(List<String> lines, int table) {
    int seen = -1;
    for (int i = 0; i + 2 < lines.size(); i++) {
      if (lines.get(i).startsWith("| jobs |") && lines.get(i + 1).startsWith("|---") && ++seen == table) {
        String row = lines.get(i + 2);
        return Arrays.stream(row.substring(1, row.length() - 1).split("\\|")).map(String::trim).toList();
      }
    }
    throw new AssertionError("no table " + table + " in\n" + String.join("\n", lines));
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
