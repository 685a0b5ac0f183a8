package dev.chainer.operator.render;

import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/**
 * The headless Service that gives every pod of an MPI job a DNS name. It publishes pods before they are
 * Ready, so names resolve while sshd starts, and selects the launcher too, so that Hydra's proxies on
 * the workers can reach back to it.
 */
public final class WorkerService {
  private WorkerService() {}

  public static Service render(RenderContext ctx) {
    return new ServiceBuilder()
        .withMetadata(JobLabels.ownedMetadata(ctx.job(), ctx.names().workerService(), JobLabels.ROLE_WORKER))
        .withNewSpec()
        .withClusterIP("None")
        .withPublishNotReadyAddresses(true)
        .withSelector(JobLabels.jobSelector(ctx.jobName()))
        .addNewPort().withName("ssh").withPort(22).withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }
}
