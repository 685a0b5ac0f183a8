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

  /** The smallest valid single-process job plus the given extra spec lines. */
  public static ChainerJob minimal(String extra) {
    return job("sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\n" + extra);
  }

  /** A valid MPI job (2 workers x 2 processes, OpenMPI) plus the given extra spec lines. */
  public static ChainerJob mpi(String extra) {
    return job("sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\nnodeCount: 2\n"
        + "distributedTraining:\n  mpi:\n    processCountPerNode: 2\n" + extra);
  }
}
