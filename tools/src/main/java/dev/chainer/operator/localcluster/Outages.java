package dev.chainer.operator.localcluster;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resources the server has stopped serving to readers, as when its storage for them fails: a read (get, list,
 * watch) answers 503, and the watches open when the outage began end, as the API server ends a watch whose
 * resourceVersion is gone (410), so a client must list again, and cannot. What an informer does then is what
 * the operator's health probes are tested against.
 */
final class Outages {
  private final Set<String> down = ConcurrentHashMap.newKeySet();
  /** The open watches, each with the resource it watches. */
  private final Map<WebSocket, String> watches = new ConcurrentHashMap<>();

  void begin(String resource) {
    down.add(resource);
    watches.forEach((socket, watched) -> {
      if (resource.equals(watched)) {
        socket.send(Serialization.asJson(new WatchEvent(new StatusBuilder().withStatus("Failure").withCode(410)
            .withReason("Expired").withMessage("too old resource version").build(), "ERROR")));
        socket.close(1000, "outage");
        watches.remove(socket);
      }
    });
  }

  void end(String resource) {
    down.remove(resource);
  }

  /** A 503 for a read of a resource that is down; {@code resource} is the one the request's path names. */
  Optional<MockResponse> refuse(RecordedRequest request, String resource) {
    if (!"GET".equals(request.getMethod()) || !down.contains(resource)) {
      return Optional.empty();
    }
    return Optional.of(new MockResponse().setResponseCode(503).setBody(Serialization.asJson(new StatusBuilder()
        .withStatus("Failure").withCode(503).withReason("ServiceUnavailable")
        .withMessage("the server is currently unable to handle the request").build())));
  }

  /** The watch of a resource the store answered, remembered while open so that an outage can end it. */
  MockResponse tracking(String resource, MockResponse watch) {
    if (watch.getWebSocketListener() == null) {
      return watch;
    }
    return new MockResponse().withWebSocketUpgrade(new ForwardingWebSocketListener(watch.getWebSocketListener()) {
      @Override
      public void onOpen(WebSocket webSocket, Response response) {
        super.onOpen(webSocket, response);
        watches.put(webSocket, resource);
      }

      @Override
      public void onClosed(WebSocket webSocket, int code, String reason) {
        watches.remove(webSocket);
        super.onClosed(webSocket, code, reason);
      }

      @Override
      public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        watches.remove(webSocket);
        super.onFailure(webSocket, t, response);
      }
    });
  }
}
