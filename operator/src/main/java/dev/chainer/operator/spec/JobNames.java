package dev.chainer.operator.spec;

/** The names of everything a job owns, derived from the job's name alone so they survive operator restarts. */
public record JobNames(String job, String namespace, String clusterDomain) {
  /** The launcher pod's container, whose exit is the attempt's result and whose log carries progress. */
  public static final String LAUNCHER_CONTAINER = "launcher";

  public String workerService() {
    return job + "-worker";
  }

  public String workerStatefulSet() {
    return job + "-worker";
  }

  public String mpiConfigMap() {
    return job + "-mpi";
  }

  /** Each attempt has its own key pair, so a launcher left from an earlier attempt cannot reach new workers. */
  public String sshSecret(int attempt) {
    return attempt == 0 ? job + "-ssh" : job + "-ssh-" + attempt;
  }

  /** The gang of one attempt's workers: {@code <job>-gang}, then {@code <job>-gang-<n>}. */
  public String podGroup(int attempt) {
    return attempt == 0 ? job + "-gang" : job + "-gang-" + attempt;
  }

  public String registrySecret() {
    return job + "-registry";
  }

  /** The claim the operator creates for the job's outputs (spec.outputs.claimTemplate). */
  public String outputsClaim() {
    return job + "-outputs";
  }

  /** The launcher of the first attempt is {@code <job>-launcher}; a restarted job's is {@code <job>-launcher-<n>}. */
  public String launcherPod(int attempt) {
    return attempt == 0 ? job + "-launcher" : job + "-launcher-" + attempt;
  }

  /** Host name of the launcher pod, the same for every attempt. */
  public String launcherHostname() {
    return job + "-launcher";
  }

  /** Whether an object of this name is one the job would create (so one it does not own blocks the job). */
  public boolean isJobsName(String name) {
    if (name.equals(workerService()) || name.equals(mpiConfigMap()) || name.equals(registrySecret())
        || name.equals(outputsClaim())) {
      return true;
    }
    String rest = name.startsWith(job + "-") ? name.substring(job.length() + 1) : "";
    return rest.matches("(launcher|ssh|gang)(-[0-9]+)?|worker-[0-9]+");
  }

  public String workerPod(int index) {
    return workerStatefulSet() + "-" + index;
  }

  /** The DNS domain of the headless Service, in which workers and launcher resolve each other. */
  public String serviceDomain() {
    String domain = workerService() + "." + namespace + ".svc";
    return clusterDomain == null || clusterDomain.isEmpty() ? domain : domain + "." + clusterDomain;
  }

  public String workerHost(int index) {
    return workerPod(index) + "." + serviceDomain();
  }
}
