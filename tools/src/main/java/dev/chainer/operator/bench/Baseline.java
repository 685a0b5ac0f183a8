package dev.chainer.operator.bench;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.render.SshKeyPair;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What a bare client takes to do the operator's part of the benchmark without an operator: for each of the N
 * jobs, submit the ChainerJob and create the objects the operator creates before a launcher (Service,
 * ConfigMap, Secret, StatefulSet), one request after another. The StatefulSets are real ones, so the cluster
 * (or the simulated kubelet) starts their pods meanwhile, as it did for the operator's.
 *
 * @param time from the first request to the last answer
 * @param served requests the in-process API server answered meanwhile, from every client (-1 on a cluster)
 * @param requests the bare client's own requests (one creation per object)
 */
record Baseline(Duration time, long served, long requests) {
  static Baseline measure(BenchCluster cluster, ChainerJob template, Benchmark.Options o, Benchmark.Names names)
      throws java.io.IOException {
    OperatorConfig config = o.config();
    List<HasMetadata> objects = new ArrayList<>();
    for (int i = 0; i < o.jobs; i++) {
      ChainerJob job = Benchmark.job(template, names.namespace(), names.baseline(i), names.run());
      objects.add(job);
      // Rendered from a copy with a uid (the objects' owner references need one); the job is submitted without.
      ChainerJob rendered = Serialization.clone(job);
      rendered.getMetadata().setUid("baseline-" + i);
      DesiredObjects d = JobRenderer.render(rendered, config,
          SshKeyPair.generate(job.getMetadata().getName()), null, 0);
      for (HasMetadata object : d.all()) {
        if (!(object instanceof Pod)) {
          object.getMetadata().getLabels().put(Benchmark.RUN_LABEL, names.run());
          // Owned by nothing: the uid above is not a real job's, and the clean-up finds them by label.
          object.getMetadata().setOwnerReferences(null);
          objects.add(object);
        }
      }
    }
    long servedBefore = cluster.requestsServed();
    Instant t0 = Instant.now();
    for (HasMetadata object : objects) {
      cluster.client().resource(object).create();
    }
    Duration time = Duration.between(t0, Instant.now());
    return new Baseline(time, servedBefore < 0 ? -1 : cluster.requestsServed() - servedBefore, objects.size());
  }
}
