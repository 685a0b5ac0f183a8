package dev.chainer.operator.cli;

import dev.chainer.operator.config.ClientConfig;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** kubectl's flags for reaching a cluster, shared by the user commands: --kubeconfig, --context, -n. */
public final class ClusterOptions {
  @Option(names = "--kubeconfig", description = "Path to the kubeconfig file (default: $KUBECONFIG, else "
      + "~/.kube/config; in a pod, its service account).")
  Path kubeconfig;

  @Option(names = "--context", description = "The kubeconfig context to use (default: its current context).")
  String context;

  @Option(names = {"-n", "--namespace"}, description = "Namespace (default: the context's namespace, else "
      + "'default').")
  String namespace;

  /** A client for the chosen cluster and context, in the chosen namespace. */
  public KubernetesClient client() {
    Config config = kubeconfig == null ? Config.autoConfigure(context)
        : Config.fromKubeconfig(context, kubeconfig.toFile());
    if (namespace != null && !namespace.isBlank()) {
      config.setNamespace(namespace);
    } else if (config.getNamespace() == null) {
      config.setNamespace("default");
    }
    return new KubernetesClientBuilder().withConfig(ClientConfig.withoutCleartextHttp2(config)).build();
  }

  /** The namespace given with -n, or null. */
  public String explicitNamespace() {
    return namespace == null || namespace.isBlank() ? null : namespace;
  }
}
