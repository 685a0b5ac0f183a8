package dev.chainer.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.status.ObjectRef;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** An object created and not yet in the cache is created once: until the cache shows it, a deletion, or a timeout. */
class RecentCreationsTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static Secret secret(String owner, String attempt) {
    return new SecretBuilder().withNewMetadata().withName("train-ssh").withNamespace("team-a")
        .addToLabels("chainer.dev/attempt", attempt).addNewOwnerReference().withController(true).withUid(owner)
        .withKind("ChainerJob").withName("train").endOwnerReference().endMetadata().build();
  }

  @Test
  void aCreationIsAwaitedUntilTheCacheShowsIt() {
    RecentCreations recent = new RecentCreations();
    recent.created(secret("job-1", "0"), T0);
    assertTrue(recent.awaitingCache(secret("job-1", "0"), T0.plusSeconds(2)), "not created again meanwhile");
    recent.seen(Stream.<HasMetadata>of(secret("job-1", "0")), T0.plusSeconds(3));
    assertFalse(recent.awaitingCache(secret("job-1", "0"), T0.plusSeconds(3)));
  }

  @Test
  void anotherOwnerOrAttemptIsAnotherObject() {
    RecentCreations recent = new RecentCreations();
    recent.created(secret("job-1", "0"), T0);
    assertFalse(recent.awaitingCache(secret("job-2", "0"), T0.plusSeconds(1)), "a job of the same name re-created");
    assertFalse(recent.awaitingCache(secret("job-1", "1"), T0.plusSeconds(1)), "the next attempt's");
  }

  @Test
  void aDeletionOrTheTimeoutEndsTheWait() {
    RecentCreations recent = new RecentCreations();
    recent.created(secret("job-1", "0"), T0);
    recent.deleted(new ObjectRef("v1", "Secret", "train-ssh", "uid"), "team-a");
    assertFalse(recent.awaitingCache(secret("job-1", "0"), T0.plusSeconds(1)));
    recent.created(secret("job-1", "0"), T0);
    assertFalse(recent.awaitingCache(secret("job-1", "0"), T0.plus(RecentCreations.TIMEOUT)));
    recent.seen(Stream.empty(), T0.plus(RecentCreations.TIMEOUT));
    assertTrue(recent.size() == 0, "forgotten");
  }
}
