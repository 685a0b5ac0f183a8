package dev.chainer.operator.api;

/** The MPI flavour the training image ships; it decides the hostfile syntax and the launcher command. */
public enum MpiImplementation {
  OpenMPI,
  IntelMPI,
  MPICH
}
