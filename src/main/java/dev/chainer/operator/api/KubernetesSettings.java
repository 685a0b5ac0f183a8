package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Kubernetes-native additions, kept apart from the estimator's parameters. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubernetesSettings {
  @JsonPropertyDescription("Settings of the launcher pod (the pod that runs mpirun, or the script itself "
      + "for a single-process job).")
  private PodSettings launcher;

  @JsonPropertyDescription("Settings of the worker pods (where the MPI ranks run).")
  private PodSettings worker;

  public PodSettings getLauncher() { return launcher; }
  public void setLauncher(PodSettings v) { this.launcher = v; }
  public PodSettings getWorker() { return worker; }
  public void setWorker(PodSettings v) { this.worker = v; }
}
