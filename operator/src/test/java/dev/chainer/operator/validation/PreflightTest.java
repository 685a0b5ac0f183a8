package dev.chainer.operator.validation;

import static dev.chainer.operator.testing.TestJobs.minimal;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.config.OperatorConfig;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Specs that pass the schema and the estimator's rules but would render an object the API server refuses: the job
 * is invalid at once, and the message names the spec field, not the rendered object's.
 */
class PreflightTest {
  private static List<Problem> errors(ChainerJob job) {
    return SpecValidator.validate(job, OperatorConfig.defaults()).stream().filter(Problem::isError).toList();
  }

  static Stream<Arguments> hostile() {
    String input = "inputs:\n- name: d\n  dataStore:\n    persistentVolumeClaim: data\n";
    return Stream.of(
        Arguments.of(minimal(input + "  pathOnCompute: /dev/shm\n"), "spec.inputs[0].pathOnCompute", "/dev/shm"),
        Arguments.of(minimal(input + "  pathOnCompute: /\n"), "spec.inputs[0].pathOnCompute", "other than '/'"),
        Arguments.of(minimal(input + "  pathOnCompute: /ckpt\nresumeFrom:\n  dataStore:\n    "
            + "persistentVolumeClaim: models\n  pathOnCompute: /ckpt/\n"), "spec.resumeFrom.pathOnCompute",
            "is the same directory as spec.inputs[0]'s '/ckpt'"),
        Arguments.of(mpi("useGpu: true\nkubernetes:\n  worker:\n    resources:\n      requests:\n"
            + "        nvidia.com/gpu: 1\n"), "spec.kubernetes.worker.resources", "must be equal to nvidia.com/gpu limit"),
        Arguments.of(minimal("kubernetes:\n  launcher:\n    resources:\n      requests:\n        cpu: 4\n"
            + "      limits:\n        cpu: 2\n"), "spec.kubernetes.launcher.resources",
            "must be less than or equal to cpu limit"),
        Arguments.of(mpi("kubernetes:\n  worker:\n    tolerations:\n    - key: gpu\n      operator: Sideways\n"),
            "spec.kubernetes.worker.tolerations[0].operator", "Unsupported value: \"Sideways\""),
        Arguments.of(minimal("kubernetes:\n  launcher:\n    labels:\n      \"bad key\": x\n"),
            "spec.kubernetes.launcher.labels[bad key]", "\"bad key\""),
        Arguments.of(minimal("kubernetes:\n  launcher:\n    serviceAccountName: Bad_Name\n"),
            "spec.kubernetes.launcher.serviceAccountName", "RFC 1123 subdomain"),
        Arguments.of(mpi("kubernetes:\n  worker:\n    priorityClassName: \"high priority\"\n"),
            "spec.kubernetes.worker.priorityClassName", "RFC 1123 subdomain"),
        Arguments.of(minimal("kubernetes:\n  launcher:\n    schedulerName: My_Scheduler\n"),
            "spec.kubernetes.launcher.schedulerName", "RFC 1123 subdomain"),
        Arguments.of(minimal("inputs:\n- name: d\n  dataStore:\n    persistentVolumeClaim: Bad_PVC\n"),
            "spec.inputs[0].dataStore.persistentVolumeClaim", "Bad_PVC"),
        Arguments.of(minimal("customDockerImage: \"my image:1\"\n"), "spec.customDockerImage", "no spaces"));
  }

  @ParameterizedTest
  @MethodSource("hostile")
  void isInvalidNamingTheSpecField(ChainerJob job, String field, String message) {
    List<Problem> errors = errors(job);
    assertTrue(errors.stream().anyMatch(p -> p.field().equals(field) && p.message().contains(message)),
        () -> "expected " + field + ": ..." + message + "... in " + errors);
  }

  @Test
  void aMistakeIsReportedOncePerSpecField() {
    List<Problem> errors = errors(minimal("inputs:\n- name: d\n  dataStore:\n    persistentVolumeClaim: data\n"
        + "  pathOnCompute: /ckpt\nresumeFrom:\n  dataStore:\n    persistentVolumeClaim: models\n"
        + "  pathOnCompute: /ckpt\n"));
    assertEquals(1, errors.size(), errors::toString);
  }

  @Test
  void everyValidShapeRendersObjectsTheServerAccepts() {
    assertEquals(List.of(), errors(minimal("")));
    assertEquals(List.of(), errors(mpi("useGpu: true\nkubernetes:\n  worker:\n    tolerations:\n    - key: gpu\n"
        + "      operator: Exists\n      effect: NoSchedule\n    labels:\n      team: vision\n")));
  }
}
