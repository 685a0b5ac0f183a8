package dev.chainer.operator.spec;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.DockerSection;
import dev.chainer.operator.api.EnvironmentDefinition;
import dev.chainer.operator.api.ImageRegistryDetails;
import dev.chainer.operator.api.MpiConfiguration;
import dev.chainer.operator.api.MpiImplementation;
import dev.chainer.operator.api.PythonSection;
import dev.chainer.operator.api.ShmSize;
import dev.chainer.operator.config.FrameworkImages;
import dev.chainer.operator.config.OperatorConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A spec as the operator runs it: defaults filled in, deprecated aliases folded into their successors,
 * and environmentDefinition (which takes precedence) merged with the separate environment fields. Pure:
 * the spec is never modified.
 */
public record EffectiveSpec(
    int nodeCount,
    int processCountPerNode,
    boolean mpi,
    MpiImplementation mpiImplementation,
    String frameworkVersion,
    boolean gpu,
    String image,
    ImageRegistryDetails imageRegistryDetails,
    boolean userManaged,
    List<String> condaPackages,
    List<String> pipPackages,
    String condaDependenciesFile,
    String pipRequirementsFile,
    List<String> frameworkPackages,
    SortedMap<String, String> environmentVariables,
    String shmSize,
    String pythonFieldPrefix,
    EffectiveRunPolicy runPolicy) {

  public static EffectiveSpec of(ChainerJobSpec spec, OperatorConfig config) {
    EnvironmentDefinition def = spec.getEnvironmentDefinition();
    DockerSection docker = def == null ? null : def.getDocker() == null ? new DockerSection() : def.getDocker();
    PythonSection python = def == null ? topLevelPython(spec) : def.getPython() == null ? new PythonSection()
        : def.getPython();
    boolean gpu = docker == null ? Boolean.TRUE.equals(spec.getUseGpu()) : Boolean.TRUE.equals(docker.getGpuSupport());
    String version = spec.getFrameworkVersion() == null ? config.getDefaultFrameworkVersion()
        : spec.getFrameworkVersion();
    FrameworkImages framework = config.getFrameworkVersions().get(version);
    boolean userManaged = Boolean.TRUE.equals(python.getUserManaged());
    return new EffectiveSpec(
        spec.getNodeCount() == null ? 1 : spec.getNodeCount(),
        processCountPerNode(spec),
        spec.getDistributedBackend() != null || spec.getDistributedTraining() != null,
        implementation(spec),
        version,
        gpu,
        image(spec, docker, framework, gpu),
        docker == null ? spec.getImageRegistryDetails() : docker.getImageRegistryDetails(),
        userManaged,
        orEmpty(python.getCondaPackages()),
        orEmpty(python.getPipPackages()),
        python.getCondaDependenciesFile(),
        python.getPipRequirementsFile(),
        // A conda file is the whole environment, as the estimator took it: nothing is added to it.
        userManaged || python.getCondaDependenciesFile() != null ? List.of() : frameworkPackages(framework, gpu),
        new TreeMap<>(orEmpty(def == null ? spec.getEnvironmentVariables() : def.getEnvironmentVariables())),
        shmSize(spec, docker, config),
        def == null ? "spec." : "spec.environmentDefinition.python.",
        EffectiveRunPolicy.of(spec.getRunPolicy()));
  }

  /** Whether anything must be installed before the script runs. */
  public boolean installsPackages() {
    return !userManaged && (condaDependenciesFile != null || pipRequirementsFile != null
        || !condaPackages.isEmpty() || !pipPackages.isEmpty() || !frameworkPackages.isEmpty());
  }

  /** Whether a conda environment is built for the job (the script then runs that environment's Python). */
  public boolean usesCondaEnvironment() {
    return !userManaged && (condaDependenciesFile != null || !condaPackages.isEmpty());
  }

  public int totalProcesses() {
    return nodeCount * processCountPerNode;
  }

  private static PythonSection topLevelPython(ChainerJobSpec spec) {
    PythonSection p = new PythonSection();
    p.setUserManaged(spec.getUserManaged());
    p.setPipPackages(spec.getPipPackages());
    p.setCondaPackages(spec.getCondaPackages());
    p.setPipRequirementsFile(spec.getPipRequirementsFile() != null ? spec.getPipRequirementsFile()
        : spec.getPipRequirementsFilePath());
    p.setCondaDependenciesFile(spec.getCondaDependenciesFile() != null ? spec.getCondaDependenciesFile()
        : spec.getCondaDependenciesFilePath());
    return p;
  }

  private static int processCountPerNode(ChainerJobSpec spec) {
    if (spec.getProcessCountPerNode() != null) {
      return spec.getProcessCountPerNode();
    }
    MpiConfiguration mpi = spec.getDistributedTraining() == null ? null : spec.getDistributedTraining().getMpi();
    return mpi == null || mpi.getProcessCountPerNode() == null ? 1 : mpi.getProcessCountPerNode();
  }

  private static MpiImplementation implementation(ChainerJobSpec spec) {
    MpiConfiguration mpi = spec.getDistributedTraining() == null ? null : spec.getDistributedTraining().getMpi();
    return mpi == null || mpi.getImplementation() == null ? MpiImplementation.OpenMPI : mpi.getImplementation();
  }

  private static String image(ChainerJobSpec spec, DockerSection docker, FrameworkImages framework, boolean gpu) {
    if (docker != null && docker.getImage() != null) {
      return docker.getImage();
    }
    if (spec.getCustomDockerImage() != null) {
      return spec.getCustomDockerImage();
    }
    if (spec.getCustomDockerBaseImage() != null) {
      return spec.getCustomDockerBaseImage();
    }
    return framework == null ? null : framework.image(gpu);
  }

  private static List<String> frameworkPackages(FrameworkImages framework, boolean gpu) {
    List<String> packages = new ArrayList<>();
    if (framework != null) {
      packages.addAll(orEmpty(framework.getPackages()));
      if (gpu) {
        packages.addAll(orEmpty(framework.getGpuPackages()));
      }
    }
    return packages;
  }

  private static String shmSize(ChainerJobSpec spec, DockerSection docker, OperatorConfig config) {
    String size = docker == null ? spec.getShmSize() : docker.getShmSize();
    return ShmSize.toQuantity(size == null ? config.getDefaultShmSize() : size);
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static Map<String, String> orEmpty(Map<String, String> map) {
    return map == null ? Map.of() : map;
  }
}
