package dev.chainer.operator.config;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.localcluster.LocalApiServer;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** HTTP/2 only over TLS: the cleartext upgrade (h2c) of the JDK client left requests unanswered. */
class ClientConfigTest {
  private static Config config(String url) {
    return new ConfigBuilder(Config.empty()).withMasterUrl(url).build();
  }

  @Test
  void aCleartextServerIsSpokenToInHttp11AndATlsOneIsLeftAlone() {
    assertTrue(ClientConfig.withoutCleartextHttp2(config("http://127.0.0.1:8001")).isHttp2Disable());
    assertFalse(ClientConfig.withoutCleartextHttp2(config("https://kubernetes.default.svc")).isHttp2Disable());
  }

  @Test
  void freshClientsToTheInProcessServerAreAllAnswered() throws Exception {
    // Each fresh client makes its first request: the moment an h2c upgrade would be attempted.
    try (LocalApiServer api = LocalApiServer.start()) {
      String url = api.client().getConfiguration().getMasterUrl();
      for (int i = 0; i < 50; i++) {
        try (KubernetesClient client = new KubernetesClientBuilder()
            .withConfig(ClientConfig.withoutCleartextHttp2(config(url))).build()) {
          CompletableFuture.supplyAsync(() -> client.apiextensions().v1().customResourceDefinitions()
              .withName("chainerjobs.chainer.dev").get()).get(10, TimeUnit.SECONDS);
        }
      }
    }
  }
}
