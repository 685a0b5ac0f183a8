package dev.chainer.operator.testing;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.validation.JobFiles;

/** ChainerJobs for tests, written as the YAML a user would write. */
public final class TestJobs {
  private TestJobs() {}

  /** A job named {@code name} in namespace {@code ns} with the given spec body (YAML, indented by 2). */
  public static ChainerJob job(String name, String specYaml) {
    String yaml = "apiVersion: chainer.dev/v1\nkind: ChainerJob\nmetadata:\n  name: " + name
        + "\n  namespace: team-a\n  uid: 0b7c6f3e-1111-2222-3333-444455556666\nspec:\n"
        + specYaml.stripIndent().lines().map(l -> "  " + l).reduce("", (a, b) -> a + b + "\n");
    try {
      return JobFiles.bind(yaml);
    } catch (JobFiles.InvalidJobFile e) {
      throw new IllegalArgumentException(e.getMessage() + "\n" + yaml, e);
    }
  }

  public static ChainerJob job(String specYaml) {
    return job("train", specYaml);
  }

  /** The smallest valid single-process job plus the given extra spec lines (a key given there replaces the base's). */
  public static ChainerJob minimal(String extra) {
    return job(over("sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\n", extra));
  }

  /** A valid MPI job (2 workers x 2 processes, OpenMPI) plus the given extra spec lines (which replace base keys). */
  public static ChainerJob mpi(String extra) {
    return job(over("sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\nnodeCount: 2\n"
        + "distributedTraining:\n  mpi:\n    processCountPerNode: 2\n", extra));
  }

  /**
   * The base spec without the top-level keys {@code extra} gives, then {@code extra}: a key written twice is a
   * duplicate key, which the file readers refuse as kubectl does.
   */
  private static String over(String base, String extra) {
    java.util.Set<String> given = new java.util.HashSet<>();
    extra.lines().filter(l -> !l.isEmpty() && !Character.isWhitespace(l.charAt(0)) && !l.startsWith("-")
        && l.indexOf(':') > 0).forEach(l -> given.add(l.substring(0, l.indexOf(':'))));
    StringBuilder kept = new StringBuilder();
    boolean skipping = false;
    for (String line : base.lines().toList()) {
      boolean top = !line.isEmpty() && !Character.isWhitespace(line.charAt(0));
      if (top) {
        skipping = given.contains(line.substring(0, line.indexOf(':')));
      }
      if (!skipping) {
        kept.append(line).append('\n');
      }
    }
    return kept + extra;
  }
}
