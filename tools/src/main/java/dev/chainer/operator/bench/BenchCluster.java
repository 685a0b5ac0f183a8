package dev.chainer.operator.bench;

import dev.chainer.operator.config.ClientConfig;
import dev.chainer.operator.demo.LocalApiServer;
import dev.chainer.operator.demo.SimulatedKubelet;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * The cluster a benchmark runs on: the in-process API server with the simulated kubelet, or a real cluster
 * from a kubeconfig, whose own controllers and kubelets run the pods (or the simulated kubelet, for an API
 * server that has none, such as a bare kube-apiserver).
 */
final class BenchCluster implements AutoCloseable {
  static final String CRD_NAME = "chainerjobs.chainer.dev";
  private final Optional<LocalApiServer> local;
  private final KubernetesClient client;
  private final Map<String, String> operatorEnvironment;
  private final Optional<SimulatedKubelet> kubelet;

  private BenchCluster(Optional<LocalApiServer> local, KubernetesClient client, Map<String, String> operatorEnvironment,
      boolean simulateKubelet, Duration launcherRunTime) {
    this.local = local;
    this.client = client;
    this.operatorEnvironment = operatorEnvironment;
    this.kubelet = simulateKubelet
        ? Optional.of(new SimulatedKubelet(client).launcherRunTime(launcherRunTime).start()) : Optional.empty();
  }

  /** The in-process API server (Fabric8's mock) with the ChainerJob CRD and the simulated kubelet. */
  static BenchCluster local(Duration launcherRunTime) {
    LocalApiServer api = LocalApiServer.start().forgetRequests();
    Map<String, String> env = Map.of("KUBERNETES_MASTER", api.client().getConfiguration().getMasterUrl(),
        "KUBERNETES_AUTH_TRYKUBECONFIG", "false", "KUBERNETES_TRUST_CERTIFICATES", "true");
    return new BenchCluster(Optional.of(api), api.client(), env, true, launcherRunTime);
  }

  /** The cluster of a kubeconfig file (its current context); the ChainerJob CRD must be installed. */
  static BenchCluster remote(Path kubeconfig, boolean simulateKubelet, Duration launcherRunTime) throws Exception {
    Config config = ClientConfig.withoutCleartextHttp2(Config.fromKubeconfig(Files.readString(kubeconfig)));
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    if (client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).get() == null) {
      client.close();
      throw new IllegalStateException("the cluster of " + kubeconfig + " has no CustomResourceDefinition " + CRD_NAME
          + "; install it first: kubectl apply -f crds/chainerjobs.chainer.dev-v1.yml");
    }
    Map<String, String> env = Map.of("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    return new BenchCluster(Optional.empty(), client, env, simulateKubelet, launcherRunTime);
  }

  KubernetesClient client() {
    return client;
  }

  /** The environment that points an operator process at this cluster. */
  Map<String, String> operatorEnvironment() {
    return operatorEnvironment;
  }

  /** Requests the in-process API server has answered so far (from every client); -1 on a real cluster. */
  long requestsServed() {
    return local.map(api -> (long) api.server().getRequestCount()).orElse(-1L);
  }

  /** True for the in-process API server: nothing outlives the benchmark, so nothing needs removing. */
  boolean isLocal() {
    return local.isPresent();
  }

  @Override
  public void close() {
    kubelet.ifPresent(SimulatedKubelet::close);
    if (local.isPresent()) {
      local.get().close();
    } else {
      client.close();
    }
  }
}
