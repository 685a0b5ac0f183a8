package dev.chainer.operator.render;

import dev.chainer.operator.api.ImageRegistryDetails;
import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;

/**
 * The image pull Secret built from imageRegistryDetails' address, user name and password (read by the
 * operator from the user's Secret). None when the user names an existing pull Secret.
 */
public final class RegistrySecret {
  private RegistrySecret() {}

  public static Optional<Secret> render(RenderContext ctx, String password) {
    ImageRegistryDetails registry = ctx.effective().imageRegistryDetails();
    if (registry == null || registry.getPullSecretName() != null) {
      return Optional.empty();
    }
    String auth = Base64.getEncoder().encodeToString(
        (registry.getUsername() + ":" + (password == null ? "" : password)).getBytes(StandardCharsets.UTF_8));
    Map<String, Object> config = Map.of("auths", Map.of(registry.getAddress(),
        Map.of("username", registry.getUsername(), "password", password == null ? "" : password, "auth", auth)));
    return Optional.of(new SecretBuilder()
        .withMetadata(JobLabels.ownedMetadata(ctx.job(), ctx.names().registrySecret(), JobLabels.ROLE_REGISTRY))
        .withType("kubernetes.io/dockerconfigjson")
        .withStringData(Map.of(".dockerconfigjson", Serialization.asJson(config)))
        .build());
  }
}
