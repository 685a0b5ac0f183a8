package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.DataReference;
import dev.chainer.operator.api.DataStore;
import dev.chainer.operator.api.KubernetesSettings;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.spec.SecuritySettings;
import java.util.List;

/**
 * What a job's security profile allows: no root user under "restricted", only the volume types it permits, and no
 * security profile annotation that lifts its confinement ({@link SecurityAnnotations}).
 */
final class SecurityRules {
  private static final String NFS = "is an NFS volume, which the Pod Security Standard restricted does not allow "
      + "(only configMap, csi, downwardAPI, emptyDir, ephemeral, persistentVolumeClaim, projected and secret); "
      + "use a persistentVolumeClaim bound to the NFS share, or securityProfile root";

  private SecurityRules() {}

  static void check(ChainerJobSpec spec, OperatorConfig config, List<Problem> out) {
    KubernetesSettings k = spec.getKubernetes() == null ? new KubernetesSettings() : spec.getKubernetes();
    boolean restricted = SecuritySettings.of(spec, config).restricted();
    SecurityAnnotations.check(k.getLauncher(), "spec.kubernetes.launcher", restricted, out);
    SecurityAnnotations.check(k.getWorker(), "spec.kubernetes.worker", restricted, out);
    if (!restricted) {
      for (String field : new String[] {"runAsUser", "runAsGroup"}) {
        Long value = field.equals("runAsUser") ? k.getRunAsUser() : k.getRunAsGroup();
        if (value != null) {
          out.add(Problem.error("spec.kubernetes." + field, "is used only with securityProfile restricted (under "
              + "root the pods run as the image's user)"));
        }
      }
      return;
    }
    if (Long.valueOf(0).equals(k.getRunAsUser())) {
      out.add(Problem.error("spec.kubernetes.runAsUser", "must not be 0 with securityProfile restricted: its pods "
          + "run as a non-root user"));
    }
    List<DataReference> inputs = spec.getInputs() == null ? List.of() : spec.getInputs();
    for (int i = 0; i < inputs.size(); i++) {
      checkStore(inputs.get(i) == null ? null : inputs.get(i).getDataStore(), "spec.inputs[" + i + "].dataStore", out);
    }
    if (spec.getResumeFrom() != null) {
      checkStore(spec.getResumeFrom().getDataStore(), "spec.resumeFrom.dataStore", out);
    }
    checkStore(spec.getSourceDirectoryDataStore(), "spec.sourceDirectoryDataStore", out);
    if (spec.getOutputs() != null) {
      checkStore(spec.getOutputs().getDataStore(), "spec.outputs.dataStore", out);
    }
  }

  private static void checkStore(DataStore store, String field, List<Problem> out) {
    if (store != null && store.getNfs() != null) {
      out.add(Problem.error(field + ".nfs", NFS));
    }
  }
}
