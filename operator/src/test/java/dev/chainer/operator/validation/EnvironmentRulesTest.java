package dev.chainer.operator.validation;

import static dev.chainer.operator.testing.TestJobs.job;
import static dev.chainer.operator.testing.TestJobs.minimal;
import static dev.chainer.operator.testing.TestJobs.mpi;

import dev.chainer.operator.api.ChainerJob;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The job's environment variables: text a process can read, and none of the operator's own. */
class EnvironmentRulesTest {
  private static final String ENV = "spec.environmentVariables";
  private static final String DEF_ENV = "spec.environmentDefinition.environmentVariables";
  private static final String INPUT = "inputs:\n- name: mnist\n  dataStore:\n    persistentVolumeClaim: data\n";

  private static ChainerJob env(String name, String value) {
    return minimal("environmentVariables:\n  " + name + ": " + value + "\n");
  }

  private static ChainerJob mpiEnv(String name, String value) {
    return mpi("environmentVariables:\n  " + name + ": " + value + "\n");
  }

  private static ChainerJob definition(String body) {
    return job("sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\nenvironmentDefinition:\n"
        + body);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("Open MPI's ssh arguments", mpiEnv("OMPI_MCA_plm_rsh_args", "\"-p 2222\""),
            ENV + "[OMPI_MCA_plm_rsh_args]", "wires mpirun to the job's hostfile and SSH configuration"),
        Arguments.of("Open MPI's launch agent", mpiEnv("OMPI_MCA_plm_rsh_agent", "rsh"),
            ENV + "[OMPI_MCA_plm_rsh_agent]", "wires mpirun"),
        Arguments.of("Open MPI's hostfile", mpiEnv("OMPI_MCA_orte_default_hostfile", "/tmp/h"),
            ENV + "[OMPI_MCA_orte_default_hostfile]", "wires mpirun"),
        Arguments.of("root permission", mpiEnv("OMPI_ALLOW_RUN_AS_ROOT", "0"), ENV + "[OMPI_ALLOW_RUN_AS_ROOT]",
            "wires mpirun"),
        Arguments.of("PRRTE's ssh arguments", mpiEnv("PRTE_MCA_plm_ssh_args", "x"), ENV + "[PRTE_MCA_plm_ssh_args]",
            "wires mpirun"),
        Arguments.of("PRRTE's hostfile", mpiEnv("PRTE_MCA_prte_default_hostfile", "/h"),
            ENV + "[PRTE_MCA_prte_default_hostfile]", "wires mpirun"),
        Arguments.of("Intel MPI's host file", mpiEnv("I_MPI_HYDRA_HOST_FILE", "/h"), ENV + "[I_MPI_HYDRA_HOST_FILE]",
            "wires mpirun"),
        Arguments.of("Intel MPI's ranks per host", mpiEnv("I_MPI_PERHOST", "8"), ENV + "[I_MPI_PERHOST]",
            "wires mpirun"),
        Arguments.of("Hydra's launcher", mpiEnv("HYDRA_LAUNCHER", "fork"), ENV + "[HYDRA_LAUNCHER]", "wires mpirun"),
        Arguments.of("Hydra's bootstrap", mpiEnv("HYDRA_BOOTSTRAP_EXEC", "/bin/x"), ENV + "[HYDRA_BOOTSTRAP_EXEC]",
            "wires mpirun"),
        Arguments.of("an input's path", minimal(INPUT + "environmentVariables:\n  AZUREML_DATAREFERENCE_mnist: /x\n"),
            ENV + "[AZUREML_DATAREFERENCE_mnist]", "is the path the operator gives the data reference 'mnist'"),
        Arguments.of("the model location", minimal("resumeFrom:\n  dataStore:\n    persistentVolumeClaim: m\n"
            + "environmentVariables:\n  AZUREML_DATAREFERENCE_MODEL_LOCATION: /x\n"),
            ENV + "[AZUREML_DATAREFERENCE_MODEL_LOCATION]", "data reference 'MODEL_LOCATION'"),
        Arguments.of("the outputs' path", minimal("outputs:\n  claimTemplate: {}\n"
            + "environmentVariables:\n  AZUREML_DATAREFERENCE_outputs: /x\n"),
            ENV + "[AZUREML_DATAREFERENCE_outputs]", "data reference 'outputs'"),
        Arguments.of("PYTHONUSERBASE with pip packages", minimal("pipPackages: [tqdm]\n"
            + "environmentVariables:\n  PYTHONUSERBASE: /home/u\n"), ENV + "[PYTHONUSERBASE]",
            "where the operator installs the job's pip packages"),
        Arguments.of("all GPUs on a CPU job", env("NVIDIA_VISIBLE_DEVICES", "all"), ENV + "[NVIDIA_VISIBLE_DEVICES]",
            "all of the node's on a CPU job"),
        Arguments.of("some GPUs on a GPU job", minimal("useGpu: true\nenvironmentVariables:\n  "
            + "NVIDIA_VISIBLE_DEVICES: \"0,1\"\n"), ENV + "[NVIDIA_VISIBLE_DEVICES]", "device plugin sets it"),
        Arguments.of("driver capabilities", mpiEnv("NVIDIA_DRIVER_CAPABILITIES", "all"),
            ENV + "[NVIDIA_DRIVER_CAPABILITIES]", "GPU runtime's"),
        Arguments.of("the run id", env("AZUREML_RUN_ID", "x"), ENV + "[AZUREML_RUN_ID]", "set by the operator"),
        Arguments.of("the output directory", env("CHAINER_OUTPUT_DIR", "/tmp"), ENV + "[CHAINER_OUTPUT_DIR]",
            "set by the operator"),
        Arguments.of("the wait attempts", mpiEnv("CHAINER_WAIT_ATTEMPTS", "1"), ENV + "[CHAINER_WAIT_ATTEMPTS]",
            "set by the operator"),
        Arguments.of("the resume argument", env("CHAINER_RESUME_ARGUMENT", "--x"), ENV + "[CHAINER_RESUME_ARGUMENT]",
            "set by the operator"),
        Arguments.of("a null value in environmentDefinition", definition("  environmentVariables:\n    LANG: null\n"),
            DEF_ENV + "[LANG]", "is null: give the variable a value"),
        Arguments.of("a null value", env("LANG", "null"), ENV + "[LANG]", "is null"),
        Arguments.of("NUL in a value", env("A", "\"x\\0y\""), ENV + "[A]",
            "control character U+0000 at position 1: an environment variable"),
        Arguments.of("newline in a value", env("A", "\"x\\ny\""), ENV + "[A]", "U+000A"),
        Arguments.of("escape in a value", definition("  environmentVariables:\n    A: \"\\e]0;\"\n"), DEF_ENV + "[A]",
            "U+001B"),
        Arguments.of("newline in a name", env("\"A\\nB\"", "x"), ENV + "[A\\u000aB]", "not a valid environment variable"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void isRefusedNamingTheVariableAndTheRule(String name, ChainerJob job, String field, String words) {
    Verdicts.refused(job, field, words);
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("Open MPI tuning", mpiEnv("OMPI_MCA_btl_tcp_if_include", "eth0")),
        Arguments.of("Open MPI's single copy, the user's to choose", mpi("kubernetes:\n  securityProfile: restricted\n"
            + "environmentVariables:\n  OMPI_MCA_btl_vader_single_copy_mechanism: cma\n  OMPI_MCA_smsc: cma\n")),
        Arguments.of("Intel MPI tuning", mpiEnv("I_MPI_DEBUG", "5")),
        Arguments.of("NCCL tuning", mpiEnv("NCCL_DEBUG", "INFO")),
        Arguments.of("PYTHONUSERBASE when nothing is installed", minimal("userManaged: true\n"
            + "environmentVariables:\n  PYTHONUSERBASE: /home/u\n")),
        Arguments.of("PYTHONUSERBASE with conda", minimal("condaPackages: [numpy]\n"
            + "environmentVariables:\n  PYTHONUSERBASE: /home/u\n")),
        Arguments.of("an undeclared data reference's name", env("AZUREML_DATAREFERENCE_other", "/x")),
        Arguments.of("an empty value and a tab", minimal("environmentVariables:\n  A: \"\"\n  B: \"x\\ty\"\n")),
        Arguments.of("empty package lists in environmentDefinition", definition("  python:\n    pipPackages: []\n"
            + "    condaPackages: []\n  environmentVariables: {}\n")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void isAccepted(String name, ChainerJob job) {
    Verdicts.accepted(job);
  }
}
