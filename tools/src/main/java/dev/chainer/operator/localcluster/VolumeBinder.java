package dev.chainer.operator.localcluster;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatus;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The PersistentVolume controller of the in-process cluster with a dynamic provisioner behind every StorageClass
 * (pkg/controller/volume/persistentvolume): a new claim is marked Pending, and {@link #PROVISIONING} later gets a
 * volume ({@code pvc-<claim uid>}, the name dynamic provisioning gives): spec.volumeName and the bind annotations
 * are written, then status Bound with the claim's access modes and its requested size as capacity. A claim of a
 * class registered with {@link #neverBinds} stays Pending for ever, as one of a class with no provisioner does (the
 * pods that use it then stay unscheduled: {@link VolumeScheduling}). A bound claim whose request grows gets the new
 * capacity, as a completed online expansion. There are no PersistentVolume objects and no pvc-protection finalizer.
 */
public final class VolumeBinder implements AutoCloseable {
  /** How long a dynamic provisioner takes to create a volume here. */
  public static final Duration PROVISIONING = Duration.ofMillis(200);
  private final KubernetesClient client;
  private final ScheduledExecutorService loop = ControlLoop.daemon("volume-binder");
  private final Set<String> neverBinds = ConcurrentHashMap.newKeySet();
  /** When each claim (by uid) was first seen Pending. */
  private final Map<String, Instant> pendingSince = new ConcurrentHashMap<>();
  private SharedIndexInformer<PersistentVolumeClaim> claims;

  public VolumeBinder(KubernetesClient client) {
    this.client = client;
  }

  public VolumeBinder start() {
    claims = client.persistentVolumeClaims().inAnyNamespace().inform();
    loop.scheduleWithFixedDelay(this::syncSafely, 0, 50, TimeUnit.MILLISECONDS);
    return this;
  }

  /** Claims of this StorageClass are never bound: it has no provisioner, and no volume matches them. */
  public VolumeBinder neverBinds(String storageClass) {
    neverBinds.add(storageClass);
    return this;
  }

  private void syncSafely() {
    for (PersistentVolumeClaim claim : claims.getStore().list()) {
      try {
        sync(claim);
      } catch (KubernetesClientException e) {
        // a stale cache (409, 404): the next round sees the claim afresh
      } catch (RuntimeException e) {
        System.err.println("volume-binder: " + e);
      }
    }
  }

  private void sync(PersistentVolumeClaim claim) {
    if (claim.getMetadata().getDeletionTimestamp() != null) {
      return;
    }
    String phase = claim.getStatus() == null ? null : claim.getStatus().getPhase();
    if (phase == null || phase.isEmpty()) { // syncUnboundClaim: a new claim is Pending until a volume is bound
      writeStatus(claim, new PersistentVolumeClaimStatusBuilder().withPhase("Pending").build());
      return;
    }
    if ("Pending".equals(phase)) {
      Instant since = pendingSince.computeIfAbsent(claim.getMetadata().getUid(), k -> Instant.now());
      if (!neverBinds.contains(String.valueOf(claim.getSpec().getStorageClassName()))
          && Duration.between(since, Instant.now()).compareTo(PROVISIONING) >= 0) {
        bind(claim);
      }
    } else if ("Bound".equals(phase)) {
      pendingSince.remove(claim.getMetadata().getUid());
      expand(claim);
    }
  }

  /** bindClaimToVolume, then updateClaimStatus: the claim names its volume first, then reports Bound. */
  private void bind(PersistentVolumeClaim claim) {
    String volume = "pvc-" + claim.getMetadata().getUid();
    PersistentVolumeClaim named = client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace())
        .resource(claim).edit(c -> new PersistentVolumeClaimBuilder(c).editSpec().withVolumeName(volume).endSpec()
            .editMetadata().addToAnnotations("pv.kubernetes.io/bind-completed", "yes")
            .addToAnnotations("pv.kubernetes.io/bound-by-controller", "yes").endMetadata().build());
    writeStatus(named, new PersistentVolumeClaimStatusBuilder().withPhase("Bound")
        .withAccessModes(named.getSpec().getAccessModes()).withCapacity(Map.of("storage", requested(named))).build());
  }

  /** A bound claim asked for more than it has: its volume grows (controller and file system expansion done). */
  private void expand(PersistentVolumeClaim claim) {
    Quantity requested = requested(claim);
    Quantity capacity = claim.getStatus().getCapacity() == null ? null : claim.getStatus().getCapacity().get("storage");
    if (requested != null && capacity != null && requested.compareTo(capacity) > 0) {
      PersistentVolumeClaimStatus status = new PersistentVolumeClaimStatusBuilder(claim.getStatus())
          .withCapacity(Map.of("storage", requested)).build();
      writeStatus(claim, status);
    }
  }

  private static Quantity requested(PersistentVolumeClaim claim) {
    var resources = claim.getSpec().getResources();
    return resources == null || resources.getRequests() == null ? null : resources.getRequests().get("storage");
  }

  /** From a copy: the informer's objects are its cache, never to be changed. */
  private void writeStatus(PersistentVolumeClaim claim, PersistentVolumeClaimStatus status) {
    PersistentVolumeClaim updated = new PersistentVolumeClaimBuilder(claim).withStatus(status).build();
    client.persistentVolumeClaims().inNamespace(claim.getMetadata().getNamespace()).resource(updated).updateStatus();
  }

  @Override
  public void close() {
    loop.shutdownNow();
    if (claims != null) {
      claims.close();
    }
  }
}
