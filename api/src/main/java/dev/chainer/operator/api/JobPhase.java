package dev.chainer.operator.api;

/** The Azure ML run states that apply to a job on Kubernetes. */
public enum JobPhase {
  Queued,
  Preparing,
  Starting,
  Running,
  Finalizing,
  Completed,
  Failed,
  CancelRequested,
  Canceled;

  public boolean isTerminal() {
    return this == Completed || this == Failed || this == Canceled;
  }
}
