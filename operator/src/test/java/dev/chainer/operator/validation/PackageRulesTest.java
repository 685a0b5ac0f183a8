package dev.chainer.operator.validation;

import static dev.chainer.operator.testing.TestJobs.job;
import static dev.chainer.operator.testing.TestJobs.minimal;

import dev.chainer.operator.api.ChainerJob;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each pip or conda package becomes one argument of the installer: a requirement, never an option. */
class PackageRulesTest {
  private static ChainerJob python(String body) {
    return job("sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\nenvironmentDefinition:\n"
        + "  python:\n" + body);
  }

  static Stream<Arguments> refused() {
    return Stream.of(
        Arguments.of("an index URL", minimal("pipPackages: [\"--index-url=https://evil.example/simple\"]\n"),
            "spec.pipPackages[0]", "is an option of pip, not a package"),
        Arguments.of("an editable checkout", minimal("pipPackages: [numpy, \"-e\", \"git+https://x/y\"]\n"),
            "spec.pipPackages[1]", "is an option of pip"),
        Arguments.of("a requirements file", python("    pipPackages: [\"-rrequirements.txt\"]\n"),
            "spec.environmentDefinition.python.pipPackages[0]", "is an option of pip"),
        Arguments.of("a conda channel", minimal("condaPackages: [\"--channel=evil\"]\n"), "spec.condaPackages[0]",
            "is an option of conda"),
        Arguments.of("NUL in a package", minimal("pipPackages: [\"numpy\\0\"]\n"), "spec.pipPackages[0]",
            "control character U+0000 at position 5: a package requirement"),
        Arguments.of("newline in a package", minimal("pipPackages: [\"numpy\\n--pre\"]\n"), "spec.pipPackages[0]",
            "U+000A"),
        Arguments.of("escape in a conda package", python("    condaPackages: [\"\\enumpy\"]\n"),
            "spec.environmentDefinition.python.condaPackages[0]", "U+001B"),
        Arguments.of("an empty package", minimal("pipPackages: [\"\"]\n"), "spec.pipPackages[0]",
            "must name a package"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void isRefusedNamingThePackageAndTheRule(String name, ChainerJob job, String field, String words) {
    Verdicts.refused(job, field, words);
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("requirements with versions and extras", minimal("pipPackages: [\"numpy>=1.20\", "
            + "\"chainer[test]==7.8.1\", \"pkg @ https://x/y.whl\"]\n")),
        Arguments.of("empty lists in environmentDefinition", python("    pipPackages: []\n    condaPackages: []\n")),
        Arguments.of("empty lists", minimal("pipPackages: []\ncondaPackages: []\n")),
        Arguments.of("empty values next to environmentDefinition, as the estimator's truthiness took them",
            job("sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\n"
                + "environmentDefinition: {}\npipPackages: []\ncondaPackages: []\nuseGpu: false\n"
                + "userManaged: false\nenvironmentVariables: {}\n")),
        Arguments.of("empty lists next to a conda file", minimal("condaDependenciesFile: env.yml\npipPackages: []\n")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void isAccepted(String name, ChainerJob job) {
    Verdicts.accepted(job);
  }
}
