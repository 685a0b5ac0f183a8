package dev.chainer.operator.render;

import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** The job's hostfile and SSH client / server configuration, mounted at {@link Paths#MPI}. */
public final class MpiConfigMap {
  private MpiConfigMap() {}

  public static ConfigMap render(RenderContext ctx) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("hostfile", Hostfile.render(ctx.names(), ctx.effective().nodeCount(),
        ctx.effective().processCountPerNode(), ctx.effective().mpiImplementation()));
    data.put("ssh_config", SshFiles.sshConfig(ctx.security()));
    data.put("sshd_config", SshFiles.sshdConfig(ctx.security()));
    return new ConfigMapBuilder()
        .withMetadata(JobLabels.ownedMetadata(ctx.job(), ctx.names().mpiConfigMap(), JobLabels.ROLE_MPI))
        .withData(data)
        .build();
  }
}
