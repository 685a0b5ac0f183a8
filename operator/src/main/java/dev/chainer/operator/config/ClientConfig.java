package dev.chainer.operator.config;

import io.fabric8.kubernetes.client.Config;

/** How the operator and its tools configure their Kubernetes clients. */
public final class ClientConfig {
  private ClientConfig() {}

  /**
   * HTTP/2 only over TLS. Against a cleartext API server URL (the in-process server, {@code kubectl proxy}) the JDK
   * HTTP client tries an HTTP/2 upgrade (h2c) on its first request, and some of those requests are never answered:
   * 4 of 300 fresh clients hung here with both cores busy, none with HTTP/1.1. Over TLS, HTTP/2 is negotiated
   * by ALPN and unaffected.
   */
  public static Config withoutCleartextHttp2(Config config) {
    if (config.getMasterUrl() != null && config.getMasterUrl().startsWith("http:")) {
      config.setHttp2Disable(true);
    }
    return config;
  }
}
