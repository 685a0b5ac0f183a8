package dev.chainer.operator.testing;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Files of the repository that tests check (examples, chart, committed CRD, docs). Each module's tests run in
 * that module's directory; the build passes the repository's root as {@code chainer.repository}.
 */
public final class Repository {
  private Repository() {}

  public static Path path(String relative) {
    return Path.of(System.getProperty("chainer.repository", ".."), relative);
  }

  /** The CRD committed under crds/, the one users install. */
  public static CustomResourceDefinition committedCrd() {
    try {
      return Serialization.unmarshal(Files.readString(path("crds/chainerjobs.chainer.dev-v1.yml")),
          CustomResourceDefinition.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
