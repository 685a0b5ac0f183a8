package dev.chainer.operator.testing;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.localcluster.LocalApiServer;
import dev.chainer.operator.localcluster.SimulatedKubelet;
import dev.chainer.operator.reconcile.ChainerOperator;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * A real operator against the in-process API server, with the simulated kubelet driving pods. The server admits
 * ChainerJobs as a current Kubernetes does; garbage collection of owned objects is the simulated kubelet's (worker
 * pods go with their StatefulSet).
 */
public final class OperatorHarness implements AutoCloseable {
  public static final Duration TIMEOUT = Duration.ofSeconds(30);
  public final LocalApiServer api;
  public final KubernetesClient client;
  public final SimulatedKubelet kubelet;
  private OperatorConfig config;
  private final ChainerOperator.Settings settings;
  private ChainerOperator operator;

  public OperatorHarness() {
    this(OperatorConfig.defaults(), ChainerOperator.Settings.allNamespaces());
  }

  public OperatorHarness(OperatorConfig config, ChainerOperator.Settings settings) {
    this(config, settings, LocalApiServer.start());
  }

  /**
   * Against an API server that does not run the CRD's CEL rules (Kubernetes before 1.25), so that jobs those rules
   * would refuse reach the operator, which must refuse them itself.
   */
  public static OperatorHarness withoutCel() {
    return new OperatorHarness(OperatorConfig.defaults(), ChainerOperator.Settings.allNamespaces(),
        LocalApiServer.startWithoutCel());
  }

  private OperatorHarness(OperatorConfig config, ChainerOperator.Settings settings, LocalApiServer api,
      String... crds) {
    this.config = config;
    this.settings = settings;
    this.api = api;
    this.client = api.client();
    this.kubelet = new SimulatedKubelet(client);
    for (String crd : crds) {
      IntegrationCrds.install(client, crd);
    }
    startOperator();
  }

  /** An operator with this configuration, started once the integrations' CRDs are installed (as on a cluster). */
  public static OperatorHarness withIntegrations(OperatorConfig config, String... crds) {
    return new OperatorHarness(config, ChainerOperator.Settings.allNamespaces(), LocalApiServer.start(), crds);
  }

  public OperatorHarness startOperator() {
    operator = ChainerOperator.create(client, config, Clock.systemUTC(), settings).start();
    return this;
  }

  /** Stops the operator and starts it again with another configuration, as an upgrade or a new chart value does. */
  public OperatorHarness restartWith(OperatorConfig other) {
    stopOperator();
    this.config = other;
    return startOperator();
  }

  public OperatorHarness stopOperator() {
    operator.close();
    return this;
  }

  public ChainerOperator operator() {
    return operator;
  }

  public ChainerJob submit(ChainerJob job) {
    job.getMetadata().setUid(null);
    job.getMetadata().setResourceVersion(null);
    return client.resource(job).create();
  }

  /** Edits the job's runPolicy as a user would (kubectl edit): suspend, cancel and the like. */
  public void editPolicy(ChainerJob job, java.util.function.Consumer<dev.chainer.operator.api.RunPolicy> edit) {
    ChainerJob current = get(job);
    if (current.getSpec().getRunPolicy() == null) {
      current.getSpec().setRunPolicy(new dev.chainer.operator.api.RunPolicy());
    }
    edit.accept(current.getSpec().getRunPolicy());
    client.resource(current).update();
  }

  public ChainerJob get(ChainerJob job) {
    return client.resources(ChainerJob.class).inNamespace(job.getMetadata().getNamespace())
        .withName(job.getMetadata().getName()).get();
  }

  public ChainerJobStatus status(ChainerJob job) {
    ChainerJob current = get(job);
    return current == null || current.getStatus() == null ? new ChainerJobStatus() : current.getStatus();
  }

  public ChainerJobStatus awaitPhase(ChainerJob job, JobPhase phase) {
    try {
      return await(() -> status(job), s -> s.getPhase() == phase, "phase " + phase + " of "
          + job.getMetadata().getName());
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\n" + describeCluster(job.getMetadata().getNamespace()), e);
    }
  }

