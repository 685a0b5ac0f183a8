package dev.chainer.operator.localcluster;

import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;

/** A watch's listener that passes everything to the store's own; subclasses add to what happens on open or close. */
class ForwardingWebSocketListener extends WebSocketListener {
  private final WebSocketListener delegate;

  ForwardingWebSocketListener(WebSocketListener delegate) {
    this.delegate = delegate;
  }

  @Override
  public void onOpen(WebSocket webSocket, Response response) {
    delegate.onOpen(webSocket, response);
  }

  @Override
  public void onMessage(WebSocket webSocket, String text) {
    delegate.onMessage(webSocket, text);
  }

  @Override
  public void onClosing(WebSocket webSocket, int code, String reason) {
    delegate.onClosing(webSocket, code, reason);
  }

  @Override
  public void onClosed(WebSocket webSocket, int code, String reason) {
    delegate.onClosed(webSocket, code, reason);
  }

  @Override
  public void onFailure(WebSocket webSocket, Throwable t, Response response) {
    delegate.onFailure(webSocket, t, response);
  }
}
