package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.Objects;

/**
 * One key of a ConfigMap or Secret store placed at a path, as Kubernetes' volume {@code items} (KeyToPath) do:
 * ConfigMap keys cannot hold '/', so a directory tree (`kubectl chainer submit --source-dir`) is kept flat in the
 * ConfigMap and laid out again by the kubelet from this list.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class StoreFile {
  /** A relative path without '.', '..' or empty segments (an OpenAPI pattern, not CEL: it costs nothing to check). */
  static final String RELATIVE_PATH = "^(\\.?[^/.][^/]*|\\.\\.[^/]+)(/(\\.?[^/.][^/]*|\\.\\.[^/]+))*$";

  @Required
  @Size(min = 1, max = 253)
  @Pattern("^[-._a-zA-Z0-9]+$")
  @JsonPropertyDescription("Key of the ConfigMap or Secret.")
  private String key;

  @Required
  @Size(min = 1, max = Limits.MAX_PATH_LENGTH)
  @Pattern(RELATIVE_PATH)
  @JsonPropertyDescription("Where the key's file appears, relative to the store's root (no leading '/', no '..').")
  private String path;

  public StoreFile() {}

  public StoreFile(String key, String path) {
    this.key = key;
    this.path = path;
  }

  public String getKey() { return key; }
  public void setKey(String v) { this.key = v; }
  public String getPath() { return path; }
  public void setPath(String v) { this.path = v; }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoreFile f && Objects.equals(key, f.key) && Objects.equals(path, f.path);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, path);
  }
}
