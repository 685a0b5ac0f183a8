package dev.chainer.operator.render;

import dev.chainer.operator.api.MpiImplementation;
import dev.chainer.operator.spec.EffectiveSpec;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The launcher's mpirun (argv up to the program) and the environment that wires it to the job's hostfile
 * and SSH configuration, for each MPI implementation.
 */
public final class MpiCommand {
  private static final String SSH_ARGS = "-F " + Paths.SSH_CONFIG;
  /**
   * Open MPI's shared-memory single copy, in both places it has lived: Open MPI 4.x's vader BTL ("none" leaves
   * copy-in/copy-out) and, since 5.0, the smsc framework (its component list: "^cma" excludes CMA; with no other
   * component the sm BTL copies in and out). Each version ignores the other's variable.
   */
  public static final String VADER_SINGLE_COPY = "OMPI_MCA_btl_vader_single_copy_mechanism";
  public static final String SMSC = "OMPI_MCA_smsc";

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

  /**
   * Environment of the launcher container for the implementation. mpirun hands its OMPI_MCA_* variables to the daemons
   * it starts over SSH and to every rank (the ranks of a worker never see the worker container's own environment).
   *
   * @param withoutPtrace whether the ranks of one worker may not read each other's memory: a restricted job's pods
   *     drop every capability and run under the container runtime's default seccomp profile, which (containerd's)
   *     refuses process_vm_readv/process_vm_writev without CAP_SYS_PTRACE. Open MPI's shared-memory single copy
   *     (Linux CMA) is exactly those calls: every large message between two ranks of one worker would fail with
   *     "Read -1, expected N, errno = 1". Open MPI then copies through shared memory twice (copy-in/copy-out), which
   *     is always available. Root jobs keep single copy: they run without a seccomp profile unless the cluster sets
   *     one, and where it fails for them too, the job can set the same variables in its environmentVariables.
   */
  public static List<EnvVar> environment(EffectiveSpec spec, boolean withoutPtrace) {
    Map<String, String> env = wiring(spec.mpiImplementation(), spec.processCountPerNode());
    if (spec.mpiImplementation() == MpiImplementation.OpenMPI && withoutPtrace) {
      // A value the job sets itself is its own to choose (it reaches mpirun and every rank as it is).
      env.put(VADER_SINGLE_COPY, "none");
      env.put(SMSC, "^cma");
      List.of(VADER_SINGLE_COPY, SMSC).stream().filter(spec.environmentVariables()::containsKey)
          .forEach(env::remove);
    }
    List<EnvVar> vars = new ArrayList<>();
    env.forEach((k, v) -> vars.add(new EnvVar(k, v, null)));
    return vars;
  }

  /** Every variable that wires mpirun to the hostfile and the SSH configuration, for any implementation. */
  public static Set<String> wiringNames() {
    Set<String> names = new TreeSet<>();
    for (MpiImplementation implementation : MpiImplementation.values()) {
      names.addAll(wiring(implementation, 1).keySet());
    }
    return names;
  }

  private static Map<String, String> wiring(MpiImplementation implementation, int processCountPerNode) {
    Map<String, String> env = new LinkedHashMap<>();
    switch (implementation) {
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
        env.put("I_MPI_PERHOST", Integer.toString(processCountPerNode));
      }
      case MPICH -> {
        env.put("HYDRA_HOST_FILE", Paths.HOSTFILE);
        env.put("HYDRA_LAUNCHER", "ssh");
        env.put("HYDRA_LAUNCHER_EXTRA_ARGS", SSH_ARGS);
      }
    }
    return env;
  }
}
