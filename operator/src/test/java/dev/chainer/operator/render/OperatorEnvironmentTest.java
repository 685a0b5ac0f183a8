package dev.chainer.operator.render;

import static dev.chainer.operator.testing.TestJobs.minimal;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.spec.EffectiveSpec;
import dev.chainer.operator.testing.Rendered;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The list of the operator's own variables cannot drift from what it renders: every variable in every container of
 * these jobs that the user did not write is one the validator would refuse from the user (or one of the documented
 * knobs where the user's value wins).
 */
class OperatorEnvironmentTest {
  private static final String INPUTS = "inputs:\n- name: mnist\n  dataStore:\n    persistentVolumeClaim: data\n"
      + "resumeFrom:\n  dataStore:\n    persistentVolumeClaim: models\noutputs:\n  claimTemplate: {}\n"
      + "environmentVariables:\n  NCCL_DEBUG: INFO\n";

  static Stream<ChainerJob> jobs() {
    return Stream.of(
        minimal("pipPackages: [tqdm]\n" + INPUTS),
        minimal("useGpu: true\ncondaPackages: [numpy]\n"),
        mpi("useGpu: true\npipPackages: [tqdm]\n" + INPUTS),
        mpi("kubernetes:\n  securityProfile: restricted\n" + INPUTS),
        mpi("distributedTraining:\n  mpi:\n    processCountPerNode: 2\n    implementation: IntelMPI\n" + INPUTS),
        mpi("distributedTraining:\n  mpi:\n    processCountPerNode: 2\n    implementation: MPICH\n" + INPUTS));
  }

  @ParameterizedTest
  @MethodSource("jobs")
  void everyVariableTheOperatorSetsIsRefusedFromTheUser(ChainerJob job) {
    Rendered rendered = Rendered.of(job);
    EffectiveSpec effective = EffectiveSpec.of(job.getSpec(), OperatorConfig.defaults());
    Set<String> declared = Set.of("mnist", DataMounts.MODEL_LOCATION, OutputsVolume.DATA_REFERENCE);
    Set<String> names = new TreeSet<>();
    List<PodSpec> pods = new ArrayList<>(List.of(rendered.launcherPod()));
    rendered.objects().workers().ifPresent(w -> pods.add(rendered.workerPod()));
    for (PodSpec pod : pods) {
      List<Container> containers = new ArrayList<>(pod.getContainers());
      if (pod.getInitContainers() != null) {
        containers.addAll(pod.getInitContainers());
      }
      containers.stream().filter(c -> c.getEnv() != null).flatMap(c -> c.getEnv().stream()).map(EnvVar::getName)
          .forEach(names::add);
    }
    names.removeAll(effective.environmentVariables().keySet());
    assertTrue(names.contains(OperatorEnvironment.RUN_ID), names::toString);
    List<String> unlisted = names.stream().filter(n -> !OperatorEnvironment.USER_WINS.contains(n))
        .filter(n -> OperatorEnvironment.refusal(n, effective, declared).isEmpty()).toList();
    assertEquals(List.of(), unlisted, "set by the operator but not refused from the user");
  }
}
