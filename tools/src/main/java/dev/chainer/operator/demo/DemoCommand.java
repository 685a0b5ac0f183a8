package dev.chainer.operator.demo;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.DataStore;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.localcluster.LocalApiServer;
import dev.chainer.operator.localcluster.SimulatedKubelet;
import dev.chainer.operator.reconcile.ChainerOperator;
import dev.chainer.operator.validation.JobFiles;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The whole operator on one machine: an in-process API server, the real operator and a simulated kubelet. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Run a ChainerJob end to end without a cluster: an in-process Kubernetes API, the real operator "
        + "and a simulated kubelet; prints a timeline and exits 0 once the job is Completed.")
public final class DemoCommand implements Callable<Integer> {
  static final String DEFAULT_JOB = "/examples/chainermn-mnist-openmpi-gpu.yaml";

  @Option(names = {"-f", "--file"}, description = "ChainerJob YAML (default: the bundled 2-node x 4-GPU MNIST example).")
  Path file;

  @Option(names = "--preempt", description = "Half way through the run, the scheduler preempts a worker (the "
      + "launcher of a single-process job): the job restarts without costing a retry and, with spec.outputs, resumes "
      + "from its newest snapshot.")
  boolean preempt;

  @Option(names = "--timeout", defaultValue = "120", description = "Seconds to wait for the job (default ${DEFAULT-VALUE}).")
  long timeoutSeconds;

  @Option(names = "--keep-running", description = "Once the job has ended, keep the in-process cluster (API server, "
      + "operator, kubelet) running until interrupted, so that kubectl and `kubectl chainer` can be tried on it.")
  boolean keepRunning;

  @Option(names = "--kubeconfig-out", paramLabel = "FILE", description = "Write a kubeconfig for the in-process "
      + "API server to FILE (use it with --kubeconfig, or KUBECONFIG=FILE).")
  Path kubeconfigOut;

  @Override
  public Integer call() {
    return run(System.out, System.err);
  }

  int run(PrintStream out, PrintStream err) {
    ChainerJob job;
    try {
      job = file == null ? bundledJob() : JobFiles.read(file);
    } catch (JobFiles.InvalidJobFile e) {
      err.println("error: " + (file == null ? DEFAULT_JOB : file) + ": " + e.getMessage());
      return 1;
    }
    OperatorConfig config = OperatorConfig.defaults();
    config.setProgressIntervalSeconds(1);
    try (LocalApiServer api = LocalApiServer.start();
        ChainerOperator operator = ChainerOperator.create(api.client(), config,
            Clock.systemUTC(), ChainerOperator.Settings.allNamespaces()).start();
        SimulatedKubelet kubelet = new SimulatedKubelet(api.client()).stepDelay(Duration.ofMillis(400))
            .launcherRunTime(Duration.ofSeconds(5)).launcherOutput(trainerReport(20), api::appendLog).start()) {
      Timeline timeline = new Timeline(api.client(), out);
      String ns = job.getMetadata().getNamespace();
      String name = job.getMetadata().getName();
      timeline.print("in-process API server up, CRD installed, operator started, simulated kubelet running");
      if (kubeconfigOut != null) {
        writeKubeconfig(kubeconfigOut, api.client().getConfiguration().getMasterUrl(),
            ns != null ? ns : api.client().getNamespace());
        timeline.print("kubeconfig for this API server written to " + kubeconfigOut);
      }
      createNamedClaims(api.client(), job);
      try {
        api.client().resource(job).create();
      } catch (KubernetesClientException refused) {
        err.println("error: the API server refused the job: " + refusal(refused));
        return 1;
      }
      timeline.print("submitted ChainerJob " + ns + "/" + name);
      ChainerJobStatus status = watch(timeline, ns, name, kubelet);
      int result = 1;
      if (status != null && status.getPhase() == JobPhase.Completed) {
        timeline.print("job Completed: exit code " + status.getLauncher().getExitCode());
        result = 0;
      } else {
        err.println("error: the job did not complete: " + (status == null ? "no status" : status.getPhase()
            + (status.getMessage() == null ? "" : " (" + status.getMessage() + ")")));
      }
      return keepRunning ? untilInterrupted(out) : result;
    }
  }

