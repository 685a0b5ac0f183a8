package dev.chainer.operator.render;

import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.util.LinkedHashMap;
import java.util.Map;

/** The job's SSH key pair; the public key is also the workers' authorized_keys. */
public final class SshSecret {
  private SshSecret() {}

  public static Secret render(RenderContext ctx, SshKeyPair keys) {
    Map<String, String> data = new LinkedHashMap<>();
    data.put("id_ed25519", keys.privateKey());
    data.put("id_ed25519.pub", keys.publicKey());
    data.put("authorized_keys", keys.publicKey());
    return new SecretBuilder()
        .withMetadata(JobLabels.ownedMetadata(ctx.job(), ctx.names().sshSecret(ctx.attempt()),
            JobLabels.ROLE_SSH))
        .editMetadata().addToLabels(JobLabels.ATTEMPT, Integer.toString(ctx.attempt())).endMetadata()
        .withType("Opaque")
        .withStringData(data)
        .build();
  }
}
