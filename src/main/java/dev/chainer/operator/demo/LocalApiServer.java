package dev.chainer.operator.demo;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;

/**
 * An in-process Kubernetes API (the Fabric8 mock server in CRUD mode) with the ChainerJob CRD installed,
 * for the demo and the tests. It stores and watches objects like an API server, but runs no controllers,
 * no garbage collection and no admission (no schema or CEL validation, no server-side apply).
 */
public final class LocalApiServer implements AutoCloseable {
  public static final String CRD_RESOURCE = "/META-INF/fabric8/chainerjobs.chainer.dev-v1.yml";

  /** Held so the JUL configuration is not garbage-collected: the mock logs every request at INFO. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final PodLogs logs;

  private LocalApiServer(KubernetesMockServer server, KubernetesClient client, PodLogs logs) {
    this.server = server;
    this.client = client;
    this.logs = logs;
  }

  /** Adds to what a container has printed; served on the pod's log endpoint (the kubelet's job). */
  public void appendLog(String namespace, String pod, String text) {
    logs.append(namespace, pod, text);
  }

  /**
   * Fabric8's mixed dispatcher (expectations first, then CRUD) with an indexed CRUD store, plus pods' logs,
   * which the mock server does not store.
   */
  private static final class PodLogs extends io.fabric8.mockwebserver.http.Dispatcher {
    private static final java.util.regex.Pattern LOG_PATH =
        java.util.regex.Pattern.compile("^/api/v1/namespaces/([^/]+)/pods/([^/?]+)/log(\\?.*)?$");
    private final java.util.Map<String, StringBuffer> logs = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.Map<io.fabric8.mockwebserver.ServerRequest,
        java.util.Queue<io.fabric8.mockwebserver.ServerResponse>> expectations;
    private final io.fabric8.mockwebserver.internal.MockDispatcher expected;
    private final IndexedCrudDispatcher store = new IndexedCrudDispatcher();

    PodLogs(java.util.Map<io.fabric8.mockwebserver.ServerRequest,
        java.util.Queue<io.fabric8.mockwebserver.ServerResponse>> expectations) {
      this.expectations = expectations;
      this.expected = new io.fabric8.mockwebserver.internal.MockDispatcher(expectations);
    }

    void append(String namespace, String pod, String text) {
      logs.computeIfAbsent(namespace + "/" + pod, k -> new StringBuffer()).append(text);
    }

    /**
     * A container that printed nothing has an empty log, as a kubelet answers; the CRUD dispatcher would
     * answer an unknown path with a list of every object it stores. tailLines and limitBytes are honoured.
     */
    @Override
    public io.fabric8.mockwebserver.http.MockResponse dispatch(io.fabric8.mockwebserver.http.RecordedRequest request) {
      var queue = expectations.get(new io.fabric8.mockwebserver.internal.SimpleRequest(
          io.fabric8.mockwebserver.dsl.HttpMethod.valueOf(request.getMethod()), request.getPath()));
      if (queue != null && !queue.isEmpty()) {
        return expected.dispatch(request);
      }
      java.util.regex.Matcher m = LOG_PATH.matcher(request.getPath());
      if (!"GET".equals(request.getMethod()) || !m.matches()) {
        return store.dispatch(request);
      }
      StringBuffer log = logs.get(m.group(1) + "/" + m.group(2));
      String text = log == null ? "" : log.toString();
      String query = m.group(3) == null ? "" : m.group(3);
      text = tail(text, parameter(query, "tailLines"), parameter(query, "limitBytes"));
      return new io.fabric8.mockwebserver.http.MockResponse().setResponseCode(200).setBody(text);
    }

    private static String tail(String text, Integer lines, Integer bytes) {
      List<String> all = List.of(text.split("(?<=\n)"));
      if (lines != null && all.size() > lines) {
        text = String.join("", all.subList(all.size() - lines, all.size()));
      }
      byte[] utf8 = text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
      return bytes == null || utf8.length <= bytes ? text
          : new String(utf8, 0, bytes, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static Integer parameter(String query, String name) {
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("[?&]" + name + "=(\\d+)").matcher(query);
      return m.find() ? Integer.valueOf(m.group(1)) : null;
    }
  }

  public static LocalApiServer start() {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    var responses = new HashMap<io.fabric8.mockwebserver.ServerRequest,
        java.util.Queue<io.fabric8.mockwebserver.ServerResponse>>();
    PodLogs logs = new PodLogs(responses);
    KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
        new MockWebServer(), responses, logs, false);
    server.init();
    // The mock has no authorizer: answer access reviews as for a cluster admin (leader election asks one).
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder()
            .withNewStatus().addNewResourceRule().withApiGroups("*").withResources("*").withVerbs("*")
            .endResourceRule().withIncomplete(false).endStatus().build())
        .always();
    KubernetesClient client = server.createClient();
    // The status subresource behaves like a real one only when the CRD itself exists in the mock.
    client.apiextensions().v1().customResourceDefinitions().resource(crd()).create();
    return new LocalApiServer(server, client, logs);
  }

  public static CustomResourceDefinition crd() {
    try (InputStream in = LocalApiServer.class.getResourceAsStream(CRD_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the ChainerJob CRD is not on the classpath at " + CRD_RESOURCE);
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Stops keeping every request for {@code server().takeRequest()} (the mock keeps them all, bodies included):
   * over a long run they would fill this JVM's heap and its collector would compete with the API server.
   */
  public LocalApiServer forgetRequests() {
    Thread drain = new Thread(() -> {
      try {
        while (true) {
          server.takeRequest();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "forget-requests");
    drain.setDaemon(true);
    drain.start();
    return this;
  }

  public KubernetesClient client() {
    return client;
  }

  public KubernetesMockServer server() {
    return server;
  }

  @Override
  public void close() {
    client.close();
    server.destroy();
  }
}
