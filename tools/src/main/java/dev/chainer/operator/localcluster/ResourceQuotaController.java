package dev.chainer.operator.localcluster;

import dev.chainer.operator.localcluster.admission.Quantities;
import dev.chainer.operator.localcluster.admission.ResourceQuotas;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The ResourceQuota controller of kube-controller-manager (pkg/controller/resourcequota): it keeps each quota's status
 * as {@code kubectl describe quota} shows it, {@code hard} as the spec says and {@code used} as the namespace's pods
 * use it ({@link ResourceQuotas#used}), written when it changes (the real one also when pods end or go, its
 * "replenishment"). Admission does not wait for it here: the in-process server counts the stored pods itself. Pods
 * are watched only once a quota exists, so that a cluster without quotas costs nothing.
 */
final class ResourceQuotaController implements AutoCloseable {
  private final KubernetesClient client;
  private final ScheduledExecutorService loop = ControlLoop.daemon("resourcequota-controller");
  private SharedIndexInformer<ResourceQuota> quotas;
  private volatile SharedIndexInformer<Pod> pods;

  ResourceQuotaController(KubernetesClient client) {
    this.client = client;
  }

  ResourceQuotaController start() {
    quotas = client.resourceQuotas().inAnyNamespace().inform();
    loop.scheduleWithFixedDelay(this::syncAll, 0, 100, TimeUnit.MILLISECONDS);
    return this;
  }

  private void syncAll() {
    List<ResourceQuota> all = quotas.getStore().list();
    if (all.isEmpty()) {
      return;
    }
    if (pods == null) {
      pods = client.pods().inAnyNamespace().inform();
    }
    Instant now = Instant.now();
    for (ResourceQuota quota : all) {
      try {
        sync(quota, now);
      } catch (KubernetesClientException e) {
        // a stale copy (409) or a quota just deleted: the next round sees it afresh
      } catch (RuntimeException e) {
        System.err.println("resourcequota-controller: " + e);
      }
    }
  }

  private void sync(ResourceQuota quota, Instant now) {
    String namespace = quota.getMetadata().getNamespace();
    List<Pod> inNamespace = pods.getStore().list().stream()
        .filter(p -> namespace.equals(p.getMetadata().getNamespace())).toList();
    Map<String, Quantity> hard = new TreeMap<>(quota.getSpec() == null || quota.getSpec().getHard() == null ? Map.of()
        : quota.getSpec().getHard());
    Map<String, Quantity> used = new TreeMap<>();
    ResourceQuotas.used(quota, inNamespace, now).forEach((k, v) -> used.put(k, new Quantity(v.toString())));
    var status = quota.getStatus();
    if (status != null && same(hard, status.getHard()) && same(used, status.getUsed())) {
      return;
    }
    client.resourceQuotas().inNamespace(namespace).resource(new ResourceQuotaBuilder(quota).withNewStatus()
        .withHard(hard).withUsed(used).endStatus().build()).updateStatus();
  }

  /** Equal as quantities (the API server may print them differently from how they were written). */
  private static boolean same(Map<String, Quantity> a, Map<String, Quantity> b) {
    if (b == null || a.size() != b.size()) {
      return false;
    }
    return a.entrySet().stream().allMatch(e -> b.containsKey(e.getKey())
        && Quantities.of(e.getValue()).compareTo(Quantities.of(b.get(e.getKey()))) == 0);
  }

  @Override
  public void close() {
    loop.shutdownNow();
    if (quotas != null) {
      quotas.close();
    }
    if (pods != null) {
      pods.close();
    }
  }
}
