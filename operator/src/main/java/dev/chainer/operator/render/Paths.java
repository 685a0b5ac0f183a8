package dev.chainer.operator.render;

/** Fixed places inside the training containers. Documented in the README's image contract. */
public final class Paths {
  /** Where the source data store (or the git clone, or a copy of a ConfigMap/Secret) appears. */
  public static final String SOURCE = "/opt/chainer/source";
  /** Where a ConfigMap or Secret source is mounted read-only before being copied to {@link #SOURCE}. */
  public static final String SOURCE_FILES = "/opt/chainer/source-files";
  /** Where a data store being downloaded is mounted in its copy step. */
  public static final String STORES = "/opt/chainer/stores";
  /** Where a download step writes its copy, before the training container mounts it at pathOnCompute. */
  public static final String DOWNLOADS = "/opt/chainer/downloads";
  /** Default parent of inputs' pathOnCompute. */
  public static final String DATA = "/opt/chainer/data";
  /** Default path of the resumeFrom checkpoint. */
  public static final String MODEL_LOCATION = "/opt/chainer/model-location";
  /** Packages installed for the job: a pip user base, or a conda environment. */
  public static final String PYTHON = "/opt/chainer/python";
  public static final String PIP_USER_BASE = PYTHON + "/user";
  public static final String CONDA_ENV = PYTHON + "/conda";
  /** The job's SSH key pair (Secret). */
  public static final String SSH = "/etc/chainer/ssh";
  public static final String SSH_PRIVATE_KEY = SSH + "/id_ed25519";
  /** Where a restricted job's init step reads the SSH Secret, to copy it to {@link #SSH} as the pod's user. */
  public static final String SSH_SECRET = "/etc/chainer/ssh-secret";
  /** The job's hostfile and SSH client / server configuration (ConfigMap). */
  public static final String MPI = "/etc/chainer/mpi";
  public static final String HOSTFILE = MPI + "/hostfile";
  public static final String SSH_CONFIG = MPI + "/ssh_config";
  public static final String SSHD_CONFIG = MPI + "/sshd_config";
  public static final String SHM = "/dev/shm";

  private Paths() {}

  public static String join(String base, String relative) {
    if (relative == null || relative.isEmpty() || relative.equals(".")) {
      return base;
    }
    return base.endsWith("/") ? base + relative : base + "/" + relative;
  }
}
