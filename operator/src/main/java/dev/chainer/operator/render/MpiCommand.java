package dev.chainer.operator.render;

import dev.chainer.operator.api.MpiImplementation;
import dev.chainer.operator.spec.EffectiveSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The launcher's mpirun (argv up to the program) and the environment that wires it to the job's hostfile
 * and SSH configuration, for each MPI implementation.
 */
public final class MpiCommand {
  private static final String SSH_ARGS = "-F " + Paths.SSH_CONFIG;

  private MpiCommand() {}

  /**
   * @param mpirun the implementation's mpirun program (operator configuration)
   * @param forwarded names of the training environment variables every rank must see; OpenMPI only
   *     forwards what it is told to, while the Hydra launchers forward the whole environment.
   */
  public static List<String> argv(String mpirun, EffectiveSpec spec, String workingDirectory,
      Collection<String> forwarded) {
    List<String> argv = new ArrayList<>();
    argv.add(mpirun);
    String np = Integer.toString(spec.totalProcesses());
    if (spec.mpiImplementation() == MpiImplementation.OpenMPI) {
      argv.addAll(List.of("--allow-run-as-root", "-np", np, "--hostfile", Paths.HOSTFILE,
          "--bind-to", "none", "--map-by", "slot"));
      if (workingDirectory != null) {
        argv.addAll(List.of("-wdir", workingDirectory));
      }
      // PATH too: ranks started over SSH otherwise get sshd's minimal PATH.
      for (String name : withPath(forwarded)) {
        argv.add("-x");
        argv.add(name);
      }
    } else {
      argv.addAll(List.of("-n", np, "-ppn", Integer.toString(spec.processCountPerNode()), "-f", Paths.HOSTFILE));
      if (workingDirectory != null) {
        argv.addAll(List.of("-wdir", workingDirectory));
      }
    }
    return argv;
  }

  private static List<String> withPath(Collection<String> names) {
    List<String> all = new ArrayList<>(names);
    if (!all.contains("PATH")) {
      all.add("PATH");
    }
    return all;
  }

  /** Environment of the launcher container for the implementation. */
  public static List<EnvVar> environment(EffectiveSpec spec) {
    Map<String, String> env = new LinkedHashMap<>();
    switch (spec.mpiImplementation()) {
      case OpenMPI -> {
        env.put("OMPI_MCA_plm_rsh_args", SSH_ARGS);
        env.put("PRTE_MCA_plm_ssh_args", SSH_ARGS);
        env.put("OMPI_MCA_orte_keep_fqdn_hostnames", "true");
        env.put("OMPI_MCA_orte_default_hostfile", Paths.HOSTFILE);
        env.put("OMPI_ALLOW_RUN_AS_ROOT", "1");
        env.put("OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1");
      }
      case IntelMPI -> {
        env.put("I_MPI_HYDRA_HOST_FILE", Paths.HOSTFILE);
        env.put("I_MPI_HYDRA_BOOTSTRAP", "ssh");
        env.put("I_MPI_HYDRA_BOOTSTRAP_EXEC_EXTRA_ARGS", SSH_ARGS);
        env.put("I_MPI_PERHOST", Integer.toString(spec.processCountPerNode()));
      }
      case MPICH -> {
        env.put("HYDRA_HOST_FILE", Paths.HOSTFILE);
        env.put("HYDRA_LAUNCHER", "ssh");
        env.put("HYDRA_LAUNCHER_EXTRA_ARGS", SSH_ARGS);
      }
    }
    List<EnvVar> vars = new ArrayList<>();
    env.forEach((k, v) -> vars.add(new EnvVar(k, v, null)));
    return vars;
  }
}
