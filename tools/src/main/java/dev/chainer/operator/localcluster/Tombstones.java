package dev.chainer.operator.localcluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.WatchEvent;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Deletions the store has made, so that a watch started from a resourceVersion hears of those made after it, as
 * the API server's watch cache replays them. Without this, an informer that lists, then watches, keeps in its cache
 * for ever an object deleted in between: Fabric8's mock only sends the objects that exist when a watch opens.
 */
final class Tombstones {
  private static final int KEPT = 10_000;
  private static final Pattern RESOURCE_VERSION = Pattern.compile("[?&]resourceVersion=(\\d+)");
  private final Deque<Tombstone> deletions = new ArrayDeque<>();

  private record Tombstone(long version, AttributeSet attributes, String lastState) {}

  synchronized void deleted(long version, AttributeSet attributes, String lastState) {
    if (lastState == null) {
      return;
    }
    deletions.addLast(new Tombstone(version, attributes, lastState));
    while (deletions.size() > KEPT) {
      deletions.removeFirst();
    }
  }

  /** The watch the store answered, made to also send the deletions after the request's resourceVersion. */
  MockResponse replaying(String path, AttributeSet query, MockResponse watch) {
    Matcher m = RESOURCE_VERSION.matcher(path);
    WebSocketListener listener = watch.getWebSocketListener();
    if (!m.find() || listener == null) {
      return watch;
    }
    long since = Long.parseLong(m.group(1));
    return new MockResponse().withWebSocketUpgrade(new ForwardingWebSocketListener(listener) {
      @Override
      public void onOpen(WebSocket webSocket, Response response) {
        super.onOpen(webSocket, response);
        after(since).stream().filter(t -> t.attributes().matches(query)).forEach(t -> webSocket.send(Serialization
            .asJson(new WatchEvent(Serialization.unmarshal(t.lastState(), GenericKubernetesResource.class),
                "DELETED"))));
      }
    });
  }

  private synchronized List<Tombstone> after(long version) {
    return deletions.stream().filter(t -> t.version() > version).toList();
  }
}
