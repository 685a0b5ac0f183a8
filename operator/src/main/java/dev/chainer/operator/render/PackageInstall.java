package dev.chainer.operator.render;

import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.spec.EffectiveSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;

/**
 * Installs the job's Python packages once per pod, in init containers, before the script can start:
 * the framework (chainer, and cupy with GPUs) and the user's pip / conda packages and files. Each step
 * is a plain argv; conda builds an environment at {@link Paths#CONDA_ENV} whose Python then runs the
 * script, pip alone installs into the user base {@link Paths#PIP_USER_BASE}, found through PYTHONUSERBASE.
 */
public final class PackageInstall {
  private static final String VOLUME = "python-packages";

  private final EffectiveSpec spec;
  private final OperatorConfig config;
  private final String workingDirectory;

  public PackageInstall(EffectiveSpec spec, OperatorConfig config, String workingDirectory) {
    this.spec = spec;
    this.config = config;
    this.workingDirectory = workingDirectory;
  }

  /** The interpreter that runs the entry script. */
  public String python() {
    return spec.usesCondaEnvironment() ? Paths.CONDA_ENV + "/bin/python" : config.getPythonCommand();
  }

  public List<Volume> volumes() {
    return spec.installsPackages() ? List.of(DataMounts.emptyDir(VOLUME)) : List.of();
  }

  public List<VolumeMount> mounts() {
    return spec.installsPackages() ? List.of(mount()) : List.of();
  }

  public List<EnvVar> environment() {
    return setsUserBase(spec) ? List.of(new EnvVar(OperatorEnvironment.PYTHON_USER_BASE, Paths.PIP_USER_BASE, null))
        : List.of();
  }

  /** Whether pip installs into the user base (no conda environment), which PYTHONUSERBASE then names. */
  public static boolean setsUserBase(EffectiveSpec spec) {
    return spec.installsPackages() && !spec.usesCondaEnvironment();
  }

  /** The install steps, in order, each mounting the source (for requirement files) and the package volume. */
  public List<Container> initContainers(String image, List<VolumeMount> sourceMounts) {
    List<Container> steps = new ArrayList<>();
    if (!spec.installsPackages()) {
      return steps;
    }
    String conda = config.getCondaCommand();
    if (spec.condaDependenciesFile() != null) {
      steps.add(step("create-conda-env", image, sourceMounts, List.of(conda, "env", "create", "--quiet",
          "--prefix", Paths.CONDA_ENV, "--file", Paths.join(workingDirectory, spec.condaDependenciesFile()))));
    } else if (!spec.condaPackages().isEmpty()) {
      steps.add(step("create-conda-env", image, sourceMounts,
          List.of(conda, "create", "--yes", "--quiet", "--prefix", Paths.CONDA_ENV, "--clone", "base")));
      List<String> install = new ArrayList<>(List.of(conda, "install", "--yes", "--quiet", "--prefix",
          Paths.CONDA_ENV));
      install.addAll(spec.condaPackages());
      steps.add(step("install-conda-packages", image, sourceMounts, install));
    }
    List<String> pip = pipInstall();
    if (!pip.isEmpty()) {
      steps.add(step("install-pip-packages", image, sourceMounts, pip));
    }
    return steps;
  }

  private List<String> pipInstall() {
    List<String> requirements = new ArrayList<>(spec.frameworkPackages());
    requirements.addAll(spec.pipPackages());
    if (spec.pipRequirementsFile() != null) {
      requirements.add("-r");
      requirements.add(Paths.join(workingDirectory, spec.pipRequirementsFile()));
    }
    if (requirements.isEmpty()) {
      return List.of();
    }
    List<String> argv = new ArrayList<>(List.of(python(), "-m", "pip", "install", "--no-cache-dir"));
    if (!spec.usesCondaEnvironment()) {
      argv.add("--user");
    }
    argv.addAll(requirements);
    return argv;
  }

  private Container step(String name, String image, List<VolumeMount> sourceMounts, List<String> argv) {
    List<VolumeMount> mounts = new ArrayList<>(sourceMounts);
    mounts.add(mount());
    return new ContainerBuilder().withName(name).withImage(image)
        .withCommand(KubeletEscape.escapeAll(argv))
        .withEnv(environment())
        .withVolumeMounts(mounts)
        .build();
  }

  private static VolumeMount mount() {
    return DataMounts.mount(VOLUME, Paths.PYTHON, null, false);
  }
}
