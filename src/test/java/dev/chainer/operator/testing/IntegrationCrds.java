package dev.chainer.operator.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The CRDs of the projects the operator integrates with (Kueue, Volcano, scheduler-plugins), for the tests. */
public final class IntegrationCrds {
  private static final Path DIR = Path.of("src/test/resources/crds/integrations");

  private IntegrationCrds() {}

  /** Installs {@code <plural>.<group>} in the API server, which then checks writes against its schema. */
  public static void install(KubernetesClient client, String name) {
    try {
      CustomResourceDefinition crd = Serialization.unmarshal(Files.readString(DIR.resolve(name + ".yaml")),
          CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
