package dev.chainer.operator.localcluster;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** The thread of a controller of the in-process cluster: one, named, never keeping the JVM alive. */
final class ControlLoop {
  private ControlLoop() {}

  static ScheduledExecutorService daemon(String name) {
    return Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, name);
      t.setDaemon(true);
      return t;
    });
  }
}
