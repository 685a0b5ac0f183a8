package dev.chainer.operator.validation;

import static dev.chainer.operator.testing.TestJobs.minimal;
import static dev.chainer.operator.validation.DoorAssertions.assertAccepted;
import static dev.chainer.operator.validation.DoorAssertions.assertRefused;
import static dev.chainer.operator.validation.DoorAssertions.errors;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** spec.managedBy values no controller would ever pick up are refused, naming the field and Kubernetes' rule. */
class ManagedByRuleTest {
  private static ChainerJob managedBy(String value) {
    ChainerJob job = minimal("");
    job.getSpec().setManagedBy(value);
    return job;
  }

  static Stream<Arguments> refused() {
    String path = "must be a domain-prefixed path";
    return Stream.of(
        Arguments.of("", path, "'' (empty)"),
        Arguments.of(" ", path, "' '"),
        Arguments.of("chainer.dev/chainer-operator ", path, "operator '"),
        Arguments.of("chainer-operator", path, "'chainer-operator'"),
        Arguments.of("Example.com/controller", path, "'Example.com/controller'"),
        Arguments.of("example.com//controller", path, "//"),
        Arguments.of("example.com/controller/", path, "controller/'"),
        Arguments.of("chainer.dev/chainer-operator/", path, "operator/'"),
        Arguments.of("chainer.dev/chainer\u2010operator", path, "chainer\u2010operator"),
        Arguments.of("chainer.dev/chainer-operator\n", path, "\\u000a"),
        Arguments.of("/controller", path, "'/controller'"),
        Arguments.of("example.com/" + "x".repeat(52), "at most 63 characters", "(64 characters)"),
        Arguments.of("chainer.dev/Chainer-Operator", "only in case", "'chainer.dev/Chainer-Operator'"),
        Arguments.of("chainer.dev/CHAINER-OPERATOR", "only in case", "CHAINER-OPERATOR"));
  }

  @ParameterizedTest
  @MethodSource("refused")
  void aValueNoControllerWouldPickUpIsRefused(String value, String rule, String shown) {
    assertRefused(errors(managedBy(value)), "spec.managedBy", rule, shown, "no controller would ever run the job");
    assertFalse(ManagedByRule.isValid(value), "the operator reports it instead of leaving it to nobody");
  }

  @ParameterizedTest
  @ValueSource(strings = {"chainer.dev/chainer-operator", "kueue.x-k8s.io/multikueue", "example.com/team/ctl-v2",
      "a.b/c:d~e"})
  void aControllersNameIsAccepted(String value) {
    assertAccepted(errors(managedBy(value)));
    assertTrue(ManagedByRule.isValid(value));
  }
}