  /** The namespace's pods, StatefulSets, Secrets and Events with what tells them apart: for a test that timed out. */
  public String describeCluster(String namespace) {
    StringBuilder out = new StringBuilder("cluster at the time out:\n");
    client.pods().inNamespace(namespace).list().getItems().forEach(p -> out.append("  pod ")
        .append(p.getMetadata().getName()).append(' ').append(p.getMetadata().getLabels()).append(" phase=")
        .append(p.getStatus() == null ? null : p.getStatus().getPhase()).append(" node=")
        .append(p.getSpec().getNodeName()).append(" deleting=").append(p.getMetadata().getDeletionTimestamp())
        .append(" finalizers=").append(p.getMetadata().getFinalizers()).append('\n'));
    client.apps().statefulSets().inNamespace(namespace).list().getItems().forEach(s -> out.append("  statefulset ")
        .append(s.getMetadata().getName()).append(' ').append(s.getMetadata().getLabels()).append(" deleting=")
        .append(s.getMetadata().getDeletionTimestamp()).append('\n'));
    client.secrets().inNamespace(namespace).list().getItems().forEach(s -> out.append("  secret ")
        .append(s.getMetadata().getName()).append(' ').append(s.getMetadata().getLabels()).append('\n'));
    client.v1().events().inNamespace(namespace).list().getItems().forEach(e -> out.append("  event ")
        .append(e.getInvolvedObject().getKind()).append('/').append(e.getInvolvedObject().getName()).append(' ')
        .append(e.getReason()).append(" x").append(e.getCount()).append(" last=").append(e.getLastTimestamp())
        .append('\n'));
    return out.toString();
  }

  public static <T> T await(Supplier<T> supplier, Predicate<T> condition, String what) {
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    T last = null;
    while (System.nanoTime() < deadline) {
      last = supplier.get();
      if (last != null && condition.test(last)) {
        return last;
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("timed out waiting for " + what + "; last seen: "
        + io.fabric8.kubernetes.client.utils.Serialization.asYaml(last));
  }

  /** Events recorded on a job, oldest first. */
  public List<Event> events(ChainerJob job) {
    List<Event> events = new ArrayList<>(client.v1().events().inNamespace(job.getMetadata().getNamespace()).list()
        .getItems().stream().filter(e -> job.getMetadata().getName().equals(e.getInvolvedObject().getName()))
        .toList());
    events.sort(java.util.Comparator.comparing(Event::getFirstTimestamp));
    return events;
  }

  public Optional<Event> event(ChainerJob job, String reason) {
    return events(job).stream().filter(e -> reason.equals(e.getReason())).findFirst();
  }

  /**
   * Waits (at most {@link #TIMEOUT}) until the API server has received no request for half a second, and
   * returns what it received until then, so that what comes next starts from a settled cluster.
   */
  public List<String> awaitQuiet() {
    List<String> seen = new ArrayList<>();
    long deadline = System.nanoTime() + TIMEOUT.toNanos();
    while (System.nanoTime() < deadline) {
      try {
        io.fabric8.mockwebserver.http.RecordedRequest r = api.server().takeRequest(500, TimeUnit.MILLISECONDS);
        if (r == null) {
          return seen;
        }
        seen.add(r.getMethod() + " " + r.getPath());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("the API server never went quiet; last requests: " + seen.subList(
        Math.max(0, seen.size() - 10), seen.size()));
  }

  /** Requests that change something (create, update, patch, delete) among the given ones. */
  public static List<String> writes(List<String> requests) {
    return requests.stream().filter(r -> !r.startsWith("GET ")).toList();
  }

  /** Requests the API server has received since the last call, as "METHOD path" lines. */
  public List<String> drainRequests() {
    List<String> out = new ArrayList<>();
    try {
      io.fabric8.mockwebserver.http.RecordedRequest r;
      while ((r = api.server().takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
        out.add(r.getMethod() + " " + r.getPath());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  private InvariantWatcher invariants;

  /** Starts checking the run invariants at every pod event (see {@link InvariantWatcher}). */
  public InvariantWatcher watchInvariants() {
    invariants = new InvariantWatcher(client);
    return invariants;
  }

  /** Fails if an invariant broke while it was watched, and closes everything either way. */
  public void closeCheckingInvariants() {
    try {
      invariants.assertHeld();
    } finally {
      invariants.close();
      close();
    }
  }

  @Override
  public void close() {
    kubelet.close();
    try {
      operator.close();
    } finally {
      api.close();
    }
  }
}
