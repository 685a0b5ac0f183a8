package dev.chainer.operator.localcluster;

import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What containers printed, served on the pods' log endpoint as a kubelet serves it (the mock server stores no
 * logs): the tail of {@code tailLines} lines, cut at {@code limitBytes}, and an empty log for a pod that printed
 * nothing. Without this the CRUD store would answer such a path with a list of every object it holds.
 */
final class PodLogs {
  private static final Pattern LOG_PATH = Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(\\?.*)?$");
  private final Map<String, StringBuffer> logs = new ConcurrentHashMap<>();
  /** While set, every log read answers 500 after a delay: the API server cannot reach the kubelet. */
  private volatile boolean unreachable;

  void unreachable(boolean on) {
    unreachable = on;
  }

  void append(String namespace, String pod, String text) {
    logs.computeIfAbsent(namespace + "/" + pod, k -> new StringBuffer()).append(text);
  }

  /** The answer to a log request; empty for any other request. */
  Optional<MockResponse> serve(RecordedRequest request) {
    Matcher m = LOG_PATH.matcher(request.getPath());
    if (!"GET".equals(request.getMethod()) || !m.matches()) {
      return Optional.empty();
    }
    if (unreachable) {
      // What the API server answers when its proxy to the kubelet fails (a dial timeout after some seconds).
      return Optional.of(new MockResponse().setResponseCode(500).setBodyDelay(2, java.util.concurrent.TimeUnit.SECONDS)
          .setBody("{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"message\":"
              + "\"Get \\\"https://node-1:10250/containerLogs\\\": dial tcp: i/o timeout\",\"code\":500}"));
    }
    StringBuffer log = logs.get(m.group(1) + "/" + m.group(2));
    String query = m.group(3) == null ? "" : m.group(3);
    String text = tail(log == null ? "" : log.toString(), parameter(query, "tailLines"), parameter(query, "limitBytes"));
    return Optional.of(new MockResponse().setResponseCode(200).setBody(text));
  }

  private static String tail(String text, Integer lines, Integer bytes) {
    List<String> all = List.of(text.split("(?<=\n)"));
    if (lines != null && all.size() > lines) {
      text = String.join("", all.subList(all.size() - lines, all.size()));
    }
    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
    return bytes == null || utf8.length <= bytes ? text : new String(utf8, 0, bytes, StandardCharsets.UTF_8);
  }

  private static Integer parameter(String query, String name) {
    Matcher m = Pattern.compile("[?&]" + name + "=(\\d+)").matcher(query);
    return m.find() ? Integer.valueOf(m.group(1)) : null;
  }
}
