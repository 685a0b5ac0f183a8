package dev.chainer.operator.validation;

import static dev.chainer.operator.validation.Rules.isSet;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.DockerSection;
import dev.chainer.operator.api.ShmSize;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.spec.EffectiveSpec;
import dev.chainer.operator.spec.JobContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The Azure ML Chainer estimator's own checks, in the order the SDK made them, and its deprecations. */
final class EstimatorRules {
  private static final String SHM_RULE = "' is not a size: Docker's form (2g, 512mb, 1.5G, 1t, or bytes; binary "
      + "units, any case) or a Kubernetes quantity (2Gi, 512Mi)";
  private EstimatorRules() {}

  static void check(JobContext job, List<Problem> out) {
    ChainerJobSpec spec = job.spec();
    OperatorConfig config = job.config();
    EffectiveSpec effective = job.effective();
    if (Boolean.FALSE.equals(spec.getUseDocker())) {
      out.add(Problem.error("spec.useDocker", "must be true: Kubernetes always runs containers"));
    }
    checkEnvironmentDefinition(spec, out);
    checkCondaFile(effective, out);
    checkCounts(spec, out);
    checkBackend(spec, out);
    checkUserManaged(effective, out);
    checkDistribution(spec, out);
    checkImages(spec, effective, out);
    checkFrameworkVersion(spec, config, out);
    checkDependencyFiles(spec, effective, out);
    checkShmSize(spec, out);
    if (spec.getMaxRunDurationSeconds() != null && spec.getMaxRunDurationSeconds() < 1) {
      out.add(Problem.error("spec.maxRunDurationSeconds", "must be at least 1 second"));
    }
  }

  private static void checkEnvironmentDefinition(ChainerJobSpec spec, List<Problem> out) {
    if (spec.getEnvironmentDefinition() == null) {
      return;
    }
    List<String> clashing = new ArrayList<>();
    addIfTrue(clashing, "pipPackages", spec.getPipPackages());
    addIfSet(clashing, "pipRequirementsFile", spec.getPipRequirementsFile());
    addIfSet(clashing, "pipRequirementsFilePath", spec.getPipRequirementsFilePath());
    addIfTrue(clashing, "condaPackages", spec.getCondaPackages());
    addIfSet(clashing, "condaDependenciesFile", spec.getCondaDependenciesFile());
    addIfSet(clashing, "condaDependenciesFilePath", spec.getCondaDependenciesFilePath());
    addIfSet(clashing, "customDockerImage", spec.getCustomDockerImage());
    addIfSet(clashing, "customDockerBaseImage", spec.getCustomDockerBaseImage());
    addIfSet(clashing, "imageRegistryDetails", spec.getImageRegistryDetails());
    addIfTrue(clashing, "useGpu", spec.getUseGpu());
    addIfTrue(clashing, "userManaged", spec.getUserManaged());
    addIfSet(clashing, "shmSize", spec.getShmSize());
    addIfTrue(clashing, "environmentVariables", spec.getEnvironmentVariables());
    if (!clashing.isEmpty()) {
      out.add(Problem.error("spec.environmentDefinition", "cannot be combined with " + String.join(", ", clashing)
          + ": set them inside environmentDefinition instead"));
    }
  }

  private static void addIfNotEmpty(List<String> names, String name, List<?> value) {
    if (!value.isEmpty()) {
      names.add(name);
    }
  }

  private static void addIfSet(List<String> names, String name, Object value) {
    if (isSet(value)) {
      names.add(name);
    }
  }

  /** As the estimator's truthiness checks: an empty list or map and false say nothing. */
  private static void addIfTrue(List<String> names, String name, Object value) {
    boolean empty = value instanceof java.util.Collection<?> c ? c.isEmpty() : value instanceof Map<?, ?> m
        ? m.isEmpty() : Boolean.FALSE.equals(value);
    if (isSet(value) && !empty) {
      names.add(name);
    }
  }

  private static void checkCondaFile(EffectiveSpec python, List<Problem> out) {
    if (python.condaDependenciesFile() == null) {
      return;
    }
    List<String> clashing = new ArrayList<>();
    addIfNotEmpty(clashing, "pipPackages", python.pipPackages());
    addIfSet(clashing, "pipRequirementsFile", python.pipRequirementsFile());
    addIfNotEmpty(clashing, "condaPackages", python.condaPackages());
    if (!clashing.isEmpty()) {
      out.add(Problem.error(python.pythonFieldPrefix() + "condaDependenciesFile", "cannot be combined with "
          + String.join(", ", clashing) + ": list those packages in the conda file"));
    }
  }

  private static void checkCounts(ChainerJobSpec spec, List<Problem> out) {
    if (spec.getNodeCount() != null && spec.getNodeCount() < 1) {
      out.add(Problem.error("spec.nodeCount", "must be at least 1, got " + spec.getNodeCount()));
    }
    if (spec.getProcessCountPerNode() != null && spec.getProcessCountPerNode() < 1) {
      out.add(Problem.error("spec.processCountPerNode", "must be at least 1, got " + spec.getProcessCountPerNode()));
    }
    Integer mpiCount = mpiProcessCount(spec);
    if (mpiCount != null && mpiCount < 1) {
      out.add(Problem.error("spec.distributedTraining.mpi.processCountPerNode", "must be at least 1, got "
          + mpiCount));
    }
  }

  private static void checkBackend(ChainerJobSpec spec, List<Problem> out) {
    String backend = spec.getDistributedBackend();
    if (backend == null) {
      return;
    }
    if (!backend.equalsIgnoreCase("mpi")) {
      out.add(Problem.error("spec.distributedBackend", "'" + backend + "' is not supported by Chainer: the only "
          + "backend is 'mpi' (better: use distributedTraining.mpi)"));
    } else {
      out.add(Problem.warning("spec.distributedBackend", "is deprecated: use distributedTraining.mpi"));
    }
  }

