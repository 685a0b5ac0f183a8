package dev.chainer.operator.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One answer of the operator's health and metrics port, as a kubelet's probe or Prometheus gets it. */
public record Probe(int code, String body) {
  /** GET on localhost; code 0 (and the error as body) while nothing listens yet. */
  public static Probe get(int port, String path) {
    try {
      HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
          URI.create("http://127.0.0.1:" + port + path)).build(), HttpResponse.BodyHandlers.ofString());
      return new Probe(r.statusCode(), r.body());
    } catch (Exception e) {
      return new Probe(0, e.toString());
    }
  }

  /** Waits until the path answers with this code, and returns that answer. */
  public static Probe await(int port, String path, int code) {
    return OperatorHarness.await(() -> get(port, path), p -> p.code() == code, path + " " + code);
  }
}
