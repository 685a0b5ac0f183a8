package dev.chainer.operator.localcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.testing.WithApiServer;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** metadata.generateName on the strict in-process server, as the API server names such objects. */
class GeneratedNamesTest extends WithApiServer {
  private static final String SUFFIX = "[bcdfghjklmnpqrstvwxz2456789]{5}";

  private ConfigMap create(String generateName) {
    return client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
        .withGenerateName(generateName).endMetadata().build()).create();
  }

  @Test
  void prefixAsGivenThenFiveCharactersOfTheAlphabet() {
    String name = create("mnist-").getMetadata().getName();
    assertTrue(name.matches("mnist-" + SUFFIX), name);
    String bare = create("job").getMetadata().getName();
    assertTrue(bare.matches("job" + SUFFIX), () -> bare + ": no '-' is added");
    assertEquals(bare, client.configMaps().inNamespace("default").withName(bare).get().getMetadata().getName());
  }

  @Test
  void aLongPrefixIsCutToLeaveRoomForTheSuffix() {
    String name = create("p".repeat(70)).getMetadata().getName();
    assertEquals(63, name.length());
    assertTrue(name.matches("p{58}" + SUFFIX), name);
  }

  @Test
  void aPrefixNoNameCouldStartWithIsRefusedNamingIt() {
    var refused = org.junit.jupiter.api.Assertions.assertThrows(
        io.fabric8.kubernetes.client.KubernetesClientException.class, () -> create("Train-"));
    assertEquals(422, refused.getCode());
    assertEquals("metadata.generateName", refused.getStatus().getDetails().getCauses().get(0).getField());
    assertTrue(refused.getMessage().contains("lowercase RFC 1123 subdomain"), refused.getMessage());
    assertTrue(create("a.b-").getMetadata().getName().matches("a\\.b-" + SUFFIX));
  }

  @Test
  void aGivenNameWins() {
    ConfigMap made = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder().withNewMetadata()
        .withName("exact").withGenerateName("ignored-").endMetadata().build()).create();
    assertEquals("exact", made.getMetadata().getName());
  }

  @Test
  void aClashIsDrawnAgain() {
    GeneratedNames names = new GeneratedNames(new Random(7));
    String first = new GeneratedNames(new Random(7)).generate("a-");
    Set<String> seen = new HashSet<>();
    String chosen = names.free("a-", n -> seen.add(n) && n.equals(first));
    assertNotEquals(first, chosen);
    assertEquals(2, seen.size());
  }

  @Test
  void manyObjectsOfOnePrefixAllStored() {
    Set<String> made = new HashSet<>();
    for (int i = 0; i < 50; i++) {
      made.add(create("same-").getMetadata().getName());
    }
    assertEquals(50, made.size());
  }
}
