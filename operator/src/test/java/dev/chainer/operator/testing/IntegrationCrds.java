package dev.chainer.operator.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The CRDs of the projects the operator integrates with (Kueue, Volcano, scheduler-plugins), for the tests. */
public final class IntegrationCrds {
  /** On the test classpath, so that the tools module's tests find them in this module's test jar. */
  private static final String DIR = "/crds/integrations/";

  private IntegrationCrds() {}

  /** Installs {@code <plural>.<group>} in the API server, which then checks writes against its schema. */
  public static void install(KubernetesClient client, String name) {
    try (InputStream in = IntegrationCrds.class.getResourceAsStream(DIR + name + ".yaml")) {
      if (in == null) {
        throw new IllegalArgumentException("no test CRD " + DIR + name + ".yaml");
      }
      CustomResourceDefinition crd = Serialization.unmarshal(in, CustomResourceDefinition.class);
      client.apiextensions().v1().customResourceDefinitions().resource(crd).create();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
