package dev.chainer.operator.bench;

import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.reconcile.ChainerOperator;
import dev.chainer.operator.runtime.ApiRequests;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;

/** The operator in the benchmark's JVM, on a client of its own whose requests are counted. */
final class InProcessOperator implements OperatorUnderTest {
  private final ApiRequests requests = new ApiRequests();
  private final KubernetesClient client;
  private final ChainerOperator operator;

  InProcessOperator(BenchCluster cluster, Duration resync, OperatorConfig config, String namespace) {
    client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(cluster.client().getConfiguration()).build())
        .withHttpClientBuilderConsumer(b -> b.addOrReplaceInterceptor(ApiRequests.NAME, requests)).build();
    operator = ChainerOperator.create(client, config, Clock.systemUTC(),
        new ChainerOperator.Settings(java.util.Set.of(namespace), null, 10, resync)).start();
  }

  @Override
  public Map<String, Long> requests() {
    return requests.snapshot();
  }

  @Override
  public long reconciliations() {
    return operator.metrics().reconciliations();
  }

  @Override
  public long heapAfterGc() {
    System.gc();
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  @Override
  public long rss() {
    return -1;
  }

  @Override
  public void close() {
    operator.close();
    client.close();
  }
}
