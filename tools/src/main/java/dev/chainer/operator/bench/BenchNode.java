package dev.chainer.operator.bench;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The Node that the simulated kubelet plays on a real cluster, registered as a kubelet registers its own: a Node
 * object, Ready, and its heartbeat, a Lease in kube-node-lease renewed every 10 s (the kubelet's default). Without it
 * the controller manager's pod garbage collector deletes pods bound to a node that does not exist (after 40 s), and
 * without the heartbeat the node lifecycle controller would mark the node unreachable and evict its pods. It is
 * tainted NoSchedule so that the cluster's scheduler places nothing else on it; the benchmark binds its pods itself.
 * Removed at the end. Best effort: without the permission to create Nodes the benchmark says so and goes on (short
 * runs finish before the pod garbage collector acts).
 */
final class BenchNode implements AutoCloseable {
  private static final String LEASES = "kube-node-lease";
  private static final int LEASE_SECONDS = 40;
  private final KubernetesClient client;
  private final String name;
  private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-node-heartbeat");
    t.setDaemon(true);
    return t;
  });
  private volatile boolean registered;

  BenchNode(KubernetesClient client, String name, String run) {
    this.client = client;
    this.name = name;
    try {
      Node node = client.nodes().resource(new NodeBuilder().withNewMetadata().withName(name)
          .addToLabels(Benchmark.RUN_LABEL, run).addToLabels("kubernetes.io/hostname", name).endMetadata()
          .withNewSpec().addNewTaint().withKey(Benchmark.RUN_LABEL).withValue(run).withEffect("NoSchedule").endTaint()
          .endSpec().build()).create();
      node.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder().addNewCondition().withType("Ready")
          .withStatus("True").withReason("KubeletReady").withMessage("the chainer-operator benchmark's kubelet")
          .withLastHeartbeatTime(now()).withLastTransitionTime(now()).endCondition().build());
      client.nodes().resource(node).updateStatus();
      registered = true;
      heartbeat.scheduleWithFixedDelay(this::renew, 0, 10, TimeUnit.SECONDS);
    } catch (KubernetesClientException e) {
      System.err.println("benchmark: could not register node " + name + " (" + e.getCode() + "): pods bound to it may "
          + "be removed by the pod garbage collector after 40 s");
    }
  }

  private void renew() {
    try {
      ZonedDateTime renewed = ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MICROS);
      var leases = client.leases().inNamespace(LEASES);
      if (leases.withName(name).get() == null) {
        leases.resource(new LeaseBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
            .withHolderIdentity(name).withLeaseDurationSeconds(LEASE_SECONDS).withRenewTime(renewed).endSpec().build())
            .create();
      } else {
        leases.withName(name).edit(l -> new LeaseBuilder(l).editSpec().withRenewTime(renewed).endSpec().build());
      }
    } catch (KubernetesClientException e) {
      // the next beat tries again
    }
  }

  private static String now() {
    return ZonedDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS).format(DateTimeFormatter.ISO_INSTANT);
  }

  @Override
  public void close() {
    heartbeat.shutdownNow();
    if (registered) {
      client.nodes().withName(name).delete();
      client.leases().inNamespace(LEASES).withName(name).delete();
    }
  }
}
