package dev.chainer.operator.localcluster;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What a launcher prints, for the simulated kubelet: the trainer's report, and, for a job that keeps its outputs,
 * what the snapshots on its store make of it. A real trainer writes a snapshot per epoch into the outputs, which
 * outlive its pods; the launcher's resume step of the next attempt finds the newest, prints its fixed line, and the
 * trainer carries on after that epoch. Here the "store" is a map from the outputs volume (claim or NFS export, and
 * the job's directory on it) to the last epoch a launcher reported there.
 */
final class SimulatedTrainer {
  /** Iterations a simulated epoch stands for, in the snapshots' names. */
  static final int ITERATIONS_PER_EPOCH = 100;
  private final Map<String, Integer> lastSnapshot = new ConcurrentHashMap<>();

  /**
   * The launcher's whole output: the report as configured, after the resume line and without the epochs before the
   * snapshot when its resume step finds one.
   */
  List<String> output(Pod launcher, List<String> report) {
    Optional<String> store = store(launcher);
    Integer epoch = store.map(lastSnapshot::get).orElse(null);
    if (epoch == null || !resumes(launcher)) {
      return report;
    }
    String dir = env(launcher, "CHAINER_CHECKPOINT_DIR").orElse("/opt/chainer/outputs");
    int iteration = epoch * ITERATIONS_PER_EPOCH;
    List<String> out = new ArrayList<>();
    out.add("chainer-operator: resuming from " + dir + "/snapshot_iter_" + iteration + " (iteration " + iteration
        + ")");
    for (String line : report) {
      Integer row = epochOf(line);
      if (row == null || row > epoch) {
        out.add(line);
      }
    }
    return out;
  }

  /** A report row was printed: the trainer wrote that epoch's snapshot to the job's outputs, if it keeps any. */
  void printed(Pod launcher, List<String> lines) {
    store(launcher).ifPresent(store -> lines.stream().map(SimulatedTrainer::epochOf).filter(e -> e != null)
        .forEach(e -> lastSnapshot.merge(store, e, Math::max)));
  }

  private static Integer epochOf(String line) {
    String first = line.strip().split("\\s+")[0];
    return first.matches("[0-9]{1,6}") && line.strip().contains(" ") ? Integer.valueOf(first) : null;
  }

  private static boolean resumes(Pod launcher) {
    Container c = launcher.getSpec().getContainers().get(0);
    return (c.getArgs() != null && c.getArgs().contains("chainer-resume"))
        || (c.getCommand() != null && c.getCommand().contains("chainer-resume"));
  }

  /** The outputs volume of the launcher and the job's directory on it, as one name; empty without outputs. */
  private static Optional<String> store(Pod launcher) {
    Optional<Volume> volume = launcher.getSpec().getVolumes().stream().filter(v -> v.getName().equals("outputs"))
        .findFirst();
    String subPath = launcher.getSpec().getContainers().get(0).getVolumeMounts().stream()
        .filter(m -> m.getName().equals("outputs")).map(VolumeMount::getSubPath).findFirst().orElse("");
    return volume.map(v -> launcher.getMetadata().getNamespace() + "/" + (v.getPersistentVolumeClaim() != null
        ? "pvc:" + v.getPersistentVolumeClaim().getClaimName()
        : v.getNfs() != null ? "nfs:" + v.getNfs().getServer() + ":" + v.getNfs().getPath() : "other") + "/" + subPath);
  }

  private static Optional<String> env(Pod pod, String name) {
    List<EnvVar> env = pod.getSpec().getContainers().get(0).getEnv();
    return env == null ? Optional.empty() : env.stream().filter(e -> e.getName().equals(name))
        .map(EnvVar::getValue).findFirst();
  }
}
