package dev.chainer.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads of launchers' logs, off the reconcile threads: a reconcile takes what the last read found and asks for a
 * new one when it is due, but never waits for it. A log that cannot be read (the kubelet unreachable: the client
 * retries a 500 for many seconds) then costs the job nothing but an older reading; its phase changes on time.
 * At most one read per log is in flight, and what is kept is the parsed result, not the text.
 */
final class LogReads {
  private static final Logger LOG = LoggerFactory.getLogger(LogReads.class);
  /** Beyond this many logs remembered, the oldest knowledge is dropped (a restart forgets it all, harmlessly). */
  private static final int MAX_REMEMBERED = 20_000;
  private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
    Thread t = new Thread(r, "launcher-log-reads");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Read<?>> results = new ConcurrentHashMap<>();
  private final Map<String, Instant> requested = new ConcurrentHashMap<>();

  /** What a read found, parsed, and when it was asked for. */
  record Read<T>(T value, Instant asked) {}

  /**
   * What the last read of {@code uri} found, parsed; a new read is started when none is in flight and the last
   * was asked for at least {@code every} ago.
   */
  <T> Optional<Read<T>> latest(KubernetesClient client, String uri, Function<String, T> parse, Duration every,
      Instant now) {
    return latest(client, uri, uri, parse, every, now);
  }

  /** What the last read kept under {@code key} found, without asking for another. */
  @SuppressWarnings("unchecked")
  <T> Optional<Read<T>> peek(String key) {
    return Optional.ofNullable((Read<T>) results.get(key));
  }

  /** The same, kept under {@code key}: one log read for two purposes, each with its own parse. */
  @SuppressWarnings("unchecked")
  <T> Optional<Read<T>> latest(KubernetesClient client, String key, String uri, Function<String, T> parse,
      Duration every, Instant now) {
    Instant last = requested.get(key);
    if (last == null || !now.isBefore(last.plus(every))) {
      if (requested.size() > MAX_REMEMBERED) {
        requested.clear();
        results.clear();
      }
      requested.put(key, now.plus(Duration.ofDays(1))); // in flight: not asked again until it ends
      pool.execute(() -> read(client, key, uri, parse, now));
    }
    return Optional.ofNullable((Read<T>) results.get(key));
  }

  private <T> void read(KubernetesClient client, String key, String uri, Function<String, T> parse, Instant asked) {
    try {
      String text = client.raw(uri);
      if (text != null) {
        results.put(key, new Read<>(parse.apply(text), asked));
      }
    } catch (KubernetesClientException | IllegalStateException e) {
      LOG.debug("no log at {}: {}", uri, e.getMessage());
    } finally {
      requested.put(key, asked);
    }
  }
}
