package dev.chainer.operator.render;

import dev.chainer.operator.api.PodSettings;
import dev.chainer.operator.spec.JobLabels;
import dev.chainer.operator.spec.JobNames;
import dev.chainer.operator.spec.RunSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodDNSConfigBuilder;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.List;

/**
 * The pod whose exit is the job's result. For an MPI job it waits for every worker to answer over SSH
 * and then runs mpirun; for a single-process job it runs the script itself. Never restarted by the
 * kubelet: a new attempt is a new pod, made by the operator.
 */
public final class LauncherPod {
  public static final String CONTAINER = JobNames.LAUNCHER_CONTAINER;
  /**
   * The kubelet puts the last lines of a failed container's log (at most 80 lines or 2048 bytes) into its terminated
   * state's message, which the operator reads without pods/log: what mpirun or the script said last.
   */
  static final String LAST_WORDS = "FallbackToLogsOnError";

  private LauncherPod() {}

  public static Pod render(RenderContext ctx) {
    PodSettings role = ctx.launcherSettings();
    PodSpecBuilder pod = ctx.effective().mpi() ? mpiLauncher(ctx) : singleProcess(ctx);
    pod.withRestartPolicy("Never")
        .withActiveDeadlineSeconds(ctx.spec().getMaxRunDurationSeconds());
    PodPlacement.apply(pod, ctx, role);
    Pod launcher = new PodBuilder()
        .withMetadata(JobLabels.ownedMetadata(ctx.job(), ctx.names().launcherPod(ctx.attempt()), JobLabels.ROLE_LAUNCHER))
        .editMetadata()
        .withLabels(TrainingPod.podMetadata(ctx, role, JobLabels.ROLE_LAUNCHER).getLabels())
        .addToLabels(JobLabels.ATTEMPT, Integer.toString(ctx.attempt()))
        .withAnnotations(JobLabels.userKeys(role.getAnnotations()))
        .addToAnnotations(RunSpec.ANNOTATION, RunSpec.snapshot(ctx.spec()))
        .endMetadata()
        .withSpec(ImagePull.apply(RestrictedPod.secure(pod.build(), ctx.security()), ctx))
        .build();
    WorkerPodGroup.join(launcher.getMetadata(), launcher.getSpec(), ctx);
    return launcher;
  }

  /** The entry script's argv: interpreter, script path, then the script's arguments. */
  static List<String> scriptArgv(RenderContext ctx) {
    List<String> argv = new ArrayList<>();
    argv.add(ctx.packages().python());
    argv.add(Paths.join(ctx.data().workingDirectory(), ctx.spec().getEntryScript()));
    argv.addAll(ScriptArguments.of(ctx.spec(), ctx.dataPaths()));
    return argv;
  }

  private static PodSpecBuilder singleProcess(RenderContext ctx) {
    List<String> argv = new ArrayList<>(ResumeStep.command(ctx));
    argv.addAll(scriptArgv(ctx));
    List<EnvVar> env = new ArrayList<>(TrainingPod.environment(ctx));
    env.addAll(ResumeStep.environment(ctx));
    Container launcher = new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(ctx.effective().image())
        .withTerminationMessagePolicy(LAST_WORDS)
        .withCommand(KubeletEscape.escape(argv.get(0)))
        .withArgs(KubeletEscape.escapeAll(argv.subList(1, argv.size())))
        .withWorkingDir(ctx.data().workingDirectory())
        .withEnv(env)
        .withResources(TrainingPod.resources(ctx, ctx.launcherSettings(), ctx.effective().gpu() ? 1 : 0))
        .withVolumeMounts(TrainingPod.mounts(ctx))
        .build();
    return new PodSpecBuilder()
        .withInitContainers(TrainingPod.initContainers(ctx))
        .withContainers(launcher)
        .withVolumes(TrainingPod.volumes(ctx));
  }

  /** Keys and MPI configuration, and the outputs at pathOnCompute: the resume step looks for snapshots there. */
  private static List<VolumeMount> mpiLauncherMounts(RenderContext ctx) {
    List<VolumeMount> mounts = new ArrayList<>(TrainingPod.mpiMounts(ctx));
    mounts.addAll(OutputsVolume.mounts(ctx.outputs(), null));
    return mounts;
  }

  private static PodSpecBuilder mpiLauncher(RenderContext ctx) {
    List<EnvVar> training = TrainingPod.environment(ctx);
    List<String> forwarded = new ArrayList<>(training.stream().map(EnvVar::getName).toList());
    forwarded.addAll(ResumeStep.forwarded(ctx));
    List<String> argv = new ArrayList<>(ResumeStep.command(ctx));
    argv.addAll(MpiCommand.argv(ctx.config().getMpirunCommands().get(ctx.effective().mpiImplementation()),
        ctx.effective(), ctx.data().workingDirectory(), forwarded));
    argv.addAll(scriptArgv(ctx));
    List<EnvVar> env = new ArrayList<>(training);
    env.addAll(ResumeStep.environment(ctx));
    env.addAll(MpiCommand.environment(ctx.effective(), ctx.security().restricted()));
    env.add(new EnvVar(OperatorEnvironment.WAIT_ATTEMPTS, Integer.toString(ctx.config().getWorkerWaitAttempts()),
        null));
    // The launcher only runs mpirun: keep the NVIDIA runtime from handing it GPUs.
    OperatorEnvironment.GPU_RUNTIME.forEach(name -> env.add(new EnvVar(name, "", null)));
    Container launcher = new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(ctx.effective().image())
        .withTerminationMessagePolicy(LAST_WORDS)
        .withCommand(KubeletEscape.escapeAll(List.of("/bin/sh", "-c", LauncherScripts.WAIT_FOR_WORKERS,
            "chainer-launcher")))
        .withArgs(KubeletEscape.escapeAll(argv))
        .withEnv(env)
        .withResources(TrainingPod.resources(ctx, ctx.launcherSettings(), 0))
        .withVolumeMounts(mpiLauncherMounts(ctx))
        .build();
    List<Volume> volumes = new ArrayList<>(TrainingPod.mpiVolumes(ctx));
    OutputsVolume.volume(ctx.outputs()).ifPresent(volumes::add);
    return new PodSpecBuilder()
        .withInitContainers(TrainingPod.sshKeyStep(ctx))
        .withContainers(launcher)
        .withVolumes(volumes)
        .withHostname(ctx.names().launcherHostname())
        .withSubdomain(ctx.names().workerService())
        .withDnsConfig(new PodDNSConfigBuilder().withSearches(ctx.names().serviceDomain()).build());
  }
}
