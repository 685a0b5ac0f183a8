package dev.chainer.operator.cli;

import static dev.chainer.operator.testing.TestJobs.minimal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.testing.WithOperator;
import io.fabric8.kubernetes.client.KubernetesClientException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A data store's items (the packed source tree's layout): paths stay inside the store; only ConfigMaps and Secrets. */
class StoreItemsTest extends WithOperator {
  private static ChainerJob withItem(String path) {
    return minimal("sourceDirectoryDataStore:\n  configMap: code\n  items:\n  - key: a\n    path: \"" + path + "\"\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"../etc/passwd", "/etc/passwd", "pkg/../../x", "pkg//x", "pkg/", "."})
  void theApiServerRefusesAPathLeavingTheStore(String path) {
    ChainerJob job = withItem(path);
    job.getSpec().setSourceDirectory(null);
    KubernetesClientException refused = assertThrows(KubernetesClientException.class, () -> h.submit(job));
    assertEquals(422, refused.getCode());
    assertTrue(refused.getMessage().contains("items[0].path"), refused.getMessage());
  }

  @ParameterizedTest
  @ValueSource(strings = {"train.py", "pkg/deep/model.py", ".hidden/x", "a..b/..c"})
  void pathsInsideTheStoreAreAdmitted(String path) {
    ChainerJob job = withItem(path);
    job.getSpec().setSourceDirectory(null);
    h.submit(job);
  }

  @Test
  void itemsOnAClaimAreRefusedNamingTheField() {
    ChainerJob job = minimal("sourceDirectoryDataStore:\n  persistentVolumeClaim: code\n  items:\n"
        + "  - key: a\n    path: a.py\n");
    job.getSpec().setSourceDirectory(null);
    ChainerJobStatus failed = h.awaitPhase(h.submit(job), JobPhase.Failed);
    assertEquals("InvalidSpec", failed.getReason());
    assertTrue(failed.getMessage().contains("spec.sourceDirectoryDataStore.items: apply only to a configMap or "
        + "secret store"), failed.getMessage());
  }
}
