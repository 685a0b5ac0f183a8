package dev.chainer.operator.cli;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.spec.JobNames;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.LogWatch;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The training output: the log of the launcher pod, which has another name on every attempt
 * ({@code <job>-launcher}, then {@code <job>-launcher-<n>}). Following goes on from one attempt to the next.
 */
@Command(name = "logs", mixinStandardHelpOptions = true,
    description = "Print the training output of a ChainerJob: the log of its launcher for the current attempt, or "
        + "the one given with --attempt. With -f, follow it until the job ends, across restarts, with a line "
        + "'--- attempt N (launcher POD) ---' where each attempt begins.")
public final class LogsCommand implements Callable<Integer> {
  private static final long WAIT_MILLIS = 1000;

  @Parameters(index = "0", paramLabel = "JOB", description = "Name of the ChainerJob.")
  String name;

  @Option(names = {"-f", "--follow"}, description = "Stream the output until the job ends, following restarts.")
  boolean follow;

  @Option(names = "--attempt", paramLabel = "N", description = "The attempt whose output to print (0 is the first; "
      + "status.attempt is the current one). Default: the current attempt.")
  Integer attempt;

  @Mixin
  ClusterOptions cluster;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  private KubernetesClient client;
  private String namespace;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    try (KubernetesClient c = cluster.client()) {
      client = c;
      namespace = c.getNamespace();
      ChainerJob job = job();
      if (job == null) {
        err.println("error: chainerjob " + name + " not found in namespace " + namespace);
        return 1;
      }
      int first = attempt != null ? attempt : status(job).currentAttempt();
      return follow ? followFrom(first, out, err) : print(first, out, err);
    } catch (KubernetesClientException e) {
      err.println("error: " + SubmitCommand.refusal(e));
      return 1;
    }
  }

  private int print(int n, PrintWriter out, PrintWriter err) {
    String pod = launcher(n);
    Pod p = client.pods().inNamespace(namespace).withName(pod).get();
    if (p == null) {
      ChainerJobStatus s = status(job());
      err.println("error: no launcher pod " + pod + " for attempt " + n + " (the job is "
          + (s.getPhase() == null ? "not started" : s.getPhase()) + ", attempt " + s.currentAttempt() + "): it has "
          + "not started yet, or was deleted (runPolicy.cleanPodPolicy); use -f to wait for it");
      return 1;
    }
    out.print(client.pods().inNamespace(namespace).withName(pod).inContainer(JobNames.LAUNCHER_CONTAINER).getLog());
    out.flush();
    return 0;
  }

  /** Streams each attempt's launcher in turn, from the given one, until the job has ended and its last log is read. */
  private int followFrom(int first, PrintWriter out, PrintWriter err) throws InterruptedException {
    int n = first;
    while (true) {
      Pod pod = awaitLauncher(n);
      if (pod != null) {
        out.println("--- attempt " + n + " (launcher " + pod.getMetadata().getName() + ") ---");
        out.flush();
        stream(pod.getMetadata().getName(), out);
      }
      int next = awaitNextAttempt(n);
      if (next < 0) {
        return 0;
      }
      n = next;
    }
  }

  /**
   * The attempt's launcher once it has started (its log exists), or null when the job moved on to a later attempt
   * or ended without it.
   */
  private Pod awaitLauncher(int n) throws InterruptedException {
    while (true) {
      Pod pod = client.pods().inNamespace(namespace).withName(launcher(n)).get();
      if (pod != null && pod.getStatus() != null && pod.getStatus().getPhase() != null
          && !"Pending".equals(pod.getStatus().getPhase())) {
        return pod;
      }
      ChainerJobStatus s = status(job());
      if (s.currentAttempt() > n || (s.getPhase() != null && s.getPhase().isTerminal())) {
        return pod;
      }
      Thread.sleep(WAIT_MILLIS);
    }
  }

  /** The next attempt to show, or -1 once the job has ended (or is gone) with this one its last. */
  private int awaitNextAttempt(int n) throws InterruptedException {
    while (true) {
      ChainerJob job = job();
      if (job == null) {
        return -1;
      }
      ChainerJobStatus s = status(job);
      if (s.currentAttempt() > n) {
        return n + 1;
      }
      if (s.getPhase() != null && s.getPhase().isTerminal()) {
        return -1;
      }
      Thread.sleep(WAIT_MILLIS);
    }
  }

  /**
   * Follows one pod's log to its end. A stream that ends while the pod still runs (a dropped connection, a proxy's
   * timeout) is opened again, and what was already printed is skipped.
   */
  private void stream(String pod, PrintWriter out) throws InterruptedException {
    long printed = 0;
    while (true) {
      try (LogWatch watch = client.pods().inNamespace(namespace).withName(pod).inContainer(JobNames.LAUNCHER_CONTAINER)
          .watchLog(); Reader in = new InputStreamReader(watch.getOutput(), StandardCharsets.UTF_8)) {
        printed = copy(in, out, printed);
      } catch (IOException | KubernetesClientException e) {
        // The pod's state decides below whether to read again.
      }
      Pod now = client.pods().inNamespace(namespace).withName(pod).get();
      if (now == null || now.getStatus() == null || !"Running".equals(now.getStatus().getPhase())) {
        if (now != null) {
          finalRead(pod, out, printed); // what it printed between the stream's end and its own
        }
        out.flush();
        return;
      }
      Thread.sleep(WAIT_MILLIS);
    }
  }

  private void finalRead(String pod, PrintWriter out, long printed) {
    try (Reader in = new java.io.StringReader(client.pods().inNamespace(namespace).withName(pod)
        .inContainer(JobNames.LAUNCHER_CONTAINER).getLog())) {
      copy(in, out, printed);
    } catch (IOException | KubernetesClientException e) {
      // Gone meanwhile: what was streamed is all there is.
    }
  }

  /** Copies what follows the first {@code skip} characters; returns how many characters have now been seen. */
  private static long copy(Reader in, PrintWriter out, long skip) throws IOException {
    char[] buffer = new char[8192];
    long seen = 0;
    int read;
    while ((read = in.read(buffer)) >= 0) {
      int from = (int) Math.max(0, Math.min(read, skip - seen));
      if (from < read) {
        out.write(buffer, from, read - from);
        out.flush();
      }
      seen += read;
    }
    return Math.max(seen, skip);
  }

  private String launcher(int n) {
    return new JobNames(name, namespace, null).launcherPod(n);
  }

  private ChainerJob job() {
    return client.resources(ChainerJob.class).inNamespace(namespace).withName(name).get();
  }

  private static ChainerJobStatus status(ChainerJob job) {
    return job == null || job.getStatus() == null ? new ChainerJobStatus() : job.getStatus();
  }
}
