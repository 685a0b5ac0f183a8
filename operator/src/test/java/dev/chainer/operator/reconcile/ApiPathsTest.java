package dev.chainer.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.chainer.operator.status.ObjectRef;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A request path holds each name as one segment, or is never built. */
class ApiPathsTest {
  @Test
  void namesBecomeOneSegmentEach() {
    assertEquals("/api/v1/namespaces/team-a/pods/train-launcher-0",
        ApiPaths.of(new ObjectRef("v1", "Pod", "train-launcher-0", "u"), "team-a"));
    assertEquals("/apis/scheduling.volcano.sh/v1beta1/namespaces/team-a/podgroups/train.pg-1",
        ApiPaths.of(new ObjectRef("scheduling.volcano.sh/v1beta1", "PodGroup", "train.pg-1", "u"), "team-a"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"../../other-namespace/secrets/x", "a/b", "..", "%2e%2e", "x?watch=true", "x#y", "",
      "Upper", "a b"})
  void aNameThatIsNotAKubernetesNameNeverReachesAPath(String name) {
    assertThrows(IllegalArgumentException.class, () -> ApiPaths.of(new ObjectRef("v1", "Secret", name, "u"),
        "team-a"));
    assertThrows(IllegalArgumentException.class, () -> ApiPaths.of(new ObjectRef("v1", "Secret", "x", "u"), name));
  }
}
