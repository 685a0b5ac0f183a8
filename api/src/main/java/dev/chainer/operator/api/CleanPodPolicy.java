package dev.chainer.operator.api;

/** What happens to worker pods once the job has ended. The launcher pod always stays for its logs. */
public enum CleanPodPolicy {
  /** Delete workers that are still running (frees GPUs at once); the default. */
  Running,
  /** Delete every worker. */
  All,
  /** Keep every worker. */
  None
}
