package dev.chainer.operator.render;

import dev.chainer.operator.api.PodSettings;
import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every pod that runs training code shares (workers, and the launcher of a single-process job):
 * the memory-backed /dev/shm, code, data and packages with their init steps, the training environment,
 * and GPU limits.
 */
public final class TrainingPod {
  public static final String SHM_VOLUME = "shm";
  private static final String SSH_VOLUME = "ssh-keys";
  private static final String MPI_VOLUME = "mpi-config";
  private static final String SSH_PRIVATE_VOLUME = "ssh-private";

  private TrainingPod() {}

  /** Environment of every training container; the launcher of an MPI job forwards it to all ranks. */
  public static List<EnvVar> environment(RenderContext ctx) {
    Map<String, EnvVar> env = new LinkedHashMap<>();
    put(env, new EnvVar(OperatorEnvironment.RUN_ID, KubeletEscape.escape(ctx.jobName()), null));
    ctx.data().environment().forEach(v -> put(env, v));
    OutputsVolume.environment(ctx.outputs(), ctx.jobName()).forEach(v -> put(env, v));
    ctx.packages().environment().forEach(v -> put(env, v));
    // The user's variables come last so that they win over the defaults above.
    ctx.effective().environmentVariables().forEach((k, v) -> put(env, new EnvVar(k, KubeletEscape.escape(v), null)));
    return new ArrayList<>(env.values());
  }

  private static void put(Map<String, EnvVar> env, EnvVar var) {
    env.remove(var.getName());
    env.put(var.getName(), var);
  }

  public static List<Volume> volumes(RenderContext ctx) {
    List<Volume> volumes = new ArrayList<>();
    volumes.add(new VolumeBuilder().withName(SHM_VOLUME).withNewEmptyDir().withMedium("Memory")
        .withSizeLimit(new Quantity(ctx.effective().shmSize())).endEmptyDir().build());
    volumes.addAll(ctx.data().volumes());
    OutputsVolume.volume(ctx.outputs()).ifPresent(volumes::add);
    volumes.addAll(ctx.packages().volumes());
    return volumes;
  }

  public static List<VolumeMount> mounts(RenderContext ctx) {
    List<VolumeMount> mounts = new ArrayList<>();
    mounts.add(DataMounts.mount(SHM_VOLUME, Paths.SHM, null, false));
    mounts.addAll(ctx.data().mounts());
    mounts.addAll(OutputsVolume.mounts(ctx.outputs(), ctx.data().workingDirectory()));
    mounts.addAll(ctx.packages().mounts());
    return mounts;
  }

  public static List<Container> initContainers(RenderContext ctx) {
    List<Container> steps = new ArrayList<>(ctx.data().initContainers());
    steps.addAll(ctx.packages().initContainers(ctx.effective().image(), ctx.data().mounts()));
    return steps;
  }

  /**
   * The job's SSH keys and MPI configuration. As root the Secret is mounted at {@link Paths#SSH}, 0400 (OpenSSH
   * refuses a private key that others can read). A restricted job's user could not own the Secret's files (the
   * kubelet writes them as root, readable through fsGroup: 0440), so an init step copies them, as that user, into a
   * private memory-backed directory at {@link Paths#SSH}: owned by the user, 0600, as OpenSSH wants its keys.
   */
  public static List<Volume> mpiVolumes(RenderContext ctx) {
    boolean restricted = ctx.security().restricted();
    List<Volume> volumes = new ArrayList<>(List.of(
        new VolumeBuilder().withName(SSH_VOLUME).withNewSecret().withSecretName(ctx.names().sshSecret(ctx.attempt()))
            .withDefaultMode(restricted ? 0440 : 0400).endSecret().build(),
        new VolumeBuilder().withName(MPI_VOLUME).withNewConfigMap().withName(ctx.names().mpiConfigMap())
            .endConfigMap().build()));
    if (restricted) {
      volumes.add(new VolumeBuilder().withName(SSH_PRIVATE_VOLUME).withNewEmptyDir().withMedium("Memory")
          .withSizeLimit(new Quantity("1Mi")).endEmptyDir().build());
    }
    return volumes;
  }

  public static List<VolumeMount> mpiMounts(RenderContext ctx) {
    return List.of(ctx.security().restricted() ? DataMounts.mount(SSH_PRIVATE_VOLUME, Paths.SSH, null, false)
            : DataMounts.mount(SSH_VOLUME, Paths.SSH, null, true),
        DataMounts.mount(MPI_VOLUME, Paths.MPI, null, true));
  }

  /** A restricted job's key step (see {@link #mpiVolumes}); none as root. */
  public static List<Container> sshKeyStep(RenderContext ctx) {
    if (!ctx.security().restricted()) {
      return List.of();
    }
    return List.of(new ContainerBuilder()
        .withName("ssh-keys")
        .withImage(ctx.effective().image())
        .withCommand(KubeletEscape.escapeAll(List.of("/bin/sh", "-c", LauncherScripts.COPY_KEYS, "chainer-ssh-keys")))
        .withVolumeMounts(DataMounts.mount(SSH_VOLUME, Paths.SSH_SECRET, null, true),
            DataMounts.mount(SSH_PRIVATE_VOLUME, Paths.SSH, null, false))
        .build());
  }

  /** The role's resources, plus one GPU per process unless the user set a GPU limit. */
  public static ResourceRequirements resources(RenderContext ctx, PodSettings role, int gpus) {
    ResourceRequirementsBuilder r = role.getResources() == null ? new ResourceRequirementsBuilder()
        : new ResourceRequirementsBuilder(role.getResources());
    String gpu = ctx.config().getGpuResourceName();
    boolean userSetGpu = role.getResources() != null && role.getResources().getLimits() != null
        && role.getResources().getLimits().containsKey(gpu);
    if (gpus > 0 && !userSetGpu) {
      r.addToLimits(gpu, new Quantity(Integer.toString(gpus)));
    }
    ResourceRequirements built = r.build();
    return isEmpty(built) ? null : built;
  }

  private static boolean isEmpty(ResourceRequirements r) {
    return (r.getLimits() == null || r.getLimits().isEmpty()) && (r.getRequests() == null || r.getRequests().isEmpty())
        && (r.getClaims() == null || r.getClaims().isEmpty());
  }

  /** Pod metadata: the role's labels and annotations, then the job's own labels (which must not be overridden). */
  public static ObjectMeta podMetadata(RenderContext ctx, PodSettings role, String roleName) {
    Map<String, String> labels = new LinkedHashMap<>();
    if (role.getLabels() != null) {
      labels.putAll(JobLabels.userKeys(role.getLabels()));
    }
    labels.putAll(JobLabels.labels(ctx.jobName(), roleName));
    return new ObjectMetaBuilder().withLabels(labels).withAnnotations(JobLabels.userKeys(role.getAnnotations()))
        .build();
  }
}
