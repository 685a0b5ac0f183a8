package dev.chainer.operator.cli;

import dev.chainer.operator.config.ClientConfig;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.reconcile.ChainerOperator;
import dev.chainer.operator.runtime.ApiRequests;
import dev.chainer.operator.runtime.HealthServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.extended.leaderelection.LeaderCallbacks;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfigurationBuilder;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs the operator against the cluster of the current kubeconfig, or in-cluster. */
@Command(name = "run", mixinStandardHelpOptions = true,
    description = "Run the operator against the cluster of the current kubeconfig (or the in-cluster "
        + "configuration). Stops cleanly on SIGTERM.")
public final class RunCommand implements Callable<Integer> {
  @Option(names = "--namespaces", split = ",", defaultValue = "${env:WATCH_NAMESPACES}",
      description = "Namespaces to watch, comma-separated (env WATCH_NAMESPACES); all when empty.")
  String[] namespaces;

  @Option(names = "--config", defaultValue = "${env:CHAINER_OPERATOR_CONFIG}",
      description = "Operator configuration YAML (env CHAINER_OPERATOR_CONFIG).")
  Path config;

  @Option(names = "--port", defaultValue = "8080",
      description = "Port of /healthz, /readyz and /metrics (default ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--leader-election", negatable = true, defaultValue = "true", fallbackValue = "true",
      description = "Elect a leader among replicas through a Lease (default on; --no-leader-election for one "
          + "replica run by hand).")
  boolean leaderElection;

  @Option(names = "--lease-namespace", defaultValue = "${env:POD_NAMESPACE}",
      description = "Namespace of the leader-election Lease (env POD_NAMESPACE; default: the namespace of the "
          + "kubeconfig's context, or of the pod's service account, else 'default').")
  String leaseNamespace;

  @Option(names = "--resync-seconds", defaultValue = "600",
      description = "Reconcile every job at least this often, even when nothing happens (default ${DEFAULT-VALUE}).")
  long resyncSeconds;

  @Option(names = "--threads", defaultValue = "10", description = "Concurrent reconciliations (default ${DEFAULT-VALUE}).")
  int threads;

  @Override
  public Integer call() throws Exception {
    CountDownLatch stopped = new CountDownLatch(1);
    ApiRequests requests = new ApiRequests();
    Running running = start(new KubernetesClientBuilder()
        .withConfig(ClientConfig.withoutCleartextHttp2(Config.autoConfigure(null)))
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(ApiRequests.NAME, requests)).build(), requests);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      stopped.countDown();
    }, "shutdown"));
    System.err.println("chainer-operator: watching " + (running.namespaces().isEmpty() ? "all namespaces"
        : running.namespaces()) + "; health and metrics on port " + running.health().port());
    stopped.await();
    return 0;
  }

  /** A started operator with its health server; closing it stops both and the client. */
  public record Running(ChainerOperator operator, HealthServer health, KubernetesClient client, Set<String> namespaces,
      AtomicBoolean stopping) implements AutoCloseable {
    @Override
    public void close() {
      stopping.set(true);
      operator.close();
      health.close();
      client.close();
    }
  }

  /**
   * A replica that loses its Lease must stop reconciling at once: it halts (and is restarted by its
   * Deployment). Not while shutting down, when giving up the Lease is expected.
   */
  private LeaderElectionConfiguration leaderElection(AtomicBoolean stopping, String namespace) {
    return LeaderElectionConfigurationBuilder.aLeaderElectionConfiguration("chainer-operator-lock")
        .withLeaseNamespace(namespace)
        .withExitOnStopLeading(false)
        .withLeaderCallbacks(new LeaderCallbacks(() -> { }, () -> {
          if (!stopping.get()) {
            System.err.println("chainer-operator: lost the leader Lease; exiting");
            Runtime.getRuntime().halt(1);
          }
        }, leader -> { }))
        .build();
  }

  /**
   * Where the Lease goes: as given, else the client's own namespace (the kubeconfig context's, or in a pod its
   * service account's), which is where the operator's RBAC is; 'default' only when there is none.
   */
  private String leaseNamespace(KubernetesClient client) {
    if (leaseNamespace != null && !leaseNamespace.isBlank()) {
      return leaseNamespace;
    }
    return client.getNamespace() != null ? client.getNamespace() : "default";
  }

  public Running start(KubernetesClient client) throws java.io.IOException {
    return start(client, new ApiRequests());
  }

  /** Starts the operator on a client; {@code requests} counts that client's API requests for /metrics. */
  public Running start(KubernetesClient client, ApiRequests requests) throws java.io.IOException {
    OperatorConfig operatorConfig = config == null ? OperatorConfig.defaults() : OperatorConfig.load(config);
    Set<String> watched = namespaces == null ? Set.of() : Arrays.stream(namespaces).map(String::trim)
        .filter(s -> !s.isEmpty()).collect(Collectors.toSet());
    AtomicBoolean stopping = new AtomicBoolean();
    LeaderElectionConfiguration election = leaderElection ? leaderElection(stopping, leaseNamespace(client)) : null;
    ChainerOperator operator = ChainerOperator.create(client, operatorConfig, Clock.systemUTC(),
        new ChainerOperator.Settings(watched, election, threads, java.time.Duration.ofSeconds(resyncSeconds)));
    HealthServer health = HealthServer.start(port, operator::health,
        () -> operator.metrics().prometheus() + requests.prometheus());
    operator.start();
    return new Running(operator, health, client, watched, stopping);
  }
}
