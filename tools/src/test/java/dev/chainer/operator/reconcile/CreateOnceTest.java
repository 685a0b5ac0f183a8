package dev.chainer.operator.reconcile;

import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.testing.OperatorHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Each of a job's objects is created exactly once, even when the operator's caches do not show what it created: the
 * watches of Secrets, Services, ConfigMaps and StatefulSets are down while the jobs start (as when a watch event is
 * late on a loaded server, or a watch is being re-established) and are resynced many times meanwhile, and every job
 * still gets one POST per object.
 */
class CreateOnceTest {
  private OperatorHarness h;

  @AfterEach
  void stop() {
    h.close();
  }

  @Test
  void eachObjectIsCreatedOnceWhileTheCachesDoNotShowIt() throws Exception {
    // Resyncs every 300 ms: each is a reconcile that finds the objects missing from the caches.
    h = new OperatorHarness(dev.chainer.operator.config.OperatorConfig.defaults(),
        ChainerOperator.Settings.allNamespaces().withResyncPeriod(Duration.ofMillis(300)));
    h.kubelet.launcherRunTime(Duration.ofSeconds(1)).start();
    h.drainRequests();
    List<AutoCloseable> outages = new ArrayList<>();
    for (String resource : List.of("secrets", "services", "configmaps", "statefulsets")) {
      outages.add(h.api.outage(resource));
    }
    List<ChainerJob> jobs = new ArrayList<>();
    for (String name : List.of("a", "b", "c")) {
      ChainerJob job = mpi("");
      job.getMetadata().setName(name);
      jobs.add(h.submit(job));
    }
    long before = h.operator().metrics().reconciliations();
    // (The outage holds up the StatefulSet controller too: no worker pod is made until it ends.)
    OperatorHarness.await(() -> h.operator().metrics().reconciliations() - before, n -> n >= 15,
        "resyncs while the caches are blind");
    for (AutoCloseable outage : outages) {
      outage.close();
    }
    for (ChainerJob job : jobs) {
      h.awaitPhase(job, JobPhase.Completed);
    }
    Map<String, Long> creates = h.drainRequests().stream().filter(r -> r.startsWith("POST /api"))
        .filter(r -> !r.contains("/events") && !r.contains("/pods")) // pods: the StatefulSet controller's too
        .collect(Collectors.groupingBy(r -> r.substring(r.lastIndexOf('/') + 1), TreeMap::new,
            Collectors.counting()));
    assertEquals(3L, creates.get("secrets"), creates.toString());
    assertEquals(3L, creates.get("services"), creates.toString());
    assertEquals(3L, creates.get("configmaps"), creates.toString());
    assertEquals(3L, creates.get("statefulsets"), creates.toString());
  }
}
