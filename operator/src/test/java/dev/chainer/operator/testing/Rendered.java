package dev.chainer.operator.testing;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.render.SshKeyPair;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/** Renders a job and reads the objects as a user inspecting them would (after the kubelet's unescaping). */
public record Rendered(DesiredObjects objects) {
  public static final SshKeyPair KEYS = SshKeyPair.generate("test");

  public static Rendered of(ChainerJob job) {
    return of(job, OperatorConfig.defaults());
  }

  public static Rendered of(ChainerJob job, OperatorConfig config) {
    return new Rendered(JobRenderer.render(job, config, KEYS, "s3cret", 0));
  }

  public PodSpec launcherPod() {
    return objects.launcher().getSpec();
  }

  public PodSpec workerPod() {
    return objects.workers().orElseThrow().getSpec().getTemplate().getSpec();
  }

  public Container launcher() {
    return launcherPod().getContainers().get(0);
  }

  public Container worker() {
    return workerPod().getContainers().get(0);
  }

  /** command + args as the process receives them. */
  public static List<String> argv(Container c) {
    List<String> all = new java.util.ArrayList<>(c.getCommand());
    if (c.getArgs() != null) {
      all.addAll(c.getArgs());
    }
    return all.stream().map(KubeletExpansion::expand).toList();
  }

  /** The environment as the process sees it (later entries win, as in Kubernetes). */
  public static Map<String, String> env(Container c) {
    Map<String, String> env = new LinkedHashMap<>();
    if (c.getEnv() != null) {
      for (EnvVar v : c.getEnv()) {
        env.put(v.getName(), v.getValue() == null ? null : KubeletExpansion.expand(v.getValue()));
      }
    }
    return env;
  }

  public static Volume volume(PodSpec pod, String name) {
    return pod.getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no volume " + name + " in " + pod.getVolumes()));
  }

  public static VolumeMount mountAt(Container c, String path) {
    return c.getVolumeMounts().stream().filter(m -> m.getMountPath().equals(path)).findFirst()
        .orElseThrow(() -> new NoSuchElementException("nothing mounted at " + path + " in " + c.getVolumeMounts()));
  }

  public static Container init(PodSpec pod, String name) {
    return pod.getInitContainers().stream().filter(c -> c.getName().equals(name)).findFirst()
        .orElseThrow(() -> new NoSuchElementException("no init container " + name + " in "
            + pod.getInitContainers().stream().map(Container::getName).toList()));
  }

  public static List<String> initNames(PodSpec pod) {
    return pod.getInitContainers().stream().map(Container::getName).toList();
  }
}
