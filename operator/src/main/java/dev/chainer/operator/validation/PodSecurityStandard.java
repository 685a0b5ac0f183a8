package dev.chainer.operator.validation;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The Pod Security Standards (kubernetes.io/docs/concepts/security/pod-security-standards), levels baseline and
 * restricted, as the PodSecurity admission plugin checks a pod: each check that fails gives one entry, worded as
 * the plugin words it ({@code allowPrivilegeEscalation != false (container "x" must set ...)}).
 */
public final class PodSecurityStandard {
  public enum Level { BASELINE, RESTRICTED }

  private static final Set<String> BASELINE_CAPABILITIES = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
      "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");
  private static final Set<String> RESTRICTED_VOLUMES = Set.of("configMap", "csi", "downwardAPI", "emptyDir",
      "ephemeral", "persistentVolumeClaim", "projected", "secret");
  private static final Set<String> SAFE_SYSCTLS = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
      "net.ipv4.ip_unprivileged_port_start", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range",
      "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes");

  private final PodSpec pod;
  private final PodSecurityContext podContext;
  private final List<Container> containers;
  private final List<String> violations = new ArrayList<>();

  private PodSecurityStandard(PodSpec pod) {
    this.pod = pod;
    this.podContext = pod.getSecurityContext() == null ? new PodSecurityContext() : pod.getSecurityContext();
    this.containers = Stream.of(pod.getInitContainers(), pod.getContainers()).filter(Objects::nonNull)
        .flatMap(List::stream).toList();
  }

  /** What of the level the pod breaks; empty when it passes. */
  public static List<String> violations(PodSpec pod, Level level) {
    PodSecurityStandard check = new PodSecurityStandard(pod);
    check.baseline();
    if (level == Level.RESTRICTED) {
      check.restricted();
    }
    return check.violations;
  }

  private void baseline() {
    List<String> hostNamespaces = new ArrayList<>();
    if (Boolean.TRUE.equals(pod.getHostNetwork())) {
      hostNamespaces.add("hostNetwork=true");
    }
    if (Boolean.TRUE.equals(pod.getHostPID())) {
      hostNamespaces.add("hostPID=true");
    }
    if (Boolean.TRUE.equals(pod.getHostIPC())) {
      hostNamespaces.add("hostIPC=true");
    }
    if (!hostNamespaces.isEmpty()) {
      violations.add("host namespaces (" + String.join(", ", hostNamespaces) + ")");
    }
    containerRule("privileged", c -> Boolean.TRUE.equals(context(c).getPrivileged()),
        "must not set securityContext.privileged=true");
    List<String> hostPaths = volumes().stream().filter(v -> v.getHostPath() != null).map(Volume::getName).toList();
    if (!hostPaths.isEmpty()) {
      violations.add("hostPath volumes (" + quoted("volume", hostPaths) + ")");
    }
    for (Container c : containers) {
      c.getPorts().stream().filter(p -> p.getHostPort() != null && p.getHostPort() != 0).forEach(p ->
          violations.add("hostPort (container \"" + c.getName() + "\" uses hostPort " + p.getHostPort() + ")"));
    }
    capabilitiesAdded(BASELINE_CAPABILITIES, "non-default capabilities");
    if (isUnconfined(podContext.getSeccompProfile()) || containers.stream().anyMatch(c ->
        isUnconfined(context(c).getSeccompProfile()))) {
      violations.add("seccompProfile (pod or containers must not set securityContext.seccompProfile.type to "
          + "\"Unconfined\")");
    }
    containerRule("procMount", c -> context(c).getProcMount() != null && !"Default".equals(context(c).getProcMount()),
        "must not set securityContext.procMount");
    if (podContext.getSysctls() != null) {
      List<String> unsafe = podContext.getSysctls().stream().map(s -> s.getName())
          .filter(n -> !SAFE_SYSCTLS.contains(n)).toList();
      if (!unsafe.isEmpty()) {
        violations.add("forbidden sysctls (" + String.join(", ", unsafe) + ")");
      }
    }
  }

  private void restricted() {
    Map<String, String> restricted = new LinkedHashMap<>();
    for (Volume v : volumes()) {
      volumeType(v).filter(t -> !RESTRICTED_VOLUMES.contains(t)).ifPresent(t -> restricted.put(v.getName(), t));
    }
    if (!restricted.isEmpty()) {
      violations.add("restricted volume types (" + restricted.entrySet().stream().map(e -> "volume \"" + e.getKey()
          + "\" uses restricted volume type \"" + e.getValue() + "\"").collect(Collectors.joining(", ")) + ")");
    }
    containerRule("allowPrivilegeEscalation != false", c -> !Boolean.FALSE.equals(context(c)
        .getAllowPrivilegeEscalation()), "must set securityContext.allowPrivilegeEscalation=false");
    List<String> undropped = containers.stream().filter(c -> !drops(context(c).getCapabilities(), "ALL"))
        .map(Container::getName).toList();
    if (!undropped.isEmpty()) {
      violations.add("unrestricted capabilities (" + quoted("container", undropped)
          + " must set securityContext.capabilities.drop=[\"ALL\"])");
    }
    capabilitiesAdded(Set.of("NET_BIND_SERVICE"), "unrestricted capabilities");
    boolean podNonRoot = Boolean.TRUE.equals(podContext.getRunAsNonRoot());
    List<String> maybeRoot = containers.stream().filter(c -> Boolean.FALSE.equals(context(c).getRunAsNonRoot())
        || !podNonRoot && !Boolean.TRUE.equals(context(c).getRunAsNonRoot())).map(Container::getName).toList();
    if (!maybeRoot.isEmpty()) {
      violations.add("runAsNonRoot != true (pod or " + quoted("container", maybeRoot)
          + " must set securityContext.runAsNonRoot=true)");
    }
    if (Long.valueOf(0).equals(podContext.getRunAsUser())) {
      violations.add("runAsUser=0 (pod must not set runAsUser=0)");
    }
    containerRule("runAsUser=0", c -> Long.valueOf(0).equals(context(c).getRunAsUser()), "must not set runAsUser=0");
    boolean podSeccomp = isConfined(podContext.getSeccompProfile());
    List<String> unconfined = containers.stream().filter(c -> !podSeccomp && !isConfined(context(c)
        .getSeccompProfile())).map(Container::getName).toList();
    if (!unconfined.isEmpty()) {
      violations.add("seccompProfile (pod or " + quoted("container", unconfined)
          + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")");
    }
  }

  private void containerRule(String name, Predicate<Container> broken, String must) {
    List<String> names = containers.stream().filter(broken).map(Container::getName).toList();
    if (!names.isEmpty()) {
      violations.add(name + " (" + quoted("container", names) + " " + must + ")");
    }
  }

  private void capabilitiesAdded(Set<String> allowed, String name) {
    for (Container c : containers) {
      Capabilities caps = context(c).getCapabilities();
      List<String> extra = caps == null || caps.getAdd() == null ? List.of()
          : caps.getAdd().stream().filter(a -> !allowed.contains(a)).toList();
      if (!extra.isEmpty()) {
        violations.add(name + " (container \"" + c.getName() + "\" must not include " + extra.stream()
            .map(a -> "\"" + a + "\"").collect(Collectors.joining(", ")) + " in securityContext.capabilities.add)");
      }
    }
  }

  private static boolean drops(Capabilities caps, String capability) {
    return caps != null && caps.getDrop() != null && caps.getDrop().contains(capability);
  }

  private static boolean isUnconfined(io.fabric8.kubernetes.api.model.SeccompProfile p) {
    return p != null && "Unconfined".equals(p.getType());
  }

  private static boolean isConfined(io.fabric8.kubernetes.api.model.SeccompProfile p) {
    return p != null && ("RuntimeDefault".equals(p.getType()) || "Localhost".equals(p.getType()));
  }

  private List<Volume> volumes() {
    return pod.getVolumes() == null ? List.of() : pod.getVolumes();
  }

  /** The volume's source, named as in the API (emptyDir, nfs, hostPath...). */
  private static java.util.Optional<String> volumeType(Volume v) {
    Map<String, Function<Volume, Object>> sources = new LinkedHashMap<>();
    sources.put("configMap", Volume::getConfigMap);
    sources.put("csi", Volume::getCsi);
    sources.put("downwardAPI", Volume::getDownwardAPI);
    sources.put("emptyDir", Volume::getEmptyDir);
    sources.put("ephemeral", Volume::getEphemeral);
    sources.put("persistentVolumeClaim", Volume::getPersistentVolumeClaim);
    sources.put("projected", Volume::getProjected);
    sources.put("secret", Volume::getSecret);
    sources.put("hostPath", Volume::getHostPath);
    sources.put("nfs", Volume::getNfs);
    sources.put("gitRepo", Volume::getGitRepo);
    sources.put("iscsi", Volume::getIscsi);
    sources.put("cephfs", Volume::getCephfs);
    sources.put("rbd", Volume::getRbd);
    sources.put("image", Volume::getImage);
    return sources.entrySet().stream().filter(e -> e.getValue().apply(v) != null).map(Map.Entry::getKey).findFirst()
        .or(() -> java.util.Optional.of("unknown"));
  }

  private static SecurityContext context(Container c) {
    return c.getSecurityContext() == null ? new SecurityContext() : c.getSecurityContext();
  }

  private static String quoted(String noun, List<String> names) {
    return (names.size() == 1 ? noun : noun + "s") + " " + names.stream().map(n -> "\"" + n + "\"")
        .collect(Collectors.joining(", "));
  }
}