  private static void checkUserManaged(EffectiveSpec python, List<Problem> out) {
    if (!python.userManaged()) {
      return;
    }
    List<String> clashing = new ArrayList<>();
    addIfNotEmpty(clashing, "pipPackages", python.pipPackages());
    addIfNotEmpty(clashing, "condaPackages", python.condaPackages());
    addIfSet(clashing, "pipRequirementsFile", python.pipRequirementsFile());
    addIfSet(clashing, "condaDependenciesFile", python.condaDependenciesFile());
    if (!clashing.isEmpty()) {
      out.add(Problem.error(python.pythonFieldPrefix() + "userManaged", "true installs nothing, so it cannot be combined "
          + "with " + String.join(", ", clashing)));
    }
  }

  private static void checkDistribution(ChainerJobSpec spec, List<Problem> out) {
    Integer top = spec.getProcessCountPerNode();
    Integer mpi = mpiProcessCount(spec);
    if (top != null && mpi != null && !top.equals(mpi)) {
      out.add(Problem.error("spec.processCountPerNode", "is " + top + " but distributedTraining.mpi."
          + "processCountPerNode is " + mpi + ": set one of them"));
    }
    if (spec.getDistributedTraining() != null && spec.getDistributedTraining().getMpi() == null) {
      out.add(Problem.error("spec.distributedTraining.mpi", "is required: MPI is the only backend for Chainer"));
    }
    boolean hasBackend = spec.getDistributedBackend() != null || spec.getDistributedTraining() != null;
    int nodes = spec.getNodeCount() == null ? 1 : spec.getNodeCount();
    int processes = top != null ? top : mpi != null ? mpi : 1;
    if (!hasBackend && (nodes > 1 || processes > 1)) {
      out.add(Problem.error("spec.distributedTraining", "is required when nodeCount > 1 or processCountPerNode > 1 "
          + "(got nodeCount " + nodes + ", processCountPerNode " + processes + "): set distributedTraining.mpi"));
    }
  }

  private static Integer mpiProcessCount(ChainerJobSpec spec) {
    return spec.getDistributedTraining() == null || spec.getDistributedTraining().getMpi() == null ? null
        : spec.getDistributedTraining().getMpi().getProcessCountPerNode();
  }

  private static void checkImages(ChainerJobSpec spec, EffectiveSpec effective, List<Problem> out) {
    if (spec.getCustomDockerBaseImage() != null) {
      if (spec.getCustomDockerImage() != null) {
        out.add(Problem.error("spec.customDockerBaseImage", "and customDockerImage are both set: use "
            + "customDockerImage only"));
      } else {
        out.add(Problem.warning("spec.customDockerBaseImage", "is deprecated: use customDockerImage"));
      }
    }
    if (effective.image() == null || effective.image().isBlank()) {
      out.add(Problem.error("spec.customDockerImage", "is required: the operator has no default "
          + (effective.gpu() ? "GPU" : "CPU") + " image for Chainer " + effective.frameworkVersion()));
    }
  }

  private static void checkFrameworkVersion(ChainerJobSpec spec, OperatorConfig config, List<Problem> out) {
    Map<String, ?> supported = config.getFrameworkVersions();
    String version = spec.getFrameworkVersion();
    if (version == null) {
      out.add(Problem.warning("spec.frameworkVersion", "is not set: using Chainer "
          + config.getDefaultFrameworkVersion()));
    } else if (!supported.containsKey(version)) {
      out.add(Problem.error("spec.frameworkVersion", "'" + version + "' is not supported; supported versions: "
          + String.join(", ", supported.keySet())));
    }
  }

  private static void checkDependencyFiles(ChainerJobSpec spec, EffectiveSpec python, List<Problem> out) {
    aliasRule(spec.getPipRequirementsFile(), spec.getPipRequirementsFilePath(), "pipRequirementsFile", out);
    aliasRule(spec.getCondaDependenciesFile(), spec.getCondaDependenciesFilePath(), "condaDependenciesFile", out);
    for (String[] file : new String[][] {{"pipRequirementsFile", python.pipRequirementsFile()},
        {"condaDependenciesFile", python.condaDependenciesFile()}}) {
      if (file[1] != null && !Rules.isContainedRelativePath(file[1])) {
        out.add(Problem.error(python.pythonFieldPrefix() + file[0], "must be a relative path inside sourceDirectory "
            + "(no leading '/' or '-', no '..'), got '" + file[1] + "'"));
      }
    }
  }

  private static void aliasRule(String file, String alias, String name, List<Problem> out) {
    if (alias == null) {
      return;
    }
    if (file != null) {
      out.add(Problem.error("spec." + name + "Path", "and " + name + " are both set: use " + name + " only"));
    } else {
      out.add(Problem.warning("spec." + name + "Path", "is deprecated: use " + name));
    }
  }

  private static void checkShmSize(ChainerJobSpec spec, List<Problem> out) {
    DockerSection docker = spec.getEnvironmentDefinition() == null ? null
        : spec.getEnvironmentDefinition().getDocker();
    if (spec.getShmSize() != null && !ShmSize.isValid(spec.getShmSize())) {
      out.add(Problem.error("spec.shmSize", "'" + spec.getShmSize() + SHM_RULE));
    }
    if (docker != null && docker.getShmSize() != null && !ShmSize.isValid(docker.getShmSize())) {
      out.add(Problem.error("spec.environmentDefinition.docker.shmSize", "'" + docker.getShmSize() + SHM_RULE));
    }
  }

}
