package dev.chainer.operator.reconcile;

import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.runtime.LeaseTracker;
import dev.chainer.operator.runtime.OperatorHealth;
import dev.chainer.operator.runtime.OperatorMetrics;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.RuntimeInfo;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The Java Operator SDK operator running the ChainerJob reconciler: the same wiring for a real cluster,
 * the demo and the tests. Server-side apply is off because the operator never patches with it (it creates,
 * deletes and PUTs status), which also keeps the configuration under test the one that runs.
 */
public final class ChainerOperator implements AutoCloseable {
  private final Operator operator;
  private final OperatorMetrics metrics;
  private final LeaseTracker lease;
  /** Ours, not JOSDK's: asking JOSDK while it starts waits for its start-up lock, and a probe must answer at once. */
  private volatile boolean started;

  private ChainerOperator(Operator operator, OperatorMetrics metrics, LeaseTracker lease) {
    this.operator = operator;
    this.metrics = metrics;
    this.lease = lease;
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
    LeaseTracker lease = new LeaseTracker(settings.leaderElection() != null);
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withUseSSAToPatchPrimaryResource(false)
          // An informer that cannot list at start-up (an API server restarting, a CRD being installed) keeps
          // retrying instead of failing the start: readiness waits for every cache, liveness names what fails.
          .withStopOnInformerErrorDuringStartup(false)
          .withMetrics(metrics)
          .withConcurrentReconciliationThreads(settings.threads());
      if (settings.leaderElection() != null) {
        o.withLeaderElectionConfiguration(lease.tracking(settings.leaderElection()));
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
    return new ChainerOperator(operator, metrics, lease);
  }

  public ChainerOperator start() {
    operator.start();
    started = true;
    return this;
  }

  public boolean isStarted() {
    return started;
  }

  /**
   * The probes' facts. Event sources are asked only once started (before, JOSDK has none to report and warns);
   * each unhealthy one is named {@code <controller>/<event source>}.
   */
  public OperatorHealth health() {
    if (!started) {
      return new OperatorHealth(false, List.of(), lease.lease());
    }
    RuntimeInfo runtime = operator.getRuntimeInfo();
    List<String> unhealthy = runtime.unhealthyEventSources().entrySet().stream()
        .flatMap(controller -> controller.getValue().keySet().stream().map(source -> controller.getKey() + "/" + source))
        .sorted().toList();
    return new OperatorHealth(true, unhealthy, lease.lease());
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
