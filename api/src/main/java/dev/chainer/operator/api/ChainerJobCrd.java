package dev.chainer.operator.api;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/** The ChainerJob CRD generated from this package, as shipped inside the operator. */
public final class ChainerJobCrd {
  public static final String RESOURCE = "/META-INF/fabric8/chainerjobs.chainer.dev-v1.yml";
  private static final CustomResourceDefinition CRD = load();

  private ChainerJobCrd() {}

  /** A fresh copy, safe to change or send to an API server. */
  public static CustomResourceDefinition definition() {
    return Serialization.clone(CRD);
  }

  /** The schema of the spec (shared: do not change it). */
  public static JSONSchemaProps specSchema() {
    return CRD.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
  }

  private static CustomResourceDefinition load() {
    try (InputStream in = ChainerJobCrd.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("the ChainerJob CRD is not on the classpath at " + RESOURCE);
      }
      return Serialization.unmarshal(in, CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
