package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.render.OutputsClaim;
import dev.chainer.operator.spec.EffectiveOutputs;
import dev.chainer.operator.spec.JobContext;
import dev.chainer.operator.validation.ObjectRules;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.util.Optional;
import java.util.Set;

/**
 * The I/O of a job's outputs claim. Claims are read by name rather than watched: the claim a user names carries no
 * label of ours, and it matters only until the job's pods start, so one GET per reconcile of a waiting job is
 * cheaper than a cache of every claim in the cluster.
 */
final class OutputsClaims {
  /** Phases in which the pods already mount the store: nothing left to judge. */
  private static final Set<JobPhase> PAST_NEEDING = Set.of(JobPhase.Running, JobPhase.Finalizing,
      JobPhase.CancelRequested);

  private OutputsClaims() {}

  /**
   * The job's claim, when the planner may need it: null when it has none or is past needing it; empty when it does
   * not exist.
   */
  static Optional<PersistentVolumeClaim> read(JobContext job, KubernetesClient client) {
    Optional<EffectiveOutputs> outputs = job.job().getSpec() == null || job.job().getSpec().getUnreadable() != null
        ? Optional.empty() : outputsOf(job);
    JobPhase phase = job.job().getStatus() == null ? null : job.job().getStatus().getPhase();
    // A name Kubernetes would refuse is never put into a request path; the validator fails the job for it.
    if (outputs.map(EffectiveOutputs::claim).filter(ObjectRules::isDnsSubdomain).isEmpty() || (phase != null && (phase.isTerminal()
        || PAST_NEEDING.contains(phase)))) {
      return null;
    }
    return Optional.ofNullable(client.persistentVolumeClaims().inNamespace(job.names().namespace())
        .withName(outputs.get().claim()).get());
  }

  private static Optional<EffectiveOutputs> outputsOf(JobContext job) {
    try {
      return job.outputs();
    } catch (RuntimeException e) {
      return Optional.empty(); // a spec the schema refuses: the validator says why
    }
  }

  /** Creates the claim a claimTemplate asks for; one made meanwhile (by an earlier reconcile) is judged next time. */
  static void create(JobContext job, KubernetesClient client) {
    OutputsClaim.render(job.job(), job.names(), job.outputs(), job.effective().nodeCount()).ifPresent(claim -> {
      try {
        client.resource(claim).create();
      } catch (KubernetesClientException e) {
        if (e.getCode() != 409) {
          throw Refused.of("PersistentVolumeClaim " + claim.getMetadata().getName(), e).orElseThrow(() -> e);
        }
      }
    });
  }
}
