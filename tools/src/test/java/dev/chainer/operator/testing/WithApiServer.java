package dev.chainer.operator.testing;

import dev.chainer.operator.localcluster.LocalApiServer;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Tests of the in-process API server itself: a fresh server, and a client of it, for each test. */
public abstract class WithApiServer {
  protected LocalApiServer api;
  protected KubernetesClient client;

  @BeforeEach
  void startApiServer() {
    api = LocalApiServer.start();
    client = api.client();
  }

  @AfterEach
  void stopApiServer() {
    api.close();
  }
}
