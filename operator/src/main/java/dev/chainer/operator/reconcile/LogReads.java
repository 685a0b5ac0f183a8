package dev.chainer.operator.reconcile;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfig;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
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
 * Each launcher has one budget: at most one read in flight and at most one asked per interval, whichever part of
 * its log (head or tail) is read. What is kept is the parsed result, not the text.
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
  /** Parsed results, by URI. */
  private final Map<String, Read<?>> results = new ConcurrentHashMap<>();
  /** When each launcher's last read was asked for (far ahead while one is in flight), by launcher. */
  private final Map<String, Instant> requested = new ConcurrentHashMap<>();
  private volatile Map.Entry<KubernetesClient, KubernetesClient> noRetries;
  /** Why each launcher's last read failed, until one succeeds, by launcher. */
  private final Map<String, String> failures = new ConcurrentHashMap<>();

  /** What a read found, parsed, and when it was asked for. */
  record Read<T>(T value, Instant asked) {}

  /**
   * Starts a read of {@code uri}, one of the logs of {@code launcher}, unless one of that launcher's is in flight or
   * was asked for less than {@code every} ago.
   */
  <T> void request(KubernetesClient client, String launcher, String uri, Function<String, T> parse, Duration every,
      Instant now) {
    Instant last = requested.get(launcher);
    if (last != null && now.isBefore(last.plus(every))) {
      return;
    }
    if (requested.size() > MAX_REMEMBERED) {
      requested.clear();
      results.clear();
      failures.clear();
    }
    requested.put(launcher, now.plus(Duration.ofDays(1))); // in flight: not asked again until it ends
    pool.execute(() -> read(client, launcher, uri, parse, now));
  }

  /**
   * The operator's client without its retries of a failed request (same connections, same counting): a log that
   * cannot be read is read again at the next interval anyway, and the client's retries of a slow 500 (five or more,
   * seconds apart) would only hold a reader thread and send more requests to a kubelet that cannot answer.
   */
  private KubernetesClient withoutRetries(KubernetesClient client) {
    Map.Entry<KubernetesClient, KubernetesClient> known = noRetries;
    if (known == null || known.getKey() != client) {
      RequestConfig once = new RequestConfigBuilder(client.getConfiguration().getRequestConfig())
          .withRequestRetryBackoffLimit(0).build();
      known = Map.entry(client, client.newClient(once).adapt(KubernetesClient.class));
      noRetries = known;
    }
    return known.getValue();
  }

  /** What the last read of {@code uri} found, without asking for another. */
  @SuppressWarnings("unchecked")
  <T> Optional<Read<T>> peek(String uri) {
    return Optional.ofNullable((Read<T>) results.get(uri));
  }

  /** Why the launcher's last read failed, if it did. */
  Optional<String> failure(String launcher) {
    return Optional.ofNullable(failures.get(launcher));
  }

  private <T> void read(KubernetesClient client, String launcher, String uri, Function<String, T> parse,
      Instant asked) {
    try {
      String text = withoutRetries(client).raw(uri);
      if (text != null) {
        results.put(uri, new Read<>(parse.apply(text), asked));
        failures.remove(launcher);
      }
    } catch (KubernetesClientException e) {
      LOG.debug("no log at {}: {}", uri, e.getMessage());
      failures.put(launcher, e.getCode() > 0 ? "the API server answered " + e.getCode() : "no answer from the API "
          + "server");
    } catch (IllegalStateException e) {
      LOG.debug("no log at {}: {}", uri, e.getMessage());
      failures.put(launcher, "no answer from the API server");
    } finally {
      requested.put(launcher, asked);
    }
  }
}
