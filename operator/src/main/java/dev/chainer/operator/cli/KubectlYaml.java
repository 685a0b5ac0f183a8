package dev.chainer.operator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.UncheckedIOException;

/**
 * Objects as YAML documents that read like {@code kubectl get -o yaml}: strings quoted only where YAML needs it
 * ("7.0.0" stays plain, "true" or "1" are quoted so they stay strings), each document starting with "---".
 */
final class KubectlYaml {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
      .disable(YAMLGenerator.Feature.SPLIT_LINES));

  private KubectlYaml() {}

  static String write(HasMetadata object) {
    try {
      // Through the client's own mapper first: Fabric8's types (quantities, int-or-string) know their JSON form.
      return YAML.writeValueAsString(Serialization.jsonMapper().valueToTree(object));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