  private int untilInterrupted(PrintStream out) {
    out.println("The in-process cluster keeps running; press Ctrl-C to stop it. Try:");
    String config = kubeconfigOut == null ? "" : " --kubeconfig " + kubeconfigOut;
    out.println("  kubectl chainer submit -f examples/<job>.yaml" + config);
    out.println("  kubectl chainer watch <job>" + config + "   /   kubectl chainer logs <job> -f" + config);
    try {
      new java.util.concurrent.CountDownLatch(1).await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 0;
  }

  /** A kubeconfig whose one context is the in-process API server (plain HTTP on localhost, no credentials checked). */
  public static void writeKubeconfig(Path file, String serverUrl, String namespace) {
    String yaml = String.join("\n", "apiVersion: v1", "kind: Config", "clusters:", "- name: chainer-demo",
        "  cluster:", "    server: " + serverUrl, "contexts:", "- name: chainer-demo", "  context:",
        "    cluster: chainer-demo", "    user: chainer-demo", "    namespace: " + namespace,
        "current-context: chainer-demo", "users:", "- name: chainer-demo", "  user:", "    token: demo", "");
    try {
      java.nio.file.Files.writeString(file, yaml, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** What kubectl prints for a refused object: the server's message, else the client's. */
  private static String refusal(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
  }

  private ChainerJobStatus watch(Timeline timeline, String ns, String name, SimulatedKubelet kubelet) {
    Instant deadline = Instant.now().plusSeconds(timeoutSeconds);
    ChainerJobStatus status = null;
    boolean preempted = !preempt;
    while (Instant.now().isBefore(deadline)) {
      status = timeline.observe(ns, name);
      if (!preempted && halfWay(status)) {
        String pod = status.getTotalWorkers() != null ? name + "-worker-0" : status.getLauncher().getPodName();
        timeline.print("the scheduler preempts pod " + pod + " for a pod of higher priority");
        kubelet.preempt(ns, pod);
        preempted = true;
      }
      if (status != null && status.getPhase() != null && status.getPhase().isTerminal()
          && (finalProgress(status) || Instant.now().isAfter(ended(status).plusSeconds(5)))) {
        return status;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    return status;
  }

  /** The operator reads an ended job's log once more: its progress then shows the last epoch reported. */
  private static boolean finalProgress(ChainerJobStatus status) {
    return status.getProgress() == null || status.getProgress().getLastUpdateTime() == null
        || !Instant.parse(status.getProgress().getLastUpdateTime()).isBefore(ended(status));
  }

  private static Instant ended(ChainerJobStatus status) {
    return status.getCompletionTime() == null ? Instant.now() : Instant.parse(status.getCompletionTime());
  }

  private static boolean halfWay(ChainerJobStatus status) {
    return status != null && status.getPhase() == JobPhase.Running && status.getProgress() != null
        && status.getProgress().getPercent() != null && status.getProgress().getPercent() >= 40;
  }

  /**
   * The claims the job names (its code, inputs, checkpoint and outputs stores), made as its owner would have made them
   * before submitting: on this cluster nobody else would, and a pod whose claim is missing is never scheduled.
   */
  private static void createNamedClaims(KubernetesClient client, ChainerJob job) {
    ChainerJobSpec spec = job.getSpec();
    java.util.List<DataStore> stores = new java.util.ArrayList<>();
    stores.add(spec.getSourceDirectoryDataStore());
    if (spec.getInputs() != null) {
      spec.getInputs().forEach(i -> stores.add(i.getDataStore()));
    }
    if (spec.getResumeFrom() != null) {
      stores.add(spec.getResumeFrom().getDataStore());
    }
    if (spec.getOutputs() != null) {
      stores.add(spec.getOutputs().getDataStore());
    }
    stores.stream().filter(s -> s != null && s.getPersistentVolumeClaim() != null)
        .map(DataStore::getPersistentVolumeClaim).distinct().forEach(claim -> client.persistentVolumeClaims()
            .inNamespace(job.getMetadata().getNamespace()).resource(new PersistentVolumeClaimBuilder().withNewMetadata()
                .withName(claim).endMetadata().withNewSpec().withAccessModes("ReadWriteMany").withNewResources()
                .addToRequests("storage", new Quantity("1Gi")).endResources().endSpec().build()).create());
  }

  /** What ChainerMN's MNIST example prints on rank 0: its settings, then a PrintReport row per epoch. */
  public static java.util.List<String> trainerReport(int epochs) {
    java.util.List<String> lines = new java.util.ArrayList<>(java.util.List.of(
        "==========================================", "Num process (COMM_WORLD): 8",
        "Using pure_nccl communicator", "Num unit: 1000", "Num Minibatch-size: 100", "Num epoch: " + epochs,
        "==========================================",
        "epoch       main/loss   validation/main/loss  main/accuracy  validation/main/accuracy  elapsed_time"));
    for (int e = 1; e <= epochs; e++) {
      double loss = 0.25 / e;
      lines.add(String.format(java.util.Locale.ROOT, "%-10d  %-10.6g  %-20.6g  %-13.6g  %-24.6g  %-12.6g", e, loss,
          loss * 1.1, 1 - loss / 3, 1 - loss / 2.5, 4.2 * e));
    }
    return lines;
  }

  private static ChainerJob bundledJob() throws JobFiles.InvalidJobFile {
    try (InputStream in = DemoCommand.class.getResourceAsStream(DEFAULT_JOB)) {
      if (in == null) {
        throw new JobFiles.InvalidJobFile("not bundled in this build");
      }
      return JobFiles.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new JobFiles.InvalidJobFile(e.getMessage());
    }
  }
}
