package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** Kubernetes-native additions, kept apart from the estimator's parameters. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class KubernetesSettings {
  @JsonPropertyDescription("Settings of the launcher pod (the pod that runs mpirun, or the script itself "
      + "for a single-process job).")
  private PodSettings launcher;

  @JsonPropertyDescription("Settings of the worker pods (where the MPI ranks run).")
  private PodSettings worker;

  @JsonPropertyDescription("How the job's pods run: root (as the image's user, usually root; the default unless "
      + "the operator is configured otherwise) or restricted (every pod passes the Pod Security Standard "
      + "'restricted': a non-root user, no privilege escalation, every capability dropped, the RuntimeDefault "
      + "seccomp profile, and sshd on an unprivileged port).")
  private SecurityProfile securityProfile;

  @JsonPropertyDescription("User id of every container under securityProfile restricted (default: the "
      + "operator's, 1000). The image needs a passwd entry for it.")
  @Min(0)
  @Max(Integer.MAX_VALUE)
  private Long runAsUser;

  @JsonPropertyDescription("Group id of every container, and of the mounted SSH keys (fsGroup), under "
      + "securityProfile restricted (default: the operator's, 1000).")
  @Min(0)
  @Max(Integer.MAX_VALUE)
  private Long runAsGroup;

  @JsonPropertyDescription("When the kubelet pulls the training image: Always, IfNotPresent or Never. Unset: "
      + "Kubernetes' default (Always for a :latest or untagged image, else IfNotPresent).")
  private ImagePullPolicy imagePullPolicy;

  public ImagePullPolicy getImagePullPolicy() { return imagePullPolicy; }
  public void setImagePullPolicy(ImagePullPolicy v) { this.imagePullPolicy = v; }

  /** Kubernetes' container imagePullPolicy values. */
  public enum ImagePullPolicy { Always, IfNotPresent, Never }

  public SecurityProfile getSecurityProfile() { return securityProfile; }
  public void setSecurityProfile(SecurityProfile v) { this.securityProfile = v; }
  public Long getRunAsUser() { return runAsUser; }
  public void setRunAsUser(Long v) { this.runAsUser = v; }
  public Long getRunAsGroup() { return runAsGroup; }
  public void setRunAsGroup(Long v) { this.runAsGroup = v; }
  public PodSettings getLauncher() { return launcher; }
  public void setLauncher(PodSettings v) { this.launcher = v; }
  public PodSettings getWorker() { return worker; }
  public void setWorker(PodSettings v) { this.worker = v; }
}
