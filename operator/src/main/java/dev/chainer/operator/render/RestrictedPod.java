package dev.chainer.operator.render;

import dev.chainer.operator.spec.SecuritySettings;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SecurityContextBuilder;
import java.util.stream.Stream;

/**
 * What makes a pod of a restricted job pass the Pod Security Standard "restricted": a non-root user and group
 * (also the group of mounted Secrets, fsGroup), no privilege escalation, every capability dropped, and the
 * container runtime's default seccomp profile, on every container, init steps included. Root jobs are left as the
 * image has them.
 */
public final class RestrictedPod {
  private RestrictedPod() {}

  public static PodSpec secure(PodSpec pod, SecuritySettings security) {
    if (!security.restricted()) {
      return pod;
    }
    pod.setSecurityContext(new PodSecurityContextBuilder()
        .withRunAsNonRoot(true)
        .withRunAsUser(security.runAsUser())
        .withRunAsGroup(security.runAsGroup())
        .withFsGroup(security.runAsGroup())
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build());
    Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream())
        .forEach(c -> c.setSecurityContext(container()));
    return pod;
  }

  private static SecurityContext container() {
    return new SecurityContextBuilder()
        .withAllowPrivilegeEscalation(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .build();
  }
}
