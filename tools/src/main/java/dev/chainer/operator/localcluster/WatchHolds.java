package dev.chainer.operator.localcluster;

import io.fabric8.mockwebserver.http.ByteString;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Watches of a resource whose events the server holds back for a while, then sends all at once and in order, as
 * a busy API server or a slow link delays a watch: a client's informer then applies several changes of one object
 * back to back (a pod marked Failed, then deleted), and a controller reconciling on the first may find only the
 * last. Nothing is lost or reordered: only when each event arrives changes.
 */
final class WatchHolds {
  private final Set<String> held = ConcurrentHashMap.newKeySet();
  private final Set<HeldSocket> sockets = ConcurrentHashMap.newKeySet();

  void hold(String resource) {
    held.add(resource);
  }

  void release(String resource) {
    held.remove(resource);
    sockets.stream().filter(s -> s.resource.equals(resource)).forEach(HeldSocket::flush);
  }

  /** The store's watch of a resource, its events sent through a socket that can hold them. */
  MockResponse holding(String resource, MockResponse watch) {
    if (watch.getWebSocketListener() == null) {
      return watch;
    }
    return new MockResponse().withWebSocketUpgrade(new ForwardingWebSocketListener(watch.getWebSocketListener()) {
      private HeldSocket socket;

      @Override
      public void onOpen(WebSocket webSocket, Response response) {
        socket = new HeldSocket(webSocket, resource);
        sockets.add(socket);
        super.onOpen(socket, response);
      }

      @Override
      public void onMessage(WebSocket webSocket, String text) {
        super.onMessage(socket == null ? webSocket : socket, text);
      }

      @Override
      public void onClosed(WebSocket webSocket, int code, String reason) {
        sockets.remove(socket);
        super.onClosed(socket == null ? webSocket : socket, code, reason);
      }

      @Override
      public void onFailure(WebSocket webSocket, Throwable t, Response response) {
        sockets.remove(socket);
        super.onFailure(socket == null ? webSocket : socket, t, response);
      }
    });
  }

  /** A watch's socket that queues its text frames while its resource is held. */
  private final class HeldSocket implements WebSocket {
    private final WebSocket socket;
    private final String resource;
    private final List<String> queued = new ArrayList<>();

    HeldSocket(WebSocket socket, String resource) {
      this.socket = socket;
      this.resource = resource;
    }

    @Override
    public synchronized boolean send(String text) {
      if (held.contains(resource) || !queued.isEmpty()) {
        queued.add(text);
        return true;
      }
      return socket.send(text);
    }

    synchronized void flush() {
      queued.forEach(socket::send);
      queued.clear();
    }

    @Override
    public RecordedRequest request() {
      return socket.request();
    }

    @Override
    public synchronized boolean send(byte[] bytes) {
      flush();
      return socket.send(bytes);
    }

    @Override
    public boolean send(ByteString bytes) {
      return send(bytes.toByteArray());
    }

    @Override
    public synchronized boolean close(int code, String reason) {
      flush();
      return socket.close(code, reason);
    }
  }
}
