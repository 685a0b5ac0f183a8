package dev.chainer.operator.render;

import static dev.chainer.operator.testing.Rendered.env;
import static dev.chainer.operator.testing.TestJobs.job;
import static dev.chainer.operator.testing.TestJobs.minimal;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.chainer.operator.api.SecurityProfile;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.testing.Rendered;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Open MPI's shared-memory single copy (Linux CMA) is off for restricted jobs, whose ranks may not read each other's
 * memory (no CAP_SYS_PTRACE, the runtime's default seccomp profile), and left on where it works. MpiRuntimeTest runs
 * both with the real Open MPI.
 */
class MpiSingleCopyTest {
  private static final String RESTRICTED = "kubernetes:\n  securityProfile: restricted\n";
  private static final Map<String, String> OFF = Map.of(MpiCommand.VADER_SINGLE_COPY, "none", MpiCommand.SMSC,
      "^cma");

  private static Map<String, String> singleCopy(Map<String, String> env) {
    Map<String, String> out = new TreeMap<>();
    for (String name : OFF.keySet()) {
      if (env.containsKey(name)) {
        out.put(name, env.get(name));
      }
    }
    return out;
  }

  @Test
  void restrictedOpenMpiLauncherTurnsSingleCopyOffForOpenMpi4And5() {
    Rendered r = Rendered.of(mpi("userManaged: true\n" + RESTRICTED));
    assertEquals(OFF, singleCopy(env(r.launcher())));
    // mpirun forwards its OMPI_MCA_* variables to every rank: the workers' containers need none (an SSH session
    // never sees them anyway).
    assertEquals(Map.of(), singleCopy(env(r.worker())));
  }

  @Test
  void operatorWideRestrictedDefaultDoesTheSame() {
    OperatorConfig config = OperatorConfig.defaults();
    config.setDefaultSecurityProfile(SecurityProfile.RESTRICTED);
    assertEquals(OFF, singleCopy(env(Rendered.of(mpi("userManaged: true"), config).launcher())));
  }

  @Test
  void rootJobKeepsSingleCopy() {
    assertEquals(Map.of(), singleCopy(env(Rendered.of(mpi("userManaged: true")).launcher())));
    assertEquals(Map.of(), singleCopy(env(Rendered.of(mpi("userManaged: true\nkubernetes:\n  securityProfile: root\n"))
        .launcher())));
  }

  @ParameterizedTest
  @ValueSource(strings = {"MPICH", "IntelMPI"})
  void otherImplementationsGetNoOpenMpiVariables(String impl) {
    Rendered r = Rendered.of(job("sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\n"
        + "userManaged: true\nnodeCount: 2\ndistributedTraining:\n  mpi:\n    processCountPerNode: 2\n"
        + "    implementation: " + impl + "\n" + RESTRICTED));
    assertEquals(Map.of(), singleCopy(env(r.launcher())));
  }

  @Test
  void singleProcessRestrictedJobHasNoMpirunToTell() {
    Rendered r = Rendered.of(minimal("userManaged: true\n" + RESTRICTED));
    assertEquals(Map.of(), singleCopy(env(r.launcher())));
  }

  /** A job that sets a variable itself (a node where CMA works, say) keeps its value: set once, the job's. */
  @Test
  void theJobsOwnValueWins() {
    Rendered r = Rendered.of(mpi("userManaged: true\n" + RESTRICTED
        + "environmentVariables:\n  OMPI_MCA_btl_vader_single_copy_mechanism: cma\n"));
    assertEquals(Map.of(MpiCommand.VADER_SINGLE_COPY, "cma", MpiCommand.SMSC, "^cma"), singleCopy(env(r.launcher())));
    assertEquals(1, r.launcher().getEnv().stream().map(EnvVar::getName)
        .filter(MpiCommand.VADER_SINGLE_COPY::equals).count(), "no duplicate env entry");
    assertFalse(r.launcher().getEnv().stream().anyMatch(e -> e.getName().equals(MpiCommand.SMSC)
        && !"^cma".equals(e.getValue())));
    assertNull(env(r.launcher()).get("OMPI_MCA_btl"), "nothing else is chosen for the job");
  }
}
