package dev.chainer.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The memory of pods the informer dropped: filled by the store's removals, per job, bounded in time and size. */
class VanishedPodsTest {
  private Instant now = Instant.parse("2026-01-01T00:00:00Z");
  private final Clock clock = new Clock() {
    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  };

  private static Pod pod(String namespace, String job, String name, String uid) {
    return new PodBuilder().withNewMetadata().withNamespace(namespace).withName(name).withUid(uid)
        .addToLabels(JobLabels.JOB_NAME, job).endMetadata().withNewStatus().withPhase("Running").endStatus().build();
  }

  private static List<String> names(List<Pod> pods) {
    return pods.stream().map(p -> p.getMetadata().getName()).toList();
  }

  @Test
  void aPodTheStoreDropsIsRememberedForItsJobOnly() {
    VanishedPods vanished = new VanishedPods(clock);
    // The operator's pod store: only what the planner reads is kept (see ChainerJobReconciler).
    ItemStore<Pod> store = vanished.recording(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE,
        Pod.class, new KubernetesSerialization(), "metadata.labels", "metadata.uid", "status"));
    Pod launcher = new PodBuilder(pod("team-a", "train", "train-launcher", "u1")).editStatus().withPhase("Failed")
        .addNewCondition().withType("DisruptionTarget").withStatus("True").withReason("DeletionByPodGC")
        .endCondition().endStatus().build();
    Pod other = pod("team-a", "other", "other-launcher", "u2");
    for (Pod p : List.of(launcher, other, pod("team-b", "train", "train-launcher", "u3"))) {
      store.put(store.getKey(p), p);
    }
    assertEquals(List.of(), vanished.of("team-a", "train"), "nothing gone yet");
    store.remove(store.getKey(launcher));
    store.remove(store.getKey(other));
    assertNull(store.get(store.getKey(launcher)), "the store itself forgets it");
    List<Pod> gone = vanished.of("team-a", "train");
    assertEquals(List.of("train-launcher"), names(gone));
    assertEquals(launcher.getStatus(), gone.get(0).getStatus(), "as last seen: Failed, DisruptionTarget");
    assertEquals("u1", gone.get(0).getMetadata().getUid());
    assertEquals(List.of("other-launcher"), names(vanished.of("team-a", "other")));
    assertEquals(List.of(), vanished.of("team-b", "train"), "another namespace's job of that name");
  }

  @Test
  void aPodIsForgottenAfterAFewMinutesAndTheOldestFirstBeyondTheBound() {
    VanishedPods vanished = new VanishedPods(clock, 2);
    vanished.vanished(pod("a", "j", "p1", "u1"));
    now = now.plusSeconds(10);
    vanished.vanished(pod("a", "j", "p2", "u2"));
    vanished.vanished(pod("a", "j", "p3", "u3"));
    assertEquals(List.of("p2", "p3"), names(vanished.of("a", "j")), "at most 2, the oldest gone");
    now = now.plus(VanishedPods.KEEP).minusSeconds(1);
    assertEquals(List.of("p2", "p3"), names(vanished.of("a", "j")));
    now = now.plus(Duration.ofSeconds(2));
    assertEquals(List.of(), vanished.of("a", "j"), "kept " + VanishedPods.KEEP + " only");
  }
}
