package dev.chainer.operator.validation;

import static dev.chainer.operator.testing.TestJobs.mpi;
import static dev.chainer.operator.validation.DoorAssertions.assertAccepted;
import static dev.chainer.operator.validation.DoorAssertions.assertRefused;
import static dev.chainer.operator.validation.DoorAssertions.errors;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Affinity and tolerations the API server would refuse, refused at the door at the user's field; and
 * computeTarget, vmSize and vmPriority contradicted by a role's nodeSelector or required node affinity.
 */
class PlacementRulesTest {
  private static final String W = "spec.kubernetes.worker";
  private static final String REQ = W + ".affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution";
  private static final String PREF = W + ".affinity.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution[0]";
  private static final String POD = W + ".affinity.podAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]";

  private static String worker(String yaml) {
    return "kubernetes:\n  worker:\n" + yaml.indent(4);
  }

  private static String required(String term) {
    return worker("affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n"
        + "      nodeSelectorTerms:\n" + term.indent(6));
  }

  private static String expression(String yaml) {
    return required("- matchExpressions:\n  - key: disk\n" + yaml.indent(4));
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of(worker("affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n"
            + "      nodeSelectorTerms: []\n"), REQ + ".nodeSelectorTerms", "at least one node selector term"),
        Arguments.of(required("- {}\n"), REQ + ".nodeSelectorTerms[0]", "matches no node"),
        Arguments.of(expression("operator: Equals\nvalues: [ssd]\n"), REQ
            + ".nodeSelectorTerms[0].matchExpressions[0].operator", "not a valid node selector operator", "'Equals'"),
        Arguments.of(expression("operator: in\nvalues: [ssd]\n"), REQ
            + ".nodeSelectorTerms[0].matchExpressions[0].operator", "not a valid node selector operator"),
        Arguments.of(expression("operator: In\n"), REQ + ".nodeSelectorTerms[0].matchExpressions[0].values",
            "must be specified when operator is In or NotIn"),
        Arguments.of(expression("operator: NotIn\nvalues: []\n"), REQ
            + ".nodeSelectorTerms[0].matchExpressions[0].values", "must be specified"),
        Arguments.of(expression("operator: Exists\nvalues: [ssd]\n"), REQ
            + ".nodeSelectorTerms[0].matchExpressions[0].values", "may not be specified when operator is Exists"),
        Arguments.of(expression("operator: Gt\nvalues: [big]\n"), REQ
            + ".nodeSelectorTerms[0].matchExpressions[0].values", "a single integer"),
        Arguments.of(required("- matchFields:\n  - key: metadata.labels\n    operator: In\n    values: [n1]\n"),
            REQ + ".nodeSelectorTerms[0].matchFields[0].key", "must be metadata.name"),
        Arguments.of(worker("affinity:\n  nodeAffinity:\n    preferredDuringSchedulingIgnoredDuringExecution:\n"
            + "    - weight: 0\n      preference:\n        matchExpressions:\n        - key: disk\n"
            + "          operator: Exists\n"), PREF + ".weight", "must be in the range 1-100, got 0"),
        Arguments.of(worker("affinity:\n  nodeAffinity:\n    preferredDuringSchedulingIgnoredDuringExecution:\n"
            + "    - weight: 1\n      preference: {}\n"), PREF + ".preference", "matches no node"),
        Arguments.of(worker("affinity:\n  podAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n"
            + "    - topologyKey: \"\"\n      labelSelector:\n        matchLabels: {app: x}\n"),
            POD + ".topologyKey", "can not be empty"),
        Arguments.of(worker("affinity:\n  podAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n"
            + "    - topologyKey: zone\n      labelSelector:\n        matchExpressions:\n        - key: app\n"
            + "          operator: In\n"), POD + ".labelSelector.matchExpressions[0].values", "must be specified"),
        Arguments.of(worker("affinity:\n  podAntiAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n"
            + "    - topologyKey: zone\n      labelSelector:\n        matchExpressions:\n        - key: app\n"
            + "          operator: Exists\n          values: [x]\n"), W + ".affinity.podAntiAffinity"
            + ".requiredDuringSchedulingIgnoredDuringExecution[0].labelSelector.matchExpressions[0].values",
            "may not be specified"),
        Arguments.of(worker("tolerations:\n- key: gpu\n  operator: Exist\n"), W + ".tolerations[0].operator",
            "Unsupported value: \"Exist\""),
        Arguments.of(worker("tolerations:\n- key: gpu\n  operator: Exists\n  value: yes-please\n"),
            W + ".tolerations[0].operator", "value must be empty when `operator` is 'Exists'"),
        Arguments.of(worker("tolerations:\n- operator: Equal\n  value: x\n"), W + ".tolerations[0].operator",
            "operator must be Exists when `key` is empty"),
        Arguments.of(worker("tolerations:\n- key: gpu\n  operator: Exists\n  effect: NoSchedule\n"
            + "  tolerationSeconds: 30\n"), W + ".tolerations[0].effect", "effect must be 'NoExecute'"),
        Arguments.of(worker("tolerations:\n- key: gpu\n  operator: Exists\n  effect: NoExecute\n"
            + "  tolerationSeconds: -5\n"), W + ".tolerations[0].tolerationSeconds", // the schema's minimum
            "should be greater than or equal to 0"),
        Arguments.of(worker("tolerations:\n- key: gpu\n  value: \"a b\"\n"), W + ".tolerations[0].value",
            "a valid label value"),
        Arguments.of(worker("tolerations:\n- key: gpu\n  operator: Exists\n  effect: NoEvict\n"),
            W + ".tolerations[0].effect", "Unsupported value: \"NoEvict\""));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void whatTheApiServerRefusesIsRefusedAtTheDoor(String spec, String field, String rule) {
    assertRefused(errors(mpi(spec)), field, rule);
  }

