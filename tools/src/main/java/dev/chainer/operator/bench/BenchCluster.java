package dev.chainer.operator.bench;

import dev.chainer.operator.config.ClientConfig;
import dev.chainer.operator.localcluster.LocalApiServer;
import dev.chainer.operator.localcluster.SimulatedKubelet;
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

  private BenchCluster(Optional<LocalApiServer> local, KubernetesClient client, Map<String, String> operatorEnvironment) {
    this.local = local;
    this.client = client;
    this.operatorEnvironment = operatorEnvironment;
  }

  /** The in-process API server (Fabric8's mock) with the ChainerJob CRD and its controllers. */
  static BenchCluster local() {
    LocalApiServer api = LocalApiServer.start().forgetRequests();
    Map<String, String> env = Map.of("KUBERNETES_MASTER", api.client().getConfiguration().getMasterUrl(),
        "KUBERNETES_AUTH_TRYKUBECONFIG", "false", "KUBERNETES_TRUST_CERTIFICATES", "true");
    return new BenchCluster(Optional.of(api), api.client(), env);
  }

  /** The cluster of a kubeconfig file (its current context); the ChainerJob CRD must be installed. */
  static BenchCluster remote(Path kubeconfig) throws Exception {
    Config config = ClientConfig.withoutCleartextHttp2(Config.fromKubeconfig(Files.readString(kubeconfig)));
    KubernetesClient client = new KubernetesClientBuilder().withConfig(config).build();
    if (client.apiextensions().v1().customResourceDefinitions().withName(CRD_NAME).get() == null) {
      client.close();
      throw new IllegalStateException("the cluster of " + kubeconfig + " has no CustomResourceDefinition " + CRD_NAME
          + "; install it first: kubectl apply -f crds/chainerjobs.chainer.dev-v1.yml");
    }
    Map<String, String> env = Map.of("KUBECONFIG", kubeconfig.toAbsolutePath().toString());
    return new BenchCluster(Optional.empty(), client, env);
  }

  /**
   * The simulated kubelet for the pods of one namespace, or nothing (a cluster whose own kubelets run them). It plays
   * only the kubelet (and binds pods as a scheduler would): the StatefulSet controller and the garbage collector are
   * the cluster's (on the in-process server, its own). On a real cluster it plays a node of its own, registered for
   * the run ({@link BenchNode}).
   */
  AutoCloseable kubelet(boolean simulate, String namespace, String run, Duration launcherRunTime) {
    if (!simulate && !isLocal()) {
      return () -> { };
    }
    SimulatedKubelet kubelet = new SimulatedKubelet(client).namespace(namespace).launcherRunTime(launcherRunTime);
    if (isLocal()) {
      kubelet.start();
      return kubelet;
    }
    String node = BenchNamespace.GENERATED_PREFIX + run;
    BenchNode registered = new BenchNode(client, node, run);
    kubelet.node(node).start();
    return () -> {
      kubelet.close();
      registered.close();
    };
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
    if (local.isPresent()) {
      local.get().close();
    } else {
      client.close();
    }
  }
}
