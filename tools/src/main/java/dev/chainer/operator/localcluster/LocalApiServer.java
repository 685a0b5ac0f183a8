package dev.chainer.operator.localcluster;

import dev.chainer.operator.api.ChainerJobCrd;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * An in-process Kubernetes API (the Fabric8 mock server in CRUD mode) with the ChainerJob CRD installed, for the
 * demo and the tests. It stores and watches objects like an API server and admits writes as a current one does
 * (CRD cost budget, custom resources checked against their CRD's structural schema and CEL rules, unknown fields
 * pruned: see {@link dev.chainer.operator.localcluster.admission.Admission}), deletes as one does (graceful pod deletion,
 * propagation policies: {@link Deletion}), evicts as one does (the pods/eviction subresource: {@link Evictions}), and
 * runs the controllers the operator depends on: the {@link StatefulSetController}, the {@link GarbageCollector}, the
 * {@link VolumeBinder} and the {@link ResourceQuotaController}. ResourceQuotas are enforced on pods as the quota
 * admission plugin does ({@link dev.chainer.operator.localcluster.admission.ResourceQuotas}). Nodes are played by a
 * {@link SimulatedKubelet}. It has no server-side apply.
 */
public final class LocalApiServer implements AutoCloseable {

  /** Held so the JUL configuration is not garbage-collected: the mock logs every request at INFO. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  private final KubernetesMockServer server;
  private final KubernetesClient client;
  private final PodLogs logs;
  private final KubernetesClient controllerClient;
  private final StatefulSetController statefulSets;
  private final GarbageCollector garbageCollector;
  private final Outages outages;
  private final WatchHolds watchHolds;
  private final Evictions evictions;
  private final VolumeBinder volumeBinder;
  private final ResourceQuotaController quotas;
  private Thread drain;

  private LocalApiServer(KubernetesMockServer server, KubernetesClient client, PodLogs logs,
      LocalDispatcher dispatcher) {
    this.server = server;
    this.outages = dispatcher.outages();
    this.watchHolds = dispatcher.watchHolds();
    this.evictions = dispatcher.evictions();
    this.client = client;
    this.logs = logs;
    // The control plane's own controllers, with a client of their own, as kube-controller-manager has.
    this.controllerClient = server.createClient();
    this.statefulSets = new StatefulSetController(controllerClient).start();
    this.garbageCollector = new GarbageCollector(controllerClient).start();
    this.volumeBinder = new VolumeBinder(controllerClient).start();
    this.quotas = new ResourceQuotaController(controllerClient).start();
  }

  /**
   * Claims of this StorageClass are never bound (they stay Pending, as with a class that has no provisioner); every
   * other claim is bound within {@link VolumeBinder#PROVISIONING}.
   */
  public LocalApiServer unbindableStorageClass(String storageClass) {
    volumeBinder.neverBinds(storageClass);
    return this;
  }

  /**
   * false: an API server before 1.26 (PodDisruptionConditions off): the Eviction API deletes without marking the pod
   * {@code DisruptionTarget}. The other components that take pods away are the simulated kubelet's to play:
   * {@link SimulatedKubelet#disruptionConditions(boolean)}.
   */
  public LocalApiServer disruptionConditions(boolean on) {
    evictions.conditions(on);
    return this;
  }

  /** The cluster's garbage collector (pause it to reproduce GC lag). */
  public GarbageCollector garbageCollector() {
    return garbageCollector;
  }

  /**
   * Stops serving reads of a resource ({@code pods}, {@code statefulsets}, ...; 503) and ends its open watches, until
   * the returned outage is closed: an informer of it can then neither watch nor list again.
   */
  public AutoCloseable outage(String resource) {
    outages.begin(resource);
    return () -> outages.end(resource);
  }

  /**
   * Holds back the events of every watch of a resource ({@code pods}, ...) until the returned hold is closed, then
   * sends them at once, in order: a lagging watch, whose client sees several changes of an object in one burst.
   */
  public AutoCloseable holdWatches(String resource) {
    watchHolds.hold(resource);
    return () -> watchHolds.release(resource);
  }

  /** Adds to what a container has printed; served on the pod's log endpoint (the kubelet's job). */
  /** The kubelet out of the API server's reach: every pods/log read fails (500), slowly, until turned off. */
  public LocalApiServer logsUnreachable(boolean on) {
    logs.unreachable(on);
    return this;
  }

  public void appendLog(String namespace, String pod, String text) {
    logs.append(namespace, pod, text);
  }

  /** A server that checks what a current (1.25+) Kubernetes API server checks, CEL rules included. */
  public static LocalApiServer start() {
    return start(true);
  }

  /**
   * A server like Kubernetes 1.19 to 1.24: it drops the CRD's CEL rules, so jobs that only those rules refuse are
   * stored, and the operator's own validation is all that stands in their way.
   */
  public static LocalApiServer startWithoutCel() {
    return start(false);
  }

  private static LocalApiServer start(boolean cel) {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
    Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    PodLogs logs = new PodLogs();
    LocalDispatcher dispatcher = new LocalDispatcher(expectations, logs, cel);
    KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
        new MockWebServer(), expectations, dispatcher, false);
    server.init();
    // The mock has no authorizer: answer access reviews as for a cluster admin (leader election asks one).
    server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder()
            .withNewStatus().addNewResourceRule().withApiGroups("*").withResources("*").withVerbs("*")
            .endResourceRule().withIncomplete(false).endStatus().build())
        .always();
    KubernetesClient client = server.createClient();
    // The status subresource behaves like a real one only when the CRD itself exists in the mock.
    client.apiextensions().v1().customResourceDefinitions().resource(ChainerJobCrd.definition()).create();
    return new LocalApiServer(server, client, logs, dispatcher);
  }

  /**
   * Stops keeping every request for {@code server().takeRequest()} (the mock keeps them all, bodies included):
   * over a long run they would fill this JVM's heap and its collector would compete with the API server.
   */
  public LocalApiServer forgetRequests() {
    drain = new Thread(() -> {
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
    if (drain != null) {
      drain.interrupt();
    }
    statefulSets.close();
    garbageCollector.close();
    volumeBinder.close();
    quotas.close();
    controllerClient.close();
    client.close();
    server.destroy();
  }
}
