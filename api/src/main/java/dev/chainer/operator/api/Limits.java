package dev.chainer.operator.api;

/**
 * How large a ChainerJob may be. The CRD declares these bounds (so the API server's CEL cost estimate stays far
 * inside its budget, and no integer can exceed what its Java type holds) and the operator's validator enforces the
 * same ones, by checking each job against the CRD's own schema. Generous for training jobs; the README lists them.
 */
public final class Limits {
  /** Worker pods are named <job>-worker-<n>; a StatefulSet name must leave room for its revision-hash suffix. */
  public static final int MAX_JOB_NAME_LENGTH = 45;
  /** Worker pods; with {@link #MAX_PROCESSES_PER_NODE}, mpirun's -np fits an int and the hostfile a ConfigMap. */
  public static final int MAX_NODES = 1000;
  public static final int MAX_PROCESSES_PER_NODE = 128;
  public static final int MAX_INPUTS = 32;
  /** Files of a ConfigMap or Secret store laid out by path (a packed source directory): a ConfigMap holds 1 MiB. */
  public static final int MAX_STORE_FILES = 2048;
  public static final int MAX_SCRIPT_PARAMS = 256;
  public static final int MAX_ARGUMENTS = 256;
  public static final int MAX_PACKAGES = 256;
  public static final int MAX_ENVIRONMENT_VARIABLES = 256;
  /** Labels, annotations and node selector entries per pod role. */
  public static final int MAX_POD_MAP_ENTRIES = 64;
  public static final int MAX_TOLERATIONS = 32;
  public static final int MAX_BACKOFF_LIMIT = 100;
  /** Restarts after disruptions: a spot pool may preempt often, so far more than failures. */
  public static final int MAX_DISRUPTION_LIMIT = 1000;
  /** Seconds fields end up in int32 API fields (activeDeadlineSeconds) and in Java ints. */
  public static final long MAX_SECONDS = Integer.MAX_VALUE;
  /** A path or file name. */
  public static final int MAX_PATH_LENGTH = 1024;
  /** An object name a field refers to (Secret, ConfigMap, PVC, PriorityClass, ...). */
  public static final int MAX_REFERENCE_NAME_LENGTH = 253;
  /** Status counters the operator writes; JSON numbers above 2^53 lose precision in many clients. */
  public static final double MAX_STATUS_COUNT = 9007199254740991d;

  private Limits() {}
}
