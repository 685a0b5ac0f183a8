package dev.chainer.operator.bench;

import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.readiness.Readiness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The benchmark's watches on its jobs' objects: when each job's workers and launcher were created and when each
 * worker turned Ready, as a watching client sees it.
 */
record Observers(Benchmark.Names names, FirstSeen workers, FirstSeen readyWorkers, FirstSeen launchers)
    implements AutoCloseable {
  static Observers open(KubernetesClient client, Benchmark.Names names) {
    var pods = client.pods().inNamespace(names.namespace());
    return new Observers(names,
        FirstSeen.on(client.apps().statefulSets().inNamespace(names.namespace())
            .withLabel(JobLabels.MANAGED_BY, JobLabels.OPERATOR), s -> s.getMetadata().getName().startsWith(names.prefix())),
        FirstSeen.on(pods.withLabel(JobLabels.ROLE, JobLabels.ROLE_WORKER), Readiness::isPodReady),
        FirstSeen.on(pods.withLabel(JobLabels.ROLE, JobLabels.ROLE_LAUNCHER), p -> true));
  }

  /** From the last of a job's workers turning Ready to its launcher's creation, per job. */
  List<Long> launcherLatencies(int jobs, int workersPerJob) {
    List<Long> out = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      Instant lastReady = null;
      for (int w = 0; w < workersPerJob; w++) {
        Instant t = readyWorkers.seen().get(names.job(i) + "-worker-" + w);
        lastReady = t == null ? lastReady : lastReady == null || t.isAfter(lastReady) ? t : lastReady;
      }
      Instant created = launchers.seen().get(names.job(i) + "-launcher");
      if (lastReady != null && created != null) {
        out.add(Math.max(0, Duration.between(lastReady, created).toMillis()));
      }
    }
    return out;
  }

  @Override
  public void close() {
    workers.close();
    readyWorkers.close();
    launchers.close();
  }
}
