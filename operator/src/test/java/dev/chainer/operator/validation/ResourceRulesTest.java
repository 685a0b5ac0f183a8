package dev.chainer.operator.validation;

import static dev.chainer.operator.testing.TestJobs.job;
import static dev.chainer.operator.testing.TestJobs.minimal;
import static dev.chainer.operator.testing.TestJobs.mpi;

import dev.chainer.operator.api.ChainerJob;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** GPUs, memory and /dev/shm: what a node can give, and where it is useful. */
class ResourceRulesTest {
  private static ChainerJob worker(String resources) {
    return mpi("useGpu: true\nkubernetes:\n  worker:\n    resources:\n" + resources);
  }

  private static ChainerJob launcher(String resources) {
    return mpi("kubernetes:\n  launcher:\n    resources:\n" + resources);
  }

  private static ChainerJob shm(String size, String memoryLimit) {
    return minimal("shmSize: \"" + size + "\"\n" + (memoryLimit == null ? ""
        : "kubernetes:\n  launcher:\n    resources:\n      limits:\n        memory: " + memoryLimit + "\n"));
  }

  static Stream<Arguments> refused() {
    String gpu = "[nvidia.com/gpu]";
    return Stream.of(
        Arguments.of("half a GPU", worker("      limits:\n        nvidia.com/gpu: 0.5\n"),
            "spec.kubernetes.worker.resources.limits" + gpu, "'0.5' must be an integer: nvidia.com/gpu is an "
            + "extended resource"),
        Arguments.of("500m GPUs", worker("      limits:\n        nvidia.com/gpu: 500m\n"),
            "spec.kubernetes.worker.resources.limits" + gpu, "must be an integer"),
        Arguments.of("1.5 GPUs requested", worker("      limits:\n        nvidia.com/gpu: 1.5\n"
            + "      requests:\n        nvidia.com/gpu: 1.5\n"), "spec.kubernetes.worker.resources.requests" + gpu,
            "must be an integer"),
        Arguments.of("a fraction of another device", worker("      limits:\n        example.com/fpga: 0.25\n"),
            "spec.kubernetes.worker.resources.limits[example.com/fpga]", "must be an integer"),
        Arguments.of("a GPU on an MPI launcher", launcher("      limits:\n        nvidia.com/gpu: 1\n"),
            "spec.kubernetes.launcher.resources.limits" + gpu, "launcher of an MPI job, which only runs mpirun"),
        Arguments.of("a GPU requested on an MPI launcher", launcher("      limits:\n        nvidia.com/gpu: 2\n"
            + "      requests:\n        nvidia.com/gpu: 2\n"), "spec.kubernetes.launcher.resources.requests" + gpu,
            "set GPUs on spec.kubernetes.worker.resources instead"),
        Arguments.of("shm over the memory limit", shm("4g", "2Gi"), "spec.shmSize",
            "'4g' (4294967296 bytes) is more than the training pod's memory limit "
            + "spec.kubernetes.launcher.resources.limits[memory] (2Gi)"),
        Arguments.of("shm over the workers' memory limit", mpi("shmSize: 8Gi\nkubernetes:\n  worker:\n    resources:\n"
            + "      limits:\n        memory: 4G\n"), "spec.shmSize", "spec.kubernetes.worker.resources.limits[memory]"),
        Arguments.of("shm over the limit in environmentDefinition", job("sourceDirectory: /app\nentryScript: t.py\n"
            + "frameworkVersion: \"7.0.0\"\nenvironmentDefinition:\n  docker:\n    shmSize: 1.5g\nkubernetes:\n"
            + "  launcher:\n    resources:\n      limits:\n        memory: 1Gi\n"),
            "spec.environmentDefinition.docker.shmSize", "more than the training pod's memory limit"),
        Arguments.of("shm in exabytes", shm("2E", null), "spec.shmSize", "more memory than any node has"),
        Arguments.of("shm in Docker's petabytes", shm("2p", null), "spec.shmSize", "more memory than any node has"),
        Arguments.of("shm of nothing", shm("0", null), "spec.shmSize", "is no memory"),
        Arguments.of("shm of nothing in Docker's form", shm("0.0001k", null), "spec.shmSize", "is no memory"),
        Arguments.of("shm in Docker's form with a bad suffix", shm("2gg", null), "spec.shmSize", "should match"),
        Arguments.of("shm with a space before Kubernetes' suffix", shm("2 Gi", null), "spec.shmSize", "should match"),
        Arguments.of("shm with two units", shm("2gm", null), "spec.shmSize", "should match"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void isRefusedNamingTheFieldAndTheRule(String name, ChainerJob job, String field, String words) {
    Verdicts.refused(job, field, words);
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("whole GPUs", worker("      limits:\n        nvidia.com/gpu: 2\n")),
        Arguments.of("fractions of CPU and memory", worker("      limits:\n        cpu: 500m\n        memory: 1.5Gi\n")),
        Arguments.of("a CPU launcher", launcher("      limits:\n        cpu: 1\n")),
        Arguments.of("a GPU on a single-process launcher", minimal("useGpu: true\nkubernetes:\n  launcher:\n"
            + "    resources:\n      limits:\n        nvidia.com/gpu: 1\n")),
        Arguments.of("512mb", shm("512mb", null)),
        Arguments.of("1.5g", shm("1.5g", null)),
        Arguments.of("1t", shm("1t", null)),
        Arguments.of("2GB", shm("2GB", null)),
        Arguments.of("2GiB", shm("2GiB", null)),
        Arguments.of("64 MB", shm("64 MB", null)),
        Arguments.of("1024K", shm("1024K", null)),
        Arguments.of("2Kib", shm("2Kib", null)),
        Arguments.of("bytes", shm("67108864", null)),
        Arguments.of("67108864b", shm("67108864b", null)),
        Arguments.of(".5g", shm(".5g", null)),
        Arguments.of("2Gi", shm("2Gi", null)),
        Arguments.of("a quantity in decimal units", shm("2G", null)),
        Arguments.of("shm equal to the memory limit", shm("2g", "2Gi")),
        Arguments.of("the default shm over a small memory limit", minimal("kubernetes:\n  launcher:\n    resources:\n"
            + "      limits:\n        memory: 1Gi\n")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void isAccepted(String name, ChainerJob job) {
    Verdicts.accepted(job);
  }
}
