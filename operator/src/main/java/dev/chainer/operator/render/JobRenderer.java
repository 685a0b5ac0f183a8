package dev.chainer.operator.render;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.spec.JobContext;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.Optional;

/**
 * Turns a valid ChainerJob into the Kubernetes objects that run it. Pure: no client, no clock; the only
 * inputs that are not in the job (the SSH keys, the registry password, the attempt number) are passed in.
 */
public final class JobRenderer {
  private JobRenderer() {}

  /**
   * @param attempt 0 for the first run, n for the n-th restart (names the launcher pod)
   * @see #render(JobContext, SshKeyPair, String)
   */
  public static DesiredObjects render(ChainerJob job, OperatorConfig config, SshKeyPair keys,
      String registryPassword, int attempt) {
    return render(JobContext.of(job, config).atAttempt(attempt), keys, registryPassword);
  }

  /**
   * @param job the job at the attempt to render (its attempt names the launcher pod and the key Secret)
   * @param keys the job's SSH key pair (generated once per job by the caller); null renders no SSH Secret
   * @param registryPassword the password from imageRegistryDetails.passwordSecretRef, or null
   */
  public static DesiredObjects render(JobContext job, SshKeyPair keys, String registryPassword) {
    RenderContext ctx = RenderContext.of(job);
    boolean mpi = ctx.effective().mpi();
    Optional<StatefulSet> workers = mpi ? Optional.of(WorkerStatefulSet.render(ctx)) : Optional.empty();
    return new DesiredObjects(
        mpi ? Optional.of(WorkerService.render(ctx)) : Optional.empty(),
        mpi ? Optional.of(MpiConfigMap.render(ctx)) : Optional.empty(),
        mpi && keys != null ? Optional.of(SshSecret.render(ctx, keys)) : Optional.empty(),
        RegistrySecret.render(ctx, registryPassword),
        workers,
        workers.flatMap(w -> WorkerPodGroup.render(ctx, w.getSpec().getTemplate().getSpec())),
        OutputsClaim.render(ctx.job(), ctx.names(), ctx.outputs(), ctx.effective().nodeCount()),
        LauncherPod.render(ctx));
  }
}
