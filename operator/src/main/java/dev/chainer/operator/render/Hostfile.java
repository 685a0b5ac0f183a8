package dev.chainer.operator.render;

import dev.chainer.operator.api.MpiImplementation;
import dev.chainer.operator.spec.JobNames;

/** The MPI hostfile: one line per worker, with as many slots as processes per node. */
public final class Hostfile {
  private Hostfile() {}

  public static String render(JobNames names, int workers, int slots, MpiImplementation implementation) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < workers; i++) {
      out.append(line(names.workerHost(i), slots, implementation)).append('\n');
    }
    return out.toString();
  }

  /** OpenMPI writes {@code host slots=N}; the Hydra launchers of Intel MPI and MPICH write {@code host:N}. */
  static String line(String host, int slots, MpiImplementation implementation) {
    return implementation == MpiImplementation.OpenMPI ? host + " slots=" + slots : host + ":" + slots;
  }
}