  static Stream<Arguments> contradictions() {
    String pool = "kubernetes.azure.com/agentpool";
    String size = "node.kubernetes.io/instance-type";
    return Stream.of(
        Arguments.of("computeTarget: gpu-pool\n" + worker("nodeSelector:\n  " + pool + ": cpu-pool\n"),
            W + ".nodeSelector[" + pool + "]", "spec.computeTarget puts the pods on nodes with " + pool
            + "=gpu-pool"),
        Arguments.of("vmSize: Standard_NC6\n" + worker("nodeSelector:\n  " + size + ": Standard_D4\n"),
            W + ".nodeSelector[" + size + "]", "spec.vmSize"),
        Arguments.of("computeTarget: gpu-pool\n" + expressionOn(pool, "In", "[cpu-pool, other]"), REQ,
            "admits no node with " + pool + "=gpu-pool", "spec.computeTarget"),
        Arguments.of("vmSize: Standard_NC6\n" + expressionOn(size, "NotIn", "[Standard_NC6]"), REQ, "spec.vmSize"),
        Arguments.of("computeTarget: gpu-pool\n" + expressionOn(pool, "DoesNotExist", null), REQ,
            "spec.computeTarget"),
        Arguments.of("computeTarget: gpu-pool\nkubernetes:\n  launcher:\n    nodeSelector:\n      " + pool
            + ": cpu\n", "spec.kubernetes.launcher.nodeSelector[" + pool + "]", "spec.computeTarget"));
  }

  private static String expressionOn(String key, String op, String values) {
    return required("- matchExpressions:\n  - key: " + key + "\n    operator: " + op + "\n"
        + (values == null ? "" : "    values: " + values + "\n"));
  }

  @ParameterizedTest
  @MethodSource("contradictions")
  void theEstimatorsNodeSettingsContradictedByTheRolesAreRefused(String spec, String field, String rule) {
    assertRefused(errors(mpi(spec)), field, rule);
  }

  @Test
  void agreeingAndValidPlacementIsAccepted() {
    String pool = "kubernetes.azure.com/agentpool";
    assertAccepted(errors(mpi("computeTarget: gpu-pool\n" + worker("nodeSelector:\n  " + pool + ": gpu-pool\n"
        + "  disk: ssd\ntolerations:\n- key: gpu\n  operator: Exists\n  effect: NoExecute\n  tolerationSeconds: 0\n"
        + "affinity:\n  nodeAffinity:\n    requiredDuringSchedulingIgnoredDuringExecution:\n      nodeSelectorTerms:\n"
        + "      - matchExpressions:\n        - key: " + pool + "\n          operator: In\n          values: [gpu-pool]\n"
        + "      - matchExpressions:\n        - key: zone\n          operator: Exists\n"
        + "    preferredDuringSchedulingIgnoredDuringExecution:\n    - weight: 100\n      preference:\n"
        + "        matchExpressions:\n        - key: disk\n          operator: In\n          values: [ssd]\n"
        + "  podAntiAffinity:\n    preferredDuringSchedulingIgnoredDuringExecution:\n    - weight: 1\n"
        + "      podAffinityTerm:\n        topologyKey: kubernetes.io/hostname\n        labelSelector:\n"
        + "          matchLabels: {chainer.dev/job-name: other}\n"))));
  }
}
