package dev.chainer.operator.testing;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.JobPhase;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.List;

/** Every phase a job's status passes through, in order, as a watching user would see them. */
public final class PhaseRecorder implements AutoCloseable {
  private final List<JobPhase> phases = new ArrayList<>();
  private final Watch watch;

  public PhaseRecorder(KubernetesClient client, String namespace, String name) {
    watch = client.resources(ChainerJob.class).inNamespace(namespace).withName(name).watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, ChainerJob job) {
        if (job.getStatus() != null && job.getStatus().getPhase() != null) {
          synchronized (phases) {
            if (phases.isEmpty() || phases.get(phases.size() - 1) != job.getStatus().getPhase()) {
              phases.add(job.getStatus().getPhase());
            }
          }
        }
      }

      @Override
      public void onClose(WatcherException cause) {
      }
    });
  }

  public List<JobPhase> phases() {
    synchronized (phases) {
      return List.copyOf(phases);
    }
  }

  /**
   * The phases once the watch has delivered {@code last}: a GET can see a phase before the watch event for it
   * arrives, so a test that awaited a phase by polling waits here for the watch to catch up.
   */
  public List<JobPhase> phasesUntil(JobPhase last) {
    return OperatorHarness.await(this::phases, p -> !p.isEmpty() && p.get(p.size() - 1) == last,
        "the watch to deliver phase " + last);
  }

  @Override
  public void close() {
    watch.close();
  }
}
