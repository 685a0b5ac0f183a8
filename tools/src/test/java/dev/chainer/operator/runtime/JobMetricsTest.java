package dev.chainer.operator.runtime;

import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.testing.OperatorHarness;
import dev.chainer.operator.testing.TestJobs;
import dev.chainer.operator.testing.WithOperator;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The jobs' metrics on /metrics, read back after jobs that complete, fail after a restart, and are canceled. */
class JobMetricsTest extends WithOperator {
  private static final String SPEC = "sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\n"
      + "nodeCount: 2\ndistributedTraining:\n  mpi:\n    processCountPerNode: 2\n";

  @Test
  void countsDurationsAndPhasesMatchTheJobsThatRan() {
    // Launchers run until told otherwise, so that nothing ends before the test has done what it does to it.
    h.kubelet.launcherRunTime(Duration.ofMinutes(10)).start();
    ChainerJob ok = h.submit(mpi(""));
    ChainerJob bad = h.submit(TestJobs.job("bad", SPEC + "runPolicy:\n  backoffLimit: 1\n"));
    ChainerJob stop = h.submit(TestJobs.job("stop", SPEC));
    h.awaitPhase(bad, JobPhase.Running);
    h.kubelet.oomKill("team-a", "bad-worker-0");
    h.await(() -> h.status(bad), s -> Integer.valueOf(1).equals(s.getRestartCount()), "a restart");
    h.awaitPhase(bad, JobPhase.Running);
    h.kubelet.oomKill("team-a", "bad-worker-1");
    h.awaitPhase(stop, JobPhase.Running);
    h.editPolicy(stop, p -> p.setCancel(true));
    h.awaitPhase(ok, JobPhase.Running);
    h.kubelet.launcherRunTime(Duration.ofMillis(300));
    h.awaitPhase(ok, JobPhase.Completed);
    h.awaitPhase(bad, JobPhase.Failed);
    h.awaitPhase(stop, JobPhase.Canceled);

    String metrics = h.operator().metrics().prometheus();
    assertEquals(3, value(metrics, "chainer_jobs_created_total{namespace=\"team-a\"}"), metrics);
    assertEquals(1, value(metrics, "chainer_jobs_succeeded_total{namespace=\"team-a\"}"));
    // The killed worker is OOMKilled, or WorkerReplaced when its StatefulSet replaced it before the operator
    // looked: either way the metric's reason is the one the job's status gives.
    String reason = h.status(bad).getReason();
    assertTrue(reason.equals("OOMKilled") || reason.equals("WorkerReplaced"), reason);
    assertEquals(1, value(metrics, "chainer_jobs_failed_total{namespace=\"team-a\",reason=\"" + reason + "\"}"),
        metrics);
    assertEquals(1, value(metrics, "chainer_jobs_restarted_total{namespace=\"team-a\"}"));
    assertEquals(1, value(metrics, "chainer_jobs_canceled_total{namespace=\"team-a\"}"));
    assertEquals(3, value(metrics, "chainer_job_queued_seconds_count{namespace=\"team-a\"}"), "first attempts");
    assertEquals(4, value(metrics, "chainer_job_startup_seconds_count{namespace=\"team-a\"}"), "every launch");
    assertEquals(4, value(metrics, "chainer_job_run_seconds_count{namespace=\"team-a\"}"), "every launch ended");
    assertTrue(value(metrics, "chainer_job_run_seconds_bucket{namespace=\"team-a\",le=\"+Inf\"}") == 4);
    assertEquals(1, value(metrics, "chainer_jobs{namespace=\"team-a\",phase=\"Completed\"}"));
    assertEquals(1, value(metrics, "chainer_jobs{namespace=\"team-a\",phase=\"Failed\"}"));

    h.client.resource(h.get(ok)).delete();
    OperatorHarness.await(() -> h.operator().metrics().prometheus(),
        m -> !m.contains("phase=\"Completed\""), "a deleted job in no phase");
  }

  private static long value(String metrics, String series) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(metrics);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
  }
}
