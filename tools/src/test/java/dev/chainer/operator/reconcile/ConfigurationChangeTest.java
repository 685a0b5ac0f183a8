package dev.chainer.operator.reconcile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.testing.OperatorHarness;
import dev.chainer.operator.testing.TestJobs;
import dev.chainer.operator.testing.WithOperator;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The operator restarted with a configuration that no longer allows its jobs' framework version. */
class ConfigurationChangeTest extends WithOperator {
  private static final String SPEC = "sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\n";

  @Test
  void aCompletedJobIsUnchangedAndAWaitingOneWaitsStalledUntilTheConfigurationComesBack() {
    h.kubelet.launcherRunTime(Duration.ofMillis(300)).start();
    ChainerJob done = h.submit(TestJobs.job("done", SPEC));
    ChainerJobStatus completed = h.awaitPhase(done, JobPhase.Completed);
    h.kubelet.scheduling(false);
    ChainerJob waiting = h.submit(TestJobs.job("waiting", SPEC));
    h.await(() -> h.status(waiting), s -> s.getPhase() == JobPhase.Queued, "waiting for a node");

    OperatorConfig without700 = OperatorConfig.defaults();
    without700.setFrameworkVersions(Map.of("5.1.0", without700.getFrameworkVersions().get("5.1.0")));
    h.restartWith(without700);
    ChainerJobStatus stalled = h.await(() -> h.status(waiting),
        s -> "RefusedByConfiguration".equals(s.getReason()), "the waiting job stalled");
    assertEquals(JobPhase.Queued, stalled.getPhase());
    assertTrue(stalled.getMessage().contains("spec.frameworkVersion"), stalled.getMessage());
    h.awaitQuiet();
    assertEquals(completed, h.status(done), "the completed job is exactly as it was");

    h.restartWith(OperatorConfig.defaults());
    h.kubelet.scheduling(true);
    h.awaitPhase(waiting, JobPhase.Completed);
    assertEquals(completed, h.status(done));
  }
}
