package dev.chainer.operator.render;

import dev.chainer.operator.api.PodSettings;
import dev.chainer.operator.spec.JobLabels;
import dev.chainer.operator.spec.RunSpec;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * The workers of an MPI job: nodeCount pods started together (Parallel), each running an SSH server
 * through which the launcher's mpirun starts the ranks, and Ready once that server accepts connections.
 */
public final class WorkerStatefulSet {
  private WorkerStatefulSet() {}

  private static java.util.Map<String, String> jobUid(RenderContext ctx) {
    String uid = ctx.job().getMetadata().getUid();
    return uid == null ? java.util.Map.of() : java.util.Map.of(JobLabels.JOB_UID, uid);
  }

  /**
   * sshd in the foreground, logging to stderr. As root it first needs its privilege-separation directory; as a
   * non-root user it has none to make (it cannot switch users, so it does without one) and runs directly.
   */
  private static List<String> sshd(RenderContext ctx) {
    String sshd = ctx.config().getSshdCommand();
    return ctx.security().restricted() ? List.of(sshd, "-D", "-e", "-f", Paths.SSHD_CONFIG)
        : List.of("/bin/sh", "-c", LauncherScripts.RUN_SSHD, "chainer-worker", sshd);
  }

  public static StatefulSet render(RenderContext ctx) {
    PodSettings role = ctx.workerSettings();
    List<Volume> volumes = new ArrayList<>(TrainingPod.volumes(ctx));
    volumes.addAll(TrainingPod.mpiVolumes(ctx));
    List<VolumeMount> mounts = new ArrayList<>(TrainingPod.mounts(ctx));
    mounts.addAll(TrainingPod.mpiMounts(ctx));
    List<EnvVar> env = TrainingPod.environment(ctx);
    // Fresh workers per attempt: the label tells the operator which StatefulSet and pods are stale.
    String attempt = Integer.toString(ctx.attempt());

    PodSpecBuilder pod = new PodSpecBuilder()
        .withInitContainers(TrainingPod.sshKeyStep(ctx))
        .addAllToInitContainers(TrainingPod.initContainers(ctx))
        .withContainers(new ContainerBuilder()
            .withName("worker")
            .withImage(ctx.effective().image())
            .withTerminationMessagePolicy(LauncherPod.LAST_WORDS)
            .withCommand(KubeletEscape.escapeAll(sshd(ctx)))
            .withEnv(env)
            .addNewPort().withName("ssh").withContainerPort(ctx.security().sshPort()).withProtocol("TCP").endPort()
            .withNewReadinessProbe().withNewTcpSocket().withPort(new IntOrString(ctx.security().sshPort()))
            .endTcpSocket()
            .withPeriodSeconds(2).withFailureThreshold(3).endReadinessProbe()
            .withResources(TrainingPod.resources(ctx, role, ctx.effective().gpu()
                ? ctx.effective().processCountPerNode() : 0))
            .withVolumeMounts(mounts)
            .build())
        .withVolumes(volumes)
        .withDnsConfig(new PodDNSConfigBuilder().withSearches(ctx.names().serviceDomain()).build());
    PodPlacement.apply(pod, ctx, role);

    StatefulSet set = new StatefulSetBuilder()
        .withMetadata(JobLabels.ownedMetadata(ctx.job(), ctx.names().workerStatefulSet(), JobLabels.ROLE_WORKER))
        .editMetadata().addToLabels(JobLabels.ATTEMPT, attempt)
        .addToAnnotations(RunSpec.ANNOTATION, RunSpec.snapshot(ctx.spec())).endMetadata()
        .withNewSpec()
        .withReplicas(ctx.effective().nodeCount())
        .withServiceName(ctx.names().workerService())
        .withPodManagementPolicy("Parallel")
        .withNewSelector().withMatchLabels(JobLabels.roleSelector(ctx.jobName(), JobLabels.ROLE_WORKER)).endSelector()
        .withNewTemplate()
        .withMetadata(TrainingPod.podMetadata(ctx, role, JobLabels.ROLE_WORKER))
        .editMetadata().addToLabels(JobLabels.ATTEMPT, attempt).addToLabels(jobUid(ctx)).endMetadata()
        .withSpec(ImagePull.apply(RestrictedPod.secure(pod.build(), ctx.security()), ctx))
        .endTemplate()
        .endSpec()
        .build();
    if (set.getSpec().getTemplate().getMetadata().getAnnotations() == null) {
      set.getSpec().getTemplate().getMetadata().setAnnotations(new java.util.LinkedHashMap<>());
    }
    WorkerPodGroup.join(set.getSpec().getTemplate(), ctx);
    return set;
  }
}
