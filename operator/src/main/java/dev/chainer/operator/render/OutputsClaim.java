package dev.chainer.operator.render;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.spec.EffectiveOutputs;
import dev.chainer.operator.spec.JobLabels;
import dev.chainer.operator.spec.JobNames;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The claim the operator creates for a job's outputs (spec.outputs.claimTemplate), labelled with the job. With
 * retentionPolicy Delete the job owns it and the garbage collector removes it with the job; with Retain (the
 * default) nothing owns it, so it outlives the job, and a job re-created under the same name finds it again and
 * resumes from its snapshots.
 */
public final class OutputsClaim {
  public static final String ROLE = "outputs";

  private OutputsClaim() {}

  public static Optional<PersistentVolumeClaim> render(ChainerJob job, JobNames names,
      Optional<EffectiveOutputs> outputs, int nodeCount) {
    return outputs.filter(EffectiveOutputs::createsClaim).map(o -> new PersistentVolumeClaimBuilder()
        .withMetadata(new ObjectMetaBuilder()
            .withName(names.outputsClaim())
            .withNamespace(names.namespace())
            .withLabels(JobLabels.labels(names.job(), ROLE))
            .withAnnotations(Map.of(JobLabels.JOB_UID, job.getMetadata().getUid() == null ? ""
                : job.getMetadata().getUid()))
            .withOwnerReferences(o.deleteWithJob() ? List.of(JobLabels.ownerReference(job)) : List.of())
            .build())
        .withNewSpec()
        .withAccessModes(o.accessModes(nodeCount))
        .withStorageClassName(o.template().getStorageClassName())
        .withNewResources().addToRequests("storage", new Quantity(o.size())).endResources()
        .endSpec()
        .build());
  }
}
