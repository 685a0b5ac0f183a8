package dev.chainer.operator.localcluster;

import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.BindingBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The scheduler and the kubelet of the in-process cluster, for the demo, the tests and a benchmark against an API
 * server without nodes: pods are bound to a node through the pods/binding subresource (as a scheduler does; a real
 * API server refuses an update of spec.nodeName), run their init steps, start and become Ready; a launcher runs
 * for a while and exits with a chosen code. A pod whose PersistentVolumeClaim is missing or unbound is not bound to
 * the node until it is ({@link VolumeScheduling}). A pod of its node that the API server marks deleted
 * (deletionTimestamp) terminates gracefully, as a kubelet does it: its containers get SIGTERM and end with exit code
 * 143 after {@link #terminationDelay} (137 when the grace period is shorter), then the kubelet removes the pod with a
 * deletion of grace period 0. Pods bound to other nodes are left to their kubelets. Tests can also take a pod away as each part of a cluster does, each marking it
 * {@code DisruptionTarget} first ({@link DisruptionTarget}): preempt it, evict it through the Eviction API, evict it
 * for a NoExecute taint, evict it for node pressure, shut its node down, lose it with its node; or OOM-kill its
 * container. Pods are created by the StatefulSet controller and removed by the garbage collector, as on a real
 * cluster. It only touches the operator's own pods.
 *
 * <p>What keeps real pods from running is modelled where a test asks for it: a node of limited capacity or with
 * labels a pod's nodeSelector must match ({@link #nodeCapacity}, {@link #nodeLabels}: PodScheduled False,
 * Unschedulable, with the scheduler's message, until the pod fits: {@link NodeFit}); images that cannot be pulled
 * ({@link #unpullableImage}, or any reference containing {@code does-not-exist}: ErrImagePull, then ImagePullBackOff)
 * or cannot be parsed (InvalidImageName): {@link ImagePulls}; a container whose environment names a ConfigMap or
 * Secret that does not exist (CreateContainerConfigError: {@link ContainerConfig}). Such a pod stays Pending, its
 * container waiting with the kubelet's reason and message ({@link ContainerStarts}), and the kubelet looks at it again
 * once per {@link #imagePullBackOff} (its pod worker's back-off), so that the missing object's creation lets it run.
 */
public final class SimulatedKubelet implements AutoCloseable {
  /** The node every pod is bound to. */
  public static final String NODE = "node-1";
  private final KubernetesClient client;
  private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "simulated-kubelet");
    t.setDaemon(true);
    return t;
  });
  private final java.util.concurrent.ExecutorService workers = Executors.newFixedThreadPool(8, r -> {
    Thread t = new Thread(r, "simulated-kubelet-worker");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Instant> launcherStarted = new java.util.concurrent.ConcurrentHashMap<>();
  /** When each pod last changed state, so that every state lasts at least {@link #stepDelay}. */
  private final Map<String, Instant> lastStep = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile Duration stepDelay = Duration.ZERO;
  private volatile Duration launcherRunTime = Duration.ofMillis(500);
  private volatile Duration terminationDelay = Duration.ofMillis(200);
  /** When each terminating pod got its SIGTERM. */
  private final Map<String, Instant> terminating = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile int launcherExitCode = 0;
  private volatile boolean scheduling = true;
  private volatile Consumer<String> log = s -> { };
  /** What launchers print while they run, spread evenly over their run time, and where it goes. */
  private volatile List<String> launcherOutput = List.of();
  private volatile LogSink logSink = (ns, pod, text) -> { };
  private final Map<String, Integer> linesPrinted = new java.util.concurrent.ConcurrentHashMap<>();
  /** Each running launcher's whole output, fixed when it starts printing. */
  private final Map<String, List<String>> outputs = new java.util.concurrent.ConcurrentHashMap<>();
  private final SimulatedTrainer trainer = new SimulatedTrainer();
  private final Disruptions disruptions;
  private final VolumeScheduling volumes;
  private final NodeFit nodeFit = new NodeFit();
  private final ContainerStarts starts;
  /** Pods whose containers could not start: not synced again before then (the pod worker's back-off). */
  private final Map<String, Instant> nextSync = new java.util.concurrent.ConcurrentHashMap<>();

  /** Receives what a container prints. */
  public interface LogSink {
    void append(String namespace, String pod, String text);
  }

  public SimulatedKubelet(KubernetesClient client) {
    this.client = client;
    this.disruptions = new Disruptions(client);
    this.volumes = new VolumeScheduling(client);
    this.starts = new ContainerStarts(new ContainerConfig(client));
  }

  /** Watches instead of lists: with thousands of pods, listing them every tick would swamp the API server. */
  private io.fabric8.kubernetes.client.informers.SharedIndexInformer<Pod> podInformer;

  public SimulatedKubelet start() {
    var pods = namespace == null ? client.pods().inAnyNamespace() : client.pods().inNamespace(namespace);
    podInformer = pods.withLabel(JobLabels.MANAGED_BY, JobLabels.OPERATOR).inform();
    loop.scheduleWithFixedDelay(this::tickSafely, 0, 50, TimeUnit.MILLISECONDS);
    return this;
  }

  /** The namespace whose pods this kubelet runs (before {@link #start}); all namespaces when not set. */
  private volatile String namespace;
  /** The node this kubelet plays: the pods it binds and runs are bound to it. */
  private volatile String node = NODE;

  /**
   * Only the operator's pods in this namespace (set before {@link #start}), so that on a shared cluster it runs
   * nothing of anyone else's.
   */
  public SimulatedKubelet namespace(String ns) {
    this.namespace = ns;
    return this;
  }

  /** The name of the node this kubelet plays (default {@link #NODE}). */
  public SimulatedKubelet node(String name) {
    this.node = name;
    return this;
  }

  /** How long a launcher runs before it exits. */
  public SimulatedKubelet launcherRunTime(Duration d) {
    this.launcherRunTime = d;
    return this;
  }

  /** How long containers take to stop after SIGTERM (they then exit with 143). */
  public SimulatedKubelet terminationDelay(Duration d) {
    this.terminationDelay = d;
    return this;
  }

  /** The least time a pod spends in each state (unscheduled, initializing), so every phase can be seen. */
  public SimulatedKubelet stepDelay(Duration d) {
    this.stepDelay = d;
    return this;
  }

  /** The exit code of launchers that end from now on. */
  public SimulatedKubelet launcherExitCode(int code) {
    this.launcherExitCode = code;
    return this;
  }

  /** false: new pods stay Pending and unscheduled (no node fits). */
  public SimulatedKubelet scheduling(boolean on) {
    this.scheduling = on;
    return this;
  }

  /**
   * The node's allocatable resources from now on, e.g. {@code Map.of("nvidia.com/gpu", "4")}; resources not named are
   * {@link NodeFit#DEFAULT_CAPACITY} (cpu 64, memory 256Gi, nvidia.com/gpu 8, pods 110, ephemeral-storage 1Ti). Until
   * this is called the node has room for every pod. A pod whose requests do not fit beside the node's pods that have
   * not ended stays unscheduled: PodScheduled False, Unschedulable, {@code 0/1 nodes are available: 1 Insufficient
   * nvidia.com/gpu. preemption: 0/1 nodes are available: 1 No preemption victims found for incoming pod.}, and is
   * placed once room frees.
   */
  public SimulatedKubelet nodeCapacity(Map<String, String> capacity) {
    nodeFit.capacity(capacity);
    return this;
  }

  /**
   * The node's labels from now on (added to kubernetes.io/hostname=node-1, kubernetes.io/os=linux,
   * kubernetes.io/arch=amd64); from then on a pod's nodeSelector and required node affinity must match them, else
   * {@code 0/1 nodes are available: 1 node(s) didn't match Pod's node affinity/selector. preemption: 0/1 nodes are
   * available: 1 Preemption is not helpful for scheduling.} Until this is called selectors are not checked.
   */
  public SimulatedKubelet nodeLabels(Map<String, String> labels) {
    nodeFit.labels(labels);
    return this;
  }

  /**
   * An image the node cannot pull (the registry does not have it): a container using it waits with ErrImagePull,
   * then ImagePullBackOff, and the pod never runs. Images whose reference contains {@code does-not-exist} are such
   * images too.
   */
  public SimulatedKubelet unpullableImage(String image) {
    starts.images.unpullable(image);
    return this;
  }

  /**
   * The kubelet's first image pull back-off (doubling after each failed pull, up to 30 times this), which is also the
   * wait before it looks again at a pod whose containers could not start; Kubernetes' 10 s is
   * {@link ImagePulls#DEFAULT_BACK_OFF} here.
   */
  public SimulatedKubelet imagePullBackOff(Duration firstBackOff) {
    starts.images.backOff(firstBackOff);
    return this;
  }

  /** Lines every launcher prints over the first three quarters of its run, e.g. a Chainer trainer's report. */
  public SimulatedKubelet launcherOutput(List<String> lines, LogSink sink) {
    this.launcherOutput = List.copyOf(lines);
    this.logSink = sink;
    return this;
  }

  /**
   * false: a cluster before Kubernetes 1.26 (or with PodDisruptionConditions off): the scheduler, the taint manager,
   * the pod garbage collector and the kubelet take pods away without the {@code DisruptionTarget} condition (an
   * eviction still says reason Evicted). The Eviction API is the API server's: see
   * {@link LocalApiServer#disruptionConditions(boolean)}.
   */
  public SimulatedKubelet disruptionConditions(boolean on) {
    disruptions.conditions(on);
    return this;
  }

  public SimulatedKubelet log(Consumer<String> log) {
    this.log = log;
    return this;
  }

  private void tickSafely() {
    try {
      tick();
    } catch (KubernetesClientException e) {
      // The next tick sees the world afresh; conflicts with the operator are expected.
    } catch (RuntimeException e) {
      log.accept("simulated kubelet: " + e);
    }
  }

  void tick() {
    List<Pod> pods = podInformer.getStore().list();
    // Like many kubelets, pods advance in parallel; a tick ends when all have been looked at.
    List<java.util.concurrent.Future<?>> steps = new ArrayList<>();
    for (Pod pod : pods) {
      steps.add(workers.submit(() -> {
        try {
          advance(pod);
        } catch (KubernetesClientException e) {
          // A stale copy (409) or a pod just deleted: the next tick sees it afresh.
        }
      }));
    }
    for (var step : steps) {
      try {
        step.get();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (java.util.concurrent.ExecutionException e) {
        log.accept("simulated kubelet: " + e.getCause());
      }
    }
  }

  private void advance(Pod pod) {
    String phase = pod.getStatus() == null ? "Pending" : pod.getStatus().getPhase();
    boolean launcher = JobLabels.ROLE_LAUNCHER.equals(pod.getMetadata().getLabels().get(JobLabels.ROLE));
    String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + "/"
        + pod.getMetadata().getUid();
    if (pod.getSpec().getNodeName() != null && !node.equals(pod.getSpec().getNodeName())) {
      return; // placed on another node: its kubelet runs it
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      terminate(pod, key);
      return;
    }
    if ("Pending".equals(phase) || phase == null) {
      Instant since = lastStep.computeIfAbsent(key, k -> Instant.now());
      if (!scheduling || Duration.between(since, Instant.now()).compareTo(stepDelay) < 0) {
        return;
      }
      Instant retry = nextSync.get(key);
      if (retry != null && Instant.now().isBefore(retry)) {
        return; // its containers could not start: the pod worker syncs it again after its back-off
      }
      lastStep.put(key, Instant.now());
      if (pod.getSpec().getNodeName() == null && !gangComplete(pod)) {
        return; // a gang scheduler binds a PodGroup's pods only once enough of them exist to place together
      }
      if (pod.getSpec().getNodeName() == null) {
        java.util.Optional<String> unschedulable = volumes.unschedulable(pod);
        if (unschedulable.isPresent()) {
          markUnschedulable(pod, unschedulable.get());
          return; // tried again next tick, as the scheduler retries once claims change
        }
      }
      if (pod.getSpec().getNodeName() == null) {
        java.util.Optional<String> noFit = nodeFit.reserve(pod, podInformer.getStore().list());
        if (noFit.isPresent()) {
          markUnschedulable(pod, noFit.get());
          return; // tried again next tick, as the scheduler retries when pods go
        }
      }
      if (pod.getSpec().getNodeName() == null) { // the scheduler binds it; its init steps then run on the node
        Pod unbound = pod;
        try {
          pod = bind(pod);
        } catch (RuntimeException e) {
          nodeFit.forget(unbound);
          throw e;
        }
        if (pod == null) {
          return; // gone meanwhile
        }
      }
      if (!startContainers(pod, key)) {
        return;
      }
      setStatus(pod, runningStatus(pod, !launcher));
      if (launcher) {
        launcherStarted.put(key, Instant.now());
      }
      log.accept("kubelet: pod " + pod.getMetadata().getName() + " is running");
    } else if ("Running".equals(phase) && launcher) {
      Instant started = launcherStarted.computeIfAbsent(key, k -> Instant.now());
      print(pod, key, Duration.between(started, Instant.now()));
      if (Duration.between(started, Instant.now()).compareTo(launcherRunTime) >= 0) {
        int code = launcherExitCode;
        setStatus(pod, exitedStatus(pod, code, code == 0 ? "Completed" : "Error"));
        log.accept("kubelet: launcher " + pod.getMetadata().getName() + " exited " + code);
      }
    }
  }

  /**
   * The kubelet's start of a bound pod's containers: its init containers (one step: they are shown running, and have
   * completed by the next), then its app containers. False while the pod is not ready to run: initializing, or held by
   * a container that cannot start, whose status is then written (when it changes) and the pod synced again after the
   * back-off.
   */
  private boolean startContainers(Pod pod, String key) {
    Instant now = Instant.now();
    boolean initStarted = pod.getStatus() != null && pod.getStatus().getInitContainerStatuses() != null
        && !pod.getStatus().getInitContainerStatuses().isEmpty()
        && pod.getStatus().getInitContainerStatuses().stream().noneMatch(c -> c.getState() == null
            || c.getState().getWaiting() != null);
    PodStatus stalled = null;
    if (!pod.getSpec().getInitContainers().isEmpty() && !initStarted) {
      var init = starts.initStall(pod, now);
      if (init.isEmpty()) {
        nextSync.remove(key);
        setStatus(pod, initializingStatus(pod));
        return false;
      }
      stalled = ContainerStarts.initStalled(pod, init.get().getKey(), init.get().getValue());
    } else {
      Map<String, ImagePulls.Waiting> app = starts.appStalls(pod, now);
      if (!app.isEmpty()) {
        stalled = ContainerStarts.appStalled(pod, app);
      }
    }
    if (stalled == null) {
      nextSync.remove(key);
      return true;
    }
    nextSync.put(key, now.plus(starts.images.backOff()));
    if (ContainerStarts.changes(pod, stalled)) {
      setStatus(pod, stalled);
    }
    return false;
  }

  /**
   * Binds the pod to this node as a scheduler does, through the pods/binding subresource (an update of spec.nodeName
   * is refused by a real API server), and reads it back (the binding changed its resourceVersion, and the status
   * writes that follow are made from it); null when the pod is gone. A pod someone else bound first answers 409.
   */
  private Pod bind(Pod pod) {
    String namespace = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    Binding binding = new BindingBuilder().withNewMetadata().withName(name).endMetadata()
        .withNewTarget().withApiVersion("v1").withKind("Node").withName(node).endTarget().build();
    String url = client.getMasterUrl().toString().replaceAll("/$", "") + "/api/v1/namespaces/" + namespace + "/pods/"
        + name + "/binding";
    client.raw(url, "POST", binding);
    return client.pods().inNamespace(namespace).withName(name).get();
  }

  /**
   * SIGTERM, then the containers' exit after {@link #terminationDelay} (143), or at the end of the grace period
   * (137, SIGKILL), then the pod's removal. A pod that had already finished just goes.
   */
  private void terminate(Pod pod, String key) {
    if (pod.getSpec().getNodeName() == null) {
      return; // never started: the API server removes an unbound pod at once
    }
    Instant sigterm = terminating.computeIfAbsent(key, k -> Instant.now());
    Duration elapsed = Duration.between(sigterm, Instant.now());
    long grace = pod.getMetadata().getDeletionGracePeriodSeconds() == null ? 30
        : pod.getMetadata().getDeletionGracePeriodSeconds();
    boolean finished = "Succeeded".equals(pod.getStatus().getPhase()) || "Failed".equals(pod.getStatus().getPhase());
    if (!finished) {
      if (elapsed.compareTo(terminationDelay) < 0 && elapsed.getSeconds() < grace) {
        return;
      }
      int code = terminationDelay.getSeconds() >= grace ? 137 : 143;
      setStatus(pod, exitedStatus(pod, code, "Error"));
      log.accept("kubelet: pod " + pod.getMetadata().getName() + " stopped with " + code);
    }
    client.pods().inNamespace(pod.getMetadata().getNamespace()).withName(pod.getMetadata().getName())
        .withGracePeriod(0).delete();
    terminating.remove(key);
    linesPrinted.remove(key);
    outputs.remove(key);
    nextSync.remove(key);
    starts.images.forget(pod.getMetadata().getUid());
  }

  /** The PodGroup a pod belongs to (Volcano's annotation or scheduler-plugins' label), as apiVersion and name. */
  private static java.util.Optional<String[]> gangOf(Pod pod) {
    var annotations = pod.getMetadata().getAnnotations();
    var labels = pod.getMetadata().getLabels();
    if (annotations != null && annotations.get("scheduling.k8s.io/group-name") != null) {
      return java.util.Optional.of(new String[] {"scheduling.volcano.sh/v1beta1",
          annotations.get("scheduling.k8s.io/group-name")});
    }
    if (labels != null && labels.get("scheduling.x-k8s.io/pod-group") != null) {
      return java.util.Optional.of(new String[] {"scheduling.x-k8s.io/v1alpha1",
          labels.get("scheduling.x-k8s.io/pod-group")});
    }
    return java.util.Optional.empty();
  }

  /**
   * Whether a pod's gang can be placed: not in one, or its PodGroup's minMember pods exist. Says so on the
   * PodGroup's status (phase Pending with a message, then Running), as gang schedulers do.
   */
  private boolean gangComplete(Pod pod) {
    java.util.Optional<String[]> gang = gangOf(pod);
    if (gang.isEmpty()) {
      return true;
    }
    String namespace = pod.getMetadata().getNamespace();
    var groups = client.genericKubernetesResources(gang.get()[0], "PodGroup").inNamespace(namespace);
    var group = groups.withName(gang.get()[1]).get();
    if (group == null) {
      return false;
    }
    Object spec = group.getAdditionalProperties().get("spec");
    int minMember = spec instanceof Map<?, ?> m && m.get("minMember") instanceof Number n ? n.intValue() : 1;
    long members = podInformer.getStore().list().stream().filter(p -> namespace.equals(p.getMetadata().getNamespace()))
        .filter(p -> p.getMetadata().getDeletionTimestamp() == null)
        .filter(p -> gangOf(p).map(g -> g[1].equals(gang.get()[1])).orElse(false)).count();
    boolean complete = members >= minMember;
    String phase = complete ? "Running" : "Pending";
    Object current = group.getAdditionalProperties().get("status");
    if (!(current instanceof Map<?, ?> c) || !phase.equals(c.get("phase"))) {
      group.setAdditionalProperty("status", Map.of("phase", phase, "conditions", List.of(Map.of("type",
          complete ? "Scheduled" : "Unschedulable", "status", "True", "message", members + "/" + minMember
          + " members of the gang exist"))));
      groups.resource(group).updateStatus();
    }
    return complete;
  }

  /**
   * The kubelet evicts the pod for node pressure (pkg/kubelet/eviction, evictPod): the pod fails with reason Evicted
   * and the eviction message, its containers killed (a hard threshold gives no grace: 137); since 1.26 it also
   * carries {@code DisruptionTarget} (TerminationByKubelet) with the same message. It stays listed, Failed.
   */
  public void evict(String namespace, String name) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    // evictionMessage: nodeLowMessageFmt, then thresholdMetMessageFmt
    String message = "The node was low on resource: memory. Threshold quantity: 100Mi, available: 51200Ki. ";
    PodStatus status = exitedStatus(pod, 137, "Error");
    status.setPhase("Failed");
    status.setReason("Evicted");
    status.setMessage(message);
    if (disruptions.conditions()) {
      DisruptionTarget.with(status, DisruptionTarget.condition(DisruptionTarget.TERMINATION_BY_KUBELET, message));
    }
    setStatus(pod, status);
  }

  /**
   * The pod's node shuts down gracefully (pkg/kubelet/nodeshutdown): the kubelet stops its containers (SIGTERM, 143)
   * and reports the pod Failed with reason Terminated and the shutdown message, since 1.26 with
   * {@code DisruptionTarget} (TerminationByKubelet). The pod stays listed, Failed, as on a real node.
   */
  public void shutdownNode(String namespace, String name) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    PodStatus status = exitedStatus(pod, 143, "Error");
    status.setPhase("Failed");
    status.setReason("Terminated");
    status.setMessage(DisruptionTarget.NODE_SHUTDOWN_MESSAGE);
    if (disruptions.conditions()) {
      DisruptionTarget.with(status, DisruptionTarget.condition(DisruptionTarget.TERMINATION_BY_KUBELET,
          DisruptionTarget.NODE_SHUTDOWN_MESSAGE));
    }
    setStatus(pod, status);
  }

  /** The kernel kills a container for exceeding its memory limit: it ends with OOMKilled, 137. Not a disruption. */
  public void oomKill(String namespace, String name) {
    Pod pod = client.pods().inNamespace(namespace).withName(name).get();
    PodStatus status = exitedStatus(pod, 137, "OOMKilled");
    status.setPhase("Failed");
    setStatus(pod, status);
  }

  /**
   * The pod's node is lost: nothing on it reports again, and the pod garbage collector marks the pod Failed with
   * {@code DisruptionTarget} (DeletionByPodGC) and force-deletes it, so it goes at once ({@link Disruptions}).
   */
  public void loseNode(String namespace, String name) {
    disruptions.loseNode(namespace, name);
  }

  /**
   * The scheduler preempts the pod for a higher-priority one: {@code DisruptionTarget} (PreemptionByScheduler), then
   * a graceful deletion, which this kubelet carries out (SIGTERM, 143, removal).
   */
  public void preempt(String namespace, String name) {
    disruptions.preempt(namespace, name);
  }

  /**
   * A drain evicts the pod through the Eviction API (POST pods/{name}/eviction): the API server marks it
   * {@code DisruptionTarget} (EvictionByEvictionAPI) and deletes it gracefully. False when the server refuses
   * with 429 (a PodDisruptionBudget).
   */
  public boolean evictThroughApi(String namespace, String name) {
    return disruptions.evictThroughApi(namespace, name);
  }

  /**
   * The taint eviction controller deletes the pod for a NoExecute taint on its node it does not tolerate:
   * {@code DisruptionTarget} (DeletionByTaintManager), then a graceful deletion.
   */
  public void taintEvict(String namespace, String name) {
    disruptions.taintEvict(namespace, name);
  }

  /**
   * What the scheduler writes on a pod it cannot place: PodScheduled False, reason Unschedulable, its FitError message
   * (written only when it changes, as a status patch of the same condition changes nothing).
   */
  private void markUnschedulable(Pod pod, String message) {
    java.util.Optional<PodCondition> current = pod.getStatus() == null || pod.getStatus().getConditions() == null
        ? java.util.Optional.empty() : pod.getStatus().getConditions().stream()
            .filter(c -> "PodScheduled".equals(c.getType())).findFirst();
    if (current.filter(c -> "False".equals(c.getStatus()) && message.equals(c.getMessage())).isPresent()) {
      return;
    }
    setStatus(pod, new PodStatusBuilder().withPhase("Pending").withConditions(new PodConditionBuilder()
        .withType("PodScheduled").withStatus("False").withReason("Unschedulable").withMessage(message)
        .withLastTransitionTime(DisruptionTarget.now()).build()).build());
  }

  private void print(Pod pod, String key, Duration running) {
    if (launcherOutput.isEmpty()) {
      return;
    }
    List<String> output = outputs.computeIfAbsent(key, k -> trainer.output(pod, launcherOutput));
    if (output.isEmpty()) {
      return;
    }
    // Everything is printed by three quarters of the run, as a trainer's last report precedes its exit.
    double done = Math.min(1.0, running.toMillis() / (0.75 * Math.max(1, launcherRunTime.toMillis())));
    int due = (int) Math.ceil(done * output.size());
    int printed = linesPrinted.getOrDefault(key, 0);
    if (due > printed) {
      logSink.append(pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
          String.join("\n", output.subList(printed, due)) + "\n");
      trainer.printed(pod, output.subList(printed, due));
      linesPrinted.put(key, due);
    }
  }

  /** The conditions this kubelet (which also plays the scheduler) writes; any other stays as it is. */
  private static final java.util.Set<String> OWN_CONDITIONS = java.util.Set.of("PodScheduled", "Ready",
      "ContainersReady", "Initialized", "PodReadyToStartContainers");

  /**
   * Writes the pod's status as this kubelet sees it, keeping the conditions others wrote (DisruptionTarget, a readiness
   * gate's), as the kubelet's status manager merges them (mergePodStatus). From the pod as read: a write over a newer
   * version is refused (409) and made again on the next tick.
   */
  private void setStatus(Pod pod, PodStatus status) {
    if (pod.getStatus() != null && pod.getStatus().getConditions() != null) {
      List<PodCondition> merged = new ArrayList<>(status.getConditions() == null ? List.of() : status.getConditions());
      java.util.Set<String> written = new java.util.HashSet<>();
      merged.forEach(c -> written.add(c.getType()));
      pod.getStatus().getConditions().stream().filter(c -> !OWN_CONDITIONS.contains(c.getType()))
          .filter(c -> !written.contains(c.getType())).forEach(merged::add);
      status.setConditions(merged);
    }
    Pod updated = new PodBuilder(pod).withStatus(status).build();
    client.pods().inNamespace(pod.getMetadata().getNamespace()).resource(updated).updateStatus();
  }

  private static PodStatus initializingStatus(Pod pod) {
    List<ContainerStatus> init = new ArrayList<>();
    pod.getSpec().getInitContainers().forEach(c -> init.add(new ContainerStatusBuilder().withName(c.getName())
        .withNewState().withNewRunning().withStartedAt(Instant.now().toString()).endRunning().endState()
        .withRestartCount(0).build()));
    return new PodStatusBuilder().withPhase("Pending").withConditions(condition("PodScheduled", true))
        .withInitContainerStatuses(init).build();
  }

  private static PodStatus runningStatus(Pod pod, boolean ready) {
    List<ContainerStatus> containers = new ArrayList<>();
    pod.getSpec().getContainers().forEach(c -> containers.add(new ContainerStatusBuilder().withName(c.getName())
        .withReady(ready).withRestartCount(0).withNewState().withNewRunning()
        .withStartedAt(Instant.now().toString()).endRunning().endState().build()));
    return new PodStatusBuilder().withPhase("Running").withPodIP("10.0.0.1")
        .withConditions(condition("PodScheduled", true), condition("Ready", ready))
        .withContainerStatuses(containers).build();
  }

  private static PodStatus exitedStatus(Pod pod, int code, String reason) {
    List<ContainerStatus> containers = new ArrayList<>();
    pod.getSpec().getContainers().forEach(c -> containers.add(new ContainerStatusBuilder().withName(c.getName())
        .withReady(false).withRestartCount(0).withNewState().withNewTerminated().withExitCode(code)
        .withReason(reason).withFinishedAt(Instant.now().toString()).endTerminated()
        .endState().build()));
    return new PodStatusBuilder().withPhase(code == 0 ? "Succeeded" : "Failed")
        .withConditions(condition("PodScheduled", true), condition("Ready", false))
        .withContainerStatuses(containers).build();
  }

  private static PodCondition condition(String type, boolean value) {
    return new PodConditionBuilder().withType(type).withStatus(value ? "True" : "False").build();
  }

  @Override
  public void close() {
    if (podInformer != null) {
      podInformer.close();
    }
    volumes.close();
    loop.shutdownNow();
    workers.shutdownNow();
    try {
      loop.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
