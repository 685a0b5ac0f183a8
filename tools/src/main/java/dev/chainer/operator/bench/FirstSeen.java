package dev.chainer.operator.bench;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.dsl.Watchable;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * When each object of a watched kind was first seen in a state (created, Ready), by name, as a watching client
 * sees it: the same clock for every measurement, on the in-process API server and on a real cluster.
 */
record FirstSeen(Watch watch, Map<String, Instant> seen) implements AutoCloseable {
  static <T extends HasMetadata> FirstSeen on(Watchable<T> kind, Predicate<T> state) {
    Map<String, Instant> seen = new ConcurrentHashMap<>();
    Watch watch = kind.watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, T object) {
        if (action != Action.DELETED && action != Action.ERROR && state.test(object)) {
          seen.putIfAbsent(object.getMetadata().getName(), Instant.now());
        }
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    });
    return new FirstSeen(watch, seen);
  }

  @Override
  public void close() {
    watch.close();
  }
}
