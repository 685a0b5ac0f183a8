package dev.chainer.operator.cli;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Follows a job until it ends, as Azure ML's {@code run.wait_for_completion(show_output=True)} did, with an exit
 * status a script can test. Reads the job through an informer (a watch that lists again and reconnects by itself).
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Show a job's phase, attempt, progress (epoch, iteration, percent, time left), latest metrics and "
        + "restarts live until it ends. Redrawn in place on a terminal; one line per change otherwise (or with "
        + "--plain). Exit status: 0 Completed, 1 Failed, 2 Canceled, deleted, not found or unreachable.")
public final class WatchCommand implements Callable<Integer> {
  public static final int COMPLETED = 0;
  public static final int FAILED = 1;
  public static final int OTHER = 2;

  @Parameters(index = "0", paramLabel = "JOB", description = "Name of the ChainerJob.")
  String name;

  @Option(names = "--plain", description = "One line per change, never redrawn (the default when the output is "
      + "not a terminal).")
  boolean plain;

  @Mixin
  ClusterOptions cluster;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    LiveText text = plain || System.console() == null ? LiveText.plain(out) : LiveText.terminal(out);
    try (KubernetesClient client = cluster.client()) {
      var jobs = client.resources(ChainerJob.class).inNamespace(client.getNamespace()).withName(name);
      if (jobs.get() == null) {
        err.println("error: chainerjob " + name + " not found in namespace " + client.getNamespace());
        return OTHER;
      }
      BlockingQueue<Optional<ChainerJob>> updates = new LinkedBlockingQueue<>();
      try (SharedIndexInformer<ChainerJob> informer = jobs.inform(handler(updates), 0)) {
        return follow(updates, text, err, client.getNamespace());
      }
    } catch (KubernetesClientException e) {
      err.println("error: " + SubmitCommand.refusal(e));
      return OTHER;
    }
  }

  private int follow(BlockingQueue<Optional<ChainerJob>> updates, LiveText text, PrintWriter err, String namespace)
      throws InterruptedException {
    ChainerJobStatus previous = null;
    Long endBy = null; // once the job has ended: until when its final progress reading is awaited
    while (true) {
      Optional<ChainerJob> update = endBy == null ? updates.take()
          : updates.poll(Math.max(0, endBy - System.nanoTime()), TimeUnit.NANOSECONDS);
      if (update == null) {
        return end(previous, text, err, namespace); // the final reading did not come in time
      }
      if (update.isEmpty()) {
        text.finish(List.of("chainerjob " + name + " was deleted"));
        return OTHER;
      }
      ChainerJobStatus status = update.get().getStatus() == null ? new ChainerJobStatus() : update.get().getStatus();
      List<String> happened = ProgressView.happenings(previous, status);
      previous = status;
      text.show(happened, status);
      if (status.getPhase() != null && status.getPhase().isTerminal()) {
        if (finalProgress(status)) {
          return end(status, text, err, namespace);
        }
        if (endBy == null) {
          endBy = System.nanoTime() + FINAL_READING_WAIT.toNanos();
        }
      }
    }
  }

  /** How long an ended job's last progress reading is waited for (the operator reads the log once more). */
  private static final Duration FINAL_READING_WAIT = Duration.ofSeconds(5);

  /**
   * Whether the progress shown is the one read after the job ended, or there is none to wait for: a job whose launcher
   * never ran has none; one that ended before its first reading gets its reading after the end (a script that reports
   * nothing then ends the watch {@link #FINAL_READING_WAIT} late).
   */
  private static boolean finalProgress(ChainerJobStatus s) {
    if (s.getCompletionTime() == null || s.getLauncher() == null || s.getLauncher().getPodName() == null) {
      return true;
    }
    return s.getProgress() != null && (s.getProgress().getLastUpdateTime() == null
        || !Instant.parse(s.getProgress().getLastUpdateTime()).isBefore(Instant.parse(s.getCompletionTime())));
  }

  private int end(ChainerJobStatus status, LiveText text, PrintWriter err, String namespace) {
    text.finish(List.of());
    if (status.getPhase() != JobPhase.Completed && status.getLauncher() != null) {
      err.println("see the training output: kubectl chainer logs " + name + " -n " + namespace + " --attempt "
          + status.currentAttempt());
    }
    return status.getPhase() == JobPhase.Completed ? COMPLETED : status.getPhase() == JobPhase.Failed ? FAILED : OTHER;
  }

  private static ResourceEventHandler<ChainerJob> handler(BlockingQueue<Optional<ChainerJob>> updates) {
    return new ResourceEventHandler<>() {
      @Override
      public void onAdd(ChainerJob job) {
        updates.add(Optional.of(job));
      }

      @Override
      public void onUpdate(ChainerJob before, ChainerJob job) {
        updates.add(Optional.of(job));
      }

      @Override
      public void onDelete(ChainerJob job, boolean finalStateUnknown) {
        updates.add(Optional.empty());
      }
    };
  }

  /** The two ways of showing the view: a block redrawn in place (ANSI), or a line whenever the summary changes. */
  abstract static class LiveText {
    final PrintWriter out;

    LiveText(PrintWriter out) {
      this.out = out;
    }

    abstract void show(List<String> happened, ChainerJobStatus status);

    void finish(List<String> lines) {
      lines.forEach(out::println);
      out.flush();
    }

    static LiveText plain(PrintWriter out) {
      return new LiveText(out) {
        private String last;

        @Override
        void show(List<String> happened, ChainerJobStatus status) {
          happened.forEach(out::println);
          String line = ProgressView.summary(status);
          if (!Objects.equals(line, last)) {
            out.println(line);
            last = line;
          }
          out.flush();
        }
      };
    }

    static LiveText terminal(PrintWriter out) {
      int width = columns();
      return new LiveText(out) {
        private int drawn;

        @Override
        void show(List<String> happened, ChainerJobStatus status) {
          if (drawn > 0) {
            out.print("\033[" + drawn + "F\033[J"); // to the start of the block, and clear what follows
          }
          happened.forEach(out::println);
          List<String> block = ProgressView.block(status);
          // Cut to the terminal's width: a wrapped line would leave a copy behind at the next redraw.
          block.forEach(l -> out.println(l.length() > width ? l.substring(0, width - 1) : l));
          drawn = block.size();
          out.flush();
        }
      };
    }

    private static int columns() {
      try {
        return Math.max(40, Integer.parseInt(System.getenv().getOrDefault("COLUMNS", "120")));
      } catch (NumberFormatException e) {
        return 120;
      }
    }
  }
}
