package dev.chainer.operator.render;

import dev.chainer.operator.spec.EffectiveOutputs;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The job's outputs in a training pod: the store's directory for the job, mounted read-write at pathOnCompute and
 * again as the working directory's {@code outputs} (so ./outputs and --out outputs keep their files with no change
 * to the script), and the variables that name it. Every pod that runs training code or the launcher mounts it.
 */
public final class OutputsVolume {
  public static final String VOLUME = "outputs";
  /** The name under which scripts find the outputs among the data references, as on Azure ML. */
  public static final String DATA_REFERENCE = "outputs";
  public static final String OUTPUT_DIR = "CHAINER_OUTPUT_DIR";
  public static final String CHECKPOINT_DIR = "CHAINER_CHECKPOINT_DIR";
  public static final String RUN_ID = "CHAINER_RUN_ID";
  public static final String RESUME_FROM = "CHAINER_RESUME_FROM";

  private OutputsVolume() {}

  public static Optional<Volume> volume(Optional<EffectiveOutputs> outputs) {
    return outputs.map(o -> {
      VolumeBuilder v = new VolumeBuilder().withName(VOLUME);
      if (o.claim() != null) {
        v.withNewPersistentVolumeClaim(o.claim(), null);
      } else {
        v.withNewNfs(o.nfs().getPath(), null, o.nfs().getServer());
      }
      return v.build();
    });
  }

  /**
   * Two mounts of the job's directory: at pathOnCompute and at {@code <workingDirectory>/outputs}; one when they
   * are the same place. The kubelet creates the directory on the store (subPath) if it is not there yet.
   */
  public static List<VolumeMount> mounts(Optional<EffectiveOutputs> outputs, String workingDirectory) {
    if (outputs.isEmpty()) {
      return List.of();
    }
    EffectiveOutputs o = outputs.get();
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(DataMounts.mount(VOLUME, o.pathOnCompute(), o.subPath(), false));
    if (workingDirectory != null) {
      String entry = Paths.join(workingDirectory, EffectiveOutputs.WORKING_DIRECTORY_ENTRY);
      if (!entry.equals(o.pathOnCompute())) {
        mounts.add(DataMounts.mount(VOLUME, entry, o.subPath(), false));
      }
    }
    return mounts;
  }

  /** Where the outputs and snapshots are, and a run id stable across attempts (for ChainerMN's checkpointer). */
  public static List<EnvVar> environment(Optional<EffectiveOutputs> outputs, String jobName) {
    if (outputs.isEmpty()) {
      return List.of();
    }
    EffectiveOutputs o = outputs.get();
    return List.of(
        new EnvVar(OUTPUT_DIR, KubeletEscape.escape(o.pathOnCompute()), null),
        new EnvVar(DataMounts.ENV_PREFIX + DATA_REFERENCE, KubeletEscape.escape(o.pathOnCompute()), null),
        new EnvVar(CHECKPOINT_DIR, KubeletEscape.escape(o.checkpointPath()), null),
        new EnvVar(RUN_ID, KubeletEscape.escape(jobName), null));
  }

  /** The outputs among the data references, so that $AZUREML_DATAREFERENCE_outputs in scriptParams is its path. */
  public static Map<String, String> dataPath(Optional<EffectiveOutputs> outputs) {
    return outputs.map(o -> Map.of(DATA_REFERENCE, o.pathOnCompute())).orElse(Map.of());
  }
}
