package dev.chainer.operator.render;

import dev.chainer.operator.spec.EffectiveOutputs;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.PodSettings;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.spec.EffectiveSpec;
import dev.chainer.operator.spec.JobContext;
import dev.chainer.operator.spec.JobNames;
import dev.chainer.operator.spec.SecuritySettings;

/** Everything derived once from a job and the configuration that the object renderers share. */
public record RenderContext(
    ChainerJob job,
    EffectiveSpec effective,
    OperatorConfig config,
    JobNames names,
    DataMounts data,
    PackageInstall packages,
    SecuritySettings security,
    Optional<EffectiveOutputs> outputs,
    int attempt) {

  public static RenderContext of(JobContext job) {
    ChainerJobSpec spec = job.job().getSpec();
    OperatorConfig config = job.config();
    EffectiveSpec effective = job.effective();
    DataMounts data = DataMounts.of(spec, effective.image(), config);
    PackageInstall packages = new PackageInstall(effective, config, data.workingDirectory());
    return new RenderContext(job.job(), effective, config, job.names(), data, packages,
        SecuritySettings.of(spec, config), job.outputs(), job.attempt());
  }

  /** Every data reference's path by name, the outputs among them, for $AZUREML_DATAREFERENCE_<name> values. */
  public Map<String, String> dataPaths() {
    Map<String, String> paths = new LinkedHashMap<>(OutputsVolume.dataPath(outputs));
    paths.putAll(data.dataPaths());
    return paths;
  }

  public ChainerJobSpec spec() {
    return job.getSpec();
  }

  public String jobName() {
    return job.getMetadata().getName();
  }

  public PodSettings launcherSettings() {
    return spec().getKubernetes() == null || spec().getKubernetes().getLauncher() == null ? new PodSettings()
        : spec().getKubernetes().getLauncher();
  }

  public PodSettings workerSettings() {
    return spec().getKubernetes() == null || spec().getKubernetes().getWorker() == null ? new PodSettings()
        : spec().getKubernetes().getWorker();
  }
}
