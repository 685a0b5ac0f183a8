package dev.chainer.operator.render;

import dev.chainer.operator.spec.EffectiveSpec;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The environment variables the operator sets in a job's containers, in one place: the renderers take their names
 * from here, and the validator refuses a user's variable of the same name (a user's value would silently win in some
 * containers and lose in others). Two of Open MPI's tuning knobs the operator sets for restricted jobs are the
 * user's to choose instead ({@link #USER_WINS}): a user's value replaces the operator's.
 */
public final class OperatorEnvironment {
  public static final String RUN_ID = "AZUREML_RUN_ID";
  public static final String WAIT_ATTEMPTS = "CHAINER_WAIT_ATTEMPTS";
  public static final String PYTHON_USER_BASE = "PYTHONUSERBASE";
  /** Set empty on an MPI launcher (it runs mpirun only); elsewhere the GPU device plugin sets them. */
  public static final String NVIDIA_VISIBLE_DEVICES = "NVIDIA_VISIBLE_DEVICES";
  public static final String NVIDIA_DRIVER_CAPABILITIES = "NVIDIA_DRIVER_CAPABILITIES";

  /** Set in every job (the outputs' and resume step's variables whether or not the job has outputs). */
  public static final List<String> ALWAYS = List.of(RUN_ID, WAIT_ATTEMPTS, OutputsVolume.OUTPUT_DIR,
      OutputsVolume.CHECKPOINT_DIR, OutputsVolume.RUN_ID, OutputsVolume.RESUME_FROM, ResumeStep.PATTERN,
      ResumeStep.ARGUMENT, ResumeStep.FALLBACK_ARGS);
  /** The operator's own empty values on an MPI launcher, and the device plugin's on a GPU container. */
  public static final List<String> GPU_RUNTIME = List.of(NVIDIA_VISIBLE_DEVICES, NVIDIA_DRIVER_CAPABILITIES);
  /**
   * Variables that would replace how mpirun reaches the workers though the operator does not set them: the launch
   * agent (ssh) and the host list, for each implementation. Together with {@link MpiCommand#wiringNames()} and the
   * whole plm (process launch) framework of Open MPI and PRRTE.
   */
  public static final List<String> MPI_LAUNCH = List.of("OMPI_MCA_orte_rsh_agent", "PRTE_MCA_prte_default_hostfile",
      "I_MPI_HYDRA_BOOTSTRAP_EXEC", "I_MPI_HYDRA_HOSTS_GROUP", "HYDRA_LAUNCHER_EXEC", "HYDRA_BOOTSTRAP",
      "HYDRA_BOOTSTRAP_EXEC");
  public static final List<String> MPI_LAUNCH_PREFIXES = List.of("OMPI_MCA_plm_", "PRTE_MCA_plm_");
  /** Open MPI's single-copy knobs: the operator turns single copy off for restricted jobs unless the job says. */
  public static final Set<String> USER_WINS = Set.of(MpiCommand.VADER_SINGLE_COPY, MpiCommand.SMSC);

  private OperatorEnvironment() {}

  /**
   * Why a user's variable of this name cannot be set for the job, or empty when it is the user's to set.
   *
   * @param dataReferences the names of the job's data references (inputs, MODEL_LOCATION, outputs)
   */
  public static Optional<String> refusal(String name, EffectiveSpec spec, Set<String> dataReferences) {
    if (ALWAYS.contains(name)) {
      return Optional.of("is set by the operator in every training container (the run id, the outputs and the "
          + "resume step): choose another name");
    }
    if (name.startsWith(DataMounts.ENV_PREFIX) && dataReferences.contains(name.substring(DataMounts.ENV_PREFIX
        .length()))) {
      return Optional.of("is the path the operator gives the data reference '"
          + name.substring(DataMounts.ENV_PREFIX.length()) + "': choose another name");
    }
    if (name.equals(PYTHON_USER_BASE) && PackageInstall.setsUserBase(spec)) {
      return Optional.of("is where the operator installs the job's pip packages (" + Paths.PIP_USER_BASE + "): "
          + "another value would hide them from the script");
    }
    if (GPU_RUNTIME.contains(name)) {
      return Optional.of("is the GPU runtime's: the device plugin sets it from the GPUs Kubernetes gives the "
          + "container, and the operator empties it on an MPI launcher; a value here would expose GPUs the job "
          + "was not given (all of the node's on a CPU job)");
    }
    if (isMpiLaunch(name)) {
      return Optional.of("wires mpirun to the job's hostfile and SSH configuration, which the operator sets: "
          + "a value here would break or replace how the launcher reaches the workers");
    }
    return Optional.empty();
  }

  private static boolean isMpiLaunch(String name) {
    return !USER_WINS.contains(name) && (MpiCommand.wiringNames().contains(name) || MPI_LAUNCH.contains(name)
        || MPI_LAUNCH_PREFIXES.stream().anyMatch(name::startsWith));
  }
}
