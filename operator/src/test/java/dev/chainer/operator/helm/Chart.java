package dev.chainer.operator.helm;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import dev.chainer.operator.testing.Repository;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The Helm chart, rendered by Helm itself (helm-java) and read back as Kubernetes objects. */
final class Chart {
  static final Path DIR = Repository.path("helm/chainer-operator");

  private Chart() {}

  static String template(Map<String, Object> values) {
    TemplateCommand template = new Helm(DIR).template().withName("chainer").withNamespace("ops");
    values.forEach(template::set);
    return template.call();
  }

  /** Renders with a values file, as `helm install -f values.yaml` does (lists and typed strings included). */
  static String template(String valuesYaml) {
    try {
      Path file = Files.createTempFile("values", ".yaml");
      Files.writeString(file, valuesYaml);
      try {
        return new Helm(DIR).template().withName("chainer").withNamespace("ops").withValuesFile(file).call();
      } finally {
        Files.delete(file);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static List<HasMetadata> objects(Map<String, Object> values) {
    return parse(template(values));
  }

  static List<HasMetadata> objects(String valuesYaml) {
    return parse(template(valuesYaml));
  }

  static List<HasMetadata> parse(String manifests) {
    return Arrays.stream(manifests.split("(?m)^---\\s*$"))
        .map(Chart::stripComments).filter(d -> !d.isBlank())
        .map(d -> (HasMetadata) Serialization.unmarshal(d)).toList();
  }

  private static String stripComments(String doc) {
    return doc.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
  }

  @SuppressWarnings("unchecked")
  static <T extends HasMetadata> List<T> ofKind(List<HasMetadata> objects, Class<T> type) {
    return objects.stream().filter(type::isInstance).map(o -> (T) o).toList();
  }

  static <T extends HasMetadata> Optional<T> one(List<HasMetadata> objects, Class<T> type) {
    List<T> all = ofKind(objects, type);
    return all.isEmpty() ? Optional.empty() : Optional.of(all.get(0));
  }
}
