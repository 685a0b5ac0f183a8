package dev.chainer.operator.validation;

import static dev.chainer.operator.testing.TestJobs.minimal;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static dev.chainer.operator.validation.DoorAssertions.assertAccepted;
import static dev.chainer.operator.validation.DoorAssertions.assertRefused;
import static dev.chainer.operator.validation.DoorAssertions.errors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.KubernetesSettings;
import dev.chainer.operator.api.PodSettings;
import dev.chainer.operator.config.GangScheduler;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.render.SshKeyPair;
import dev.chainer.operator.spec.JobContext;
import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pods' labels and annotations a user writes: the operator's own and the gang schedulers' keys refused, label
 * syntax as the API server's, and the 256 KiB of annotations counted in UTF-8 bytes with the operator's own added,
 * blamed on the user's field.
 */
class PodMetadataRulesTest {
  private static ChainerJob withPodKeys(String role, String kind, Map<String, String> keys) {
    ChainerJob job = mpi("");
    PodSettings pod = new PodSettings();
    if (kind.equals("labels")) {
      pod.setLabels(keys);
    } else {
      pod.setAnnotations(keys);
    }
    job.getSpec().setKubernetes(new KubernetesSettings());
    if (role.equals("launcher")) {
      job.getSpec().getKubernetes().setLauncher(pod);
    } else {
      job.getSpec().getKubernetes().setWorker(pod);
    }
    return job;
  }

  static Stream<Arguments> reserved() {
    return Stream.of("chainer.dev/job-name", "chainer.dev/worker-uids", "chainer.dev/anything",
        "sub.chainer.dev/x", "Chainer.Dev/role", "app.kubernetes.io/managed-by", "scheduling.k8s.io/group-name",
        "scheduling.volcano.sh/group-name", "scheduling.volcano.sh/queue-name", "volcano.sh/queue-name",
        "scheduling.x-k8s.io/pod-group", "pod-group.scheduling.sigs.k8s.io")
        .flatMap(key -> Stream.of("launcher", "worker").flatMap(role -> Stream.of("labels", "annotations")
            .map(kind -> Arguments.of(key, role, kind))));
  }

