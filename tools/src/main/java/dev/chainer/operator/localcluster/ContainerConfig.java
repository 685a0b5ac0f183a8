package dev.chainer.operator.localcluster;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The kubelet's container environment (pkg/kubelet, makeEnvironmentVariables): {@code envFrom} first, then each
 * {@code env} entry's {@code valueFrom}. A ConfigMap or Secret that does not exist in the pod's namespace, or a key it
 * does not have, is an error unless the reference is optional; the kubelet then cannot create the container and says
 * {@code CreateContainerConfigError} with that error ({@code configmap "x" not found}, {@code secret "x" not found},
 * {@code couldn't find key k in Secret ns/x}) until, at a later sync, it can.
 */
final class ContainerConfig {
  private final KubernetesClient client;

  ContainerConfig(KubernetesClient client) {
    this.client = client;
  }

  /** Why the container cannot be created now; empty when its environment can be made. */
  Optional<String> error(String namespace, Container c) {
    Map<String, Optional<ConfigMap>> configMaps = new HashMap<>();
    Map<String, Optional<Secret>> secrets = new HashMap<>();
    for (EnvFromSource from : list(c.getEnvFrom())) {
      if (from.getConfigMapRef() != null && !optional(from.getConfigMapRef().getOptional())
          && configMap(namespace, from.getConfigMapRef().getName(), configMaps).isEmpty()) {
        return Optional.of("configmap \"" + from.getConfigMapRef().getName() + "\" not found");
      }
      if (from.getSecretRef() != null && !optional(from.getSecretRef().getOptional())
          && secret(namespace, from.getSecretRef().getName(), secrets).isEmpty()) {
        return Optional.of("secret \"" + from.getSecretRef().getName() + "\" not found");
      }
    }
    for (EnvVar env : list(c.getEnv())) {
      if (env.getValueFrom() == null) {
        continue;
      }
      var cmRef = env.getValueFrom().getConfigMapKeyRef();
      if (cmRef != null && !optional(cmRef.getOptional())) {
        Optional<ConfigMap> cm = configMap(namespace, cmRef.getName(), configMaps);
        if (cm.isEmpty()) {
          return Optional.of("configmap \"" + cmRef.getName() + "\" not found");
        }
        if (cm.get().getData() == null || !cm.get().getData().containsKey(cmRef.getKey())) {
          return Optional.of("couldn't find key " + cmRef.getKey() + " in ConfigMap " + namespace + "/"
              + cmRef.getName());
        }
      }
      var secretRef = env.getValueFrom().getSecretKeyRef();
      if (secretRef != null && !optional(secretRef.getOptional())) {
        Optional<Secret> secret = secret(namespace, secretRef.getName(), secrets);
        if (secret.isEmpty()) {
          return Optional.of("secret \"" + secretRef.getName() + "\" not found");
        }
        // stringData too: the in-process store keeps it where an API server would have merged it into data
        boolean has = (secret.get().getData() != null && secret.get().getData().containsKey(secretRef.getKey()))
            || (secret.get().getStringData() != null && secret.get().getStringData().containsKey(secretRef.getKey()));
        if (!has) {
          return Optional.of("couldn't find key " + secretRef.getKey() + " in Secret " + namespace + "/"
              + secretRef.getName());
        }
      }
    }
    return Optional.empty();
  }

  /** Whether the container names any ConfigMap or Secret in its environment (else nothing to look up). */
  static boolean refersToObjects(Container c) {
    return !list(c.getEnvFrom()).isEmpty() || list(c.getEnv()).stream().anyMatch(e -> e.getValueFrom() != null
        && (e.getValueFrom().getConfigMapKeyRef() != null || e.getValueFrom().getSecretKeyRef() != null));
  }

  private Optional<ConfigMap> configMap(String namespace, String name, Map<String, Optional<ConfigMap>> seen) {
    return seen.computeIfAbsent(name, n -> Optional.ofNullable(client.configMaps().inNamespace(namespace)
        .withName(n).get()));
  }

  private Optional<Secret> secret(String namespace, String name, Map<String, Optional<Secret>> seen) {
    return seen.computeIfAbsent(name, n -> Optional.ofNullable(client.secrets().inNamespace(namespace)
        .withName(n).get()));
  }

  private static boolean optional(Boolean b) {
    return Boolean.TRUE.equals(b);
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
