package dev.chainer.operator.bench;

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
  private final Thread stopOnExit;
  private final HttpClient http = HttpClient.newHttpClient();

  /**
   * @param namespace the only namespace it watches: on a shared cluster it must not take other jobs over
   * @param cpus the CPUs the operator may run on (taskset's list), or "" for any */
  ChildOperator(BenchCluster cluster, Benchmark.Options options, String namespace, String cpus) throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    // The JVM settings of a small operator: a capped heap, the serial collector (one operator, small heaps),
    // smaller thread stacks, the C1 compiler only (C2's code cache costs ~50 MiB of RSS: 273 against 220 MiB at
    // 1,000 jobs), and an exit on OutOfMemoryError as the chart has: threads it kills leave their jobs stuck.
    List<String> command = new java.util.ArrayList<>(cpus.isEmpty() ? List.of() : List.of("taskset", "-c", cpus));
    command.addAll(List.of(java, "-Xmx" + options.operatorHeap, "-XX:+UseSerialGC", "-Xss512k",
        "-XX:ReservedCodeCacheSize=64m", "-XX:TieredStopAtLevel=1", "-XX:+ExitOnOutOfMemoryError",
        "-cp", System.getProperty("java.class.path"), "dev.chainer.operator.cli.Main", "run",
        "--no-leader-election", "--namespaces", namespace, "--threads", "32", "--port", Integer.toString(port),
        "--resync-seconds",
        Long.toString(Math.max(1, options.resync.toSeconds()))));
    if (options.operatorConfig != null) {
      command.addAll(List.of("--config", options.operatorConfig.toAbsolutePath().toString()));
    }
    Path log = options.operatorLog;
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(log == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(log.toFile()));
    pb.environment().putAll(cluster.operatorEnvironment());
    pb.environment().put("LOG_LEVEL", "warn");
    // The operator's JVM alone gets these (a JFR recording, say: see BENCHMARKS.md), not the benchmark's.
    String operatorJavaOptions = System.getenv("BENCH_OPERATOR_JAVA_OPTIONS");
    if (operatorJavaOptions != null) {
      pb.environment().put("JAVA_TOOL_OPTIONS", operatorJavaOptions);
    }
    process = pb.start();
    // An interrupted benchmark (Ctrl-C) must not leave the operator running.
    stopOnExit = new Thread(process::destroy, "stop-operator");
    Runtime.getRuntime().addShutdownHook(stopOnExit);
    Instant deadline = Instant.now().plusSeconds(60);
    while (!ready()) {
      checkAlive();
      if (Instant.now().isAfter(deadline)) {
        throw new IllegalStateException("the operator process did not become ready within 60 s");
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
    return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
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
  public void checkAlive() {
    if (!process.isAlive()) {
      throw new IllegalStateException("the operator process exited with code " + process.exitValue()
          + " (bench --operator-log FILE keeps its output)");
    }
  }

  @Override
  public void close() throws Exception {
    Runtime.getRuntime().removeShutdownHook(stopOnExit);
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
