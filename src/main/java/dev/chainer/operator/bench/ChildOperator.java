package dev.chainer.operator.bench;

import dev.chainer.operator.demo.LocalApiServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator as deployed (`run`), in a JVM of its own pointed at the API server, so that its heap and
 * RSS are its own; its request counts come from its /metrics.
 */
final class ChildOperator implements OperatorUnderTest {
  private static final Pattern REQUEST = Pattern.compile(
      "^chainer_operator_api_requests_total\\{verb=\"([^\"]+)\",resource=\"([^\"]+)\"} (\\d+)$");
  private final Process process;
  private final int port;

  ChildOperator(LocalApiServer api, Duration resync, String heapLimit) throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // The JVM settings the chart's Deployment could use for a small operator: a capped heap, the serial
    // collector (one operator, small heaps) and smaller thread stacks.
    ProcessBuilder pb = new ProcessBuilder(List.of(java, "-Xmx" + heapLimit, "-XX:+UseSerialGC", "-Xss512k",
        "-XX:ReservedCodeCacheSize=64m", "-XX:TieredStopAtLevel=1",
        "-cp", System.getProperty("java.class.path"), "dev.chainer.operator.cli.Main", "run",
        "--no-leader-election", "--threads", "32", "--port", Integer.toString(port), "--resync-seconds",
        Long.toString(Math.max(1, resync.toSeconds()))))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    pb.environment().put("KUBERNETES_MASTER", api.client().getConfiguration().getMasterUrl());
    pb.environment().put("KUBERNETES_AUTH_TRYKUBECONFIG", "false");
    pb.environment().put("KUBERNETES_TRUST_CERTIFICATES", "true");
    pb.environment().put("LOG_LEVEL", "warn");
    process = pb.start();
    Instant deadline = Instant.now().plusSeconds(60);
    while (!ready()) {
      if (Instant.now().isAfter(deadline) || !process.isAlive()) {
        throw new IllegalStateException("the operator process did not become ready");
      }
      Thread.sleep(200);
    }
  }

  private boolean ready() {
    try {
      return get("/readyz").statusCode() == 200;
    } catch (Exception e) {
      return false;
    }
  }

  private HttpResponse<String> get(String path) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private String metrics() throws Exception {
    return get("/metrics").body();
  }

  @Override
  public Map<String, Long> requests() throws Exception {
    Map<String, Long> out = new TreeMap<>();
    for (String line : metrics().split("\n")) {
      Matcher m = REQUEST.matcher(line);
      if (m.matches()) {
        out.put(m.group(1) + " " + m.group(2), Long.parseLong(m.group(3)));
      }
    }
    return out;
  }

  @Override
  public long reconciliations() throws Exception {
    return gauge("chainer_operator_reconciliations_total");
  }

  @Override
  public long heapAfterGc() throws Exception {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process gc = new ProcessBuilder(jcmd, Long.toString(process.pid()), "GC.run").redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    gc.waitFor(30, TimeUnit.SECONDS);
    return gauge("chainer_operator_jvm_heap_used_bytes");
  }

  private long gauge(String name) throws Exception {
    for (String line : metrics().split("\n")) {
      if (line.startsWith(name + " ")) {
        return Long.parseLong(line.substring(name.length() + 1).trim());
      }
    }
    return -1;
  }

  @Override
  public long rss() throws Exception {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
      }
    }
    return -1;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