  @ParameterizedTest
  @MethodSource("reserved")
  void theOperatorsAndTheGangSchedulersKeysAreRefused(String key, String role, String kind) {
    assertRefused(errors(withPodKeys(role, kind, Map.of(key, "x"))), "spec.kubernetes." + role + "." + kind + "["
        + key + "]", "a key the operator sets or owns", "every key under chainer.dev/");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chainer.dev.example.com/x", "mychainer.dev/x", "team", "example.com/chainer.dev",
      "volcano.example.com/queue"})
  void lookAlikeKeysThatAreNotTheOperatorsAreAccepted(String key) {
    assertFalse(JobLabels.isReserved(key));
    assertAccepted(errors(withPodKeys("worker", "labels", Map.of(key, "x"))));
  }

  static Stream<Arguments> badLabels() {
    return Stream.of(
        Arguments.of("team", "v".repeat(64), "a valid label value"),
        Arguments.of("team", "a b", "a valid label value"),
        Arguments.of("team", "-a", "a valid label value"),
        Arguments.of("team", "caf\u00e9", "a valid label value"),
        Arguments.of("bad key", "x", "name part must consist"),
        Arguments.of("Bad_Prefix.io/x", "x", "prefix part"),
        Arguments.of("k".repeat(64), "x", "name part must consist"));
  }

  @ParameterizedTest
  @MethodSource("badLabels")
  void labelsAreCheckedAsTheApiServerChecksThem(String key, String value, String rule) {
    assertRefused(errors(withPodKeys("worker", "labels", Map.of(key, value))),
        "spec.kubernetes.worker.labels[" + key + "]", rule, "as Kubernetes requires of a label");
  }

  /** Characters that take 2 bytes in UTF-8: under the limit counted as characters, over it counted as bytes. */
  @ParameterizedTest
  @ValueSource(strings = {"launcher", "worker"})
  void annotationsAreCountedInUtf8Bytes(String role) {
    String value = "\u00e9".repeat(140 * 1024); // 140 Ki characters, 280 KiB
    List<Problem> errors = errors(withPodKeys(role, "annotations", Map.of("note", value)));
    assertRefused(errors, "spec.kubernetes." + role + ".annotations", "are " + (280 * 1024 + 4) + " bytes",
        "(keys and values in UTF-8)", "over the API server's limit of 262144 bytes");
    assertTrue(errors.stream().noneMatch(p -> p.field().contains("chainer.dev")), errors::toString);
  }

  /**
   * Within the limit alone, but the launcher also carries the run-spec snapshot (which holds them once more), and the
   * worker StatefulSet that snapshot: the user's field is blamed, never the operator's annotation. 100 KiB fits.
   */
  @ParameterizedTest
  @ValueSource(strings = {"launcher", "worker"})
  void theOperatorsOwnAnnotationsAreCountedAndTheUsersFieldBlamed(String role) {
    int size = role.equals("launcher") ? 200 * 1024 : 256 * 1024 - 100;
    List<Problem> errors = errors(withPodKeys(role, "annotations", Map.of("note", "a".repeat(size))));
    assertRefused(errors, "spec.kubernetes." + role + ".annotations", "over the API server's limit of 262144 bytes");
    assertTrue(errors.stream().allMatch(p -> p.field().equals("spec.kubernetes." + role + ".annotations")),
        errors::toString);
    if (role.equals("launcher")) {
      assertRefused(errors, "spec.kubernetes.launcher.annotations", "bytes of the operator's own annotations",
          "keep them under");
    } else {
      assertRefused(errors, "spec.kubernetes.worker.annotations", "as the operator records it on the worker "
          + "StatefulSet", "well under 128 KiB");
    }
    assertAccepted(errors(withPodKeys(role, "annotations", Map.of("note", "a".repeat(100 * 1024)))));
  }

  /**
   * A job with no pod settings at all but a large value elsewhere in its spec: the launcher's run-spec snapshot is
   * over the limit, and the refusal names the spec and the operator's annotation, not pod annotations the user never
   * wrote (as the API server's refusal of the pod would).
   */
  @ParameterizedTest
  @ValueSource(strings = {"environmentVariables", "scriptParams", "arguments"})
  void aSpecTooLargeToRecordIsBlamedOnTheSpec(String where) {
    ChainerJob job = mpi("");
    String big = "v".repeat(300 * 1000);
    switch (where) {
      case "environmentVariables" -> job.getSpec().setEnvironmentVariables(Map.of("BIG", big));
      case "scriptParams" -> job.getSpec().setScriptParams(Map.of("--blob",
          com.fasterxml.jackson.databind.node.TextNode.valueOf(big)));
      default -> job.getSpec().setArguments(List.of(big));
    }
    List<Problem> errors = errors(job);
    assertRefused(errors, "spec", "bytes as the operator records it", "chainer.dev/run-spec",
        "over the API server's limit of 262144 bytes");
    assertTrue(errors.stream().noneMatch(p -> p.field().contains("annotations")), errors::toString);
  }

  @Test
  void ordinaryLabelsAndAnnotationsAreAccepted() {
    assertAccepted(errors(withPodKeys("worker", "labels", Map.of("team", "vision", "example.com/cost-center",
        "r-and-d_1.2"))));
    assertAccepted(errors(withPodKeys("launcher", "annotations", Map.of("example.com/note", "\u00e9t\u00e9 "
        + "any text, with spaces"))));
  }

  /** A stored job from before these rules (or from a server that skipped them) still cannot set the operator's keys. */
  @Test
  void theRendererDropsReservedKeysAUserWrote() {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put("chainer.dev/job-name", "other-job");
    keys.put("chainer.dev/worker-uids", "x");
    keys.put("scheduling.k8s.io/group-name", "other-gang");
    keys.put("team", "vision");
    ChainerJob job = mpi("");
    PodSettings pod = new PodSettings();
    pod.setLabels(keys);
    pod.setAnnotations(keys);
    job.getSpec().setKubernetes(new KubernetesSettings());
    job.getSpec().getKubernetes().setLauncher(pod);
    job.getSpec().getKubernetes().setWorker(pod);
    OperatorConfig config = OperatorConfig.defaults();
    config.setGangScheduler(GangScheduler.VOLCANO);
    List<HasMetadata> objects = JobRenderer.render(JobContext.of(job, config).atAttempt(0),
        new SshKeyPair("k", "ssh-ed25519 k"), "p").all();
    List<ObjectMeta> pods = objects.stream().map(o -> o instanceof Pod p ? p.getMetadata()
        : o instanceof StatefulSet s ? s.getSpec().getTemplate().getMetadata() : null)
        .filter(java.util.Objects::nonNull).toList();
    assertEquals(2, pods.size());
    for (ObjectMeta meta : pods) {
      assertEquals("train", meta.getLabels().get(JobLabels.JOB_NAME));
      assertEquals("vision", meta.getLabels().get("team"));
      assertFalse(meta.getAnnotations().containsKey("chainer.dev/job-name"), meta::toString);
      assertFalse(meta.getAnnotations().containsKey(JobLabels.WORKER_UIDS), meta::toString);
      assertEquals("vision", meta.getAnnotations().get("team"));
      assertTrue(meta.getAnnotations().get("scheduling.k8s.io/group-name").startsWith("train"), meta::toString);
    }
  }
}
