package dev.chainer.operator.reconcile;

import dev.chainer.operator.config.OperatorConfig;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.util.Set;

/**
 * The Java Operator SDK operator running the ChainerJob reconciler: the same wiring for a real cluster,
 * the demo and the tests. Server-side apply is off because the operator never patches with it (it creates,
 * deletes and PUTs status), which also keeps the configuration under test the one that runs.
 */
public final class ChainerOperator implements AutoCloseable {
  private final Operator operator;
  private final OperatorMetrics metrics;

  private ChainerOperator(Operator operator, OperatorMetrics metrics) {
    this.operator = operator;
    this.metrics = metrics;
  }

  /** What differs between deployments of the operator. */
  public record Settings(Set<String> namespaces, LeaderElectionConfiguration leaderElection, int threads,
      Duration resyncPeriod) {
    public static Settings allNamespaces() {
      return new Settings(Set.of(), null, 10, DEFAULT_RESYNC);
    }

    public Settings withResyncPeriod(Duration period) {
      return new Settings(namespaces, leaderElection, threads, period);
    }
  }

  /** Every job is reconciled at least this often even when nothing happens (a safety net, not a poll). */
  public static final Duration DEFAULT_RESYNC = Duration.ofMinutes(10);

  public static ChainerOperator create(KubernetesClient client, OperatorConfig config, Clock clock,
      Settings settings) {
    OperatorMetrics metrics = new OperatorMetrics();
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withUseSSAToPatchPrimaryResource(false)
          .withMetrics(metrics)
          .withConcurrentReconciliationThreads(settings.threads());
      if (settings.leaderElection() != null) {
        o.withLeaderElectionConfiguration(settings.leaderElection());
      }
    });
    operator.register(new ChainerJobReconciler(config, clock, metrics), c -> {
      c.withReconciliationMaxInterval(settings.resyncPeriod());
      if (settings.namespaces().isEmpty()) {
        c.watchingAllNamespaces();
      } else {
        c.settingNamespaces(settings.namespaces());
      }
    });
    return new ChainerOperator(operator, metrics);
  }

  public ChainerOperator start() {
    operator.start();
    return this;
  }

  public boolean isStarted() {
    return operator.getRuntimeInfo().isStarted();
  }

  public boolean isHealthy() {
    return operator.getRuntimeInfo().isStarted() && operator.getRuntimeInfo().allEventSourcesAreHealthy();
  }

  public OperatorMetrics metrics() {
    return metrics;
  }

  public Operator operator() {
    return operator;
  }

  @Override
  public void close() {
    operator.stop();
  }
}
