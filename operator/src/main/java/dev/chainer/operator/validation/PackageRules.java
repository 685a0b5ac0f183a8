package dev.chainer.operator.validation;

import dev.chainer.operator.spec.EffectiveSpec;
import java.util.List;

/**
 * Rules for the pip and conda packages the operator installs: each becomes one argument of pip or conda, so each
 * must be a requirement, not an option ('-r file', '--index-url', '-e'): those would change where packages come from
 * or what is run. Empty lists are fine: nothing is installed.
 */
final class PackageRules {
  private PackageRules() {}

  static void check(EffectiveSpec python, List<Problem> out) {
    check(python.pipPackages(), python.pythonFieldPrefix() + "pipPackages", "pip", out);
    check(python.condaPackages(), python.pythonFieldPrefix() + "condaPackages", "conda", out);
  }

  private static void check(List<String> packages, String field, String installer, List<Problem> out) {
    for (int i = 0; i < packages.size(); i++) {
      String name = packages.get(i);
      String at = field + "[" + i + "]";
      if (name == null || name.isBlank()) {
        out.add(Problem.error(at, "must name a package"));
      } else if (!Rules.refuseControlCharacters(name, at, "a package requirement", out) && name.startsWith("-")) {
        out.add(Problem.error(at, "'" + name + "' is an option of " + installer + ", not a package: list "
            + "requirements only (use pipRequirementsFile or condaDependenciesFile for anything more)"));
      }
    }
  }
}
