package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/** A git repository holding the training code. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class GitStore {
  @Required
  @Size(max = 2048)
  @Pattern("^[^-].*")
  @JsonPropertyDescription("Clone URL (https://, ssh:// or git@host:path). Must not start with '-'.")
  private String url;

  @Size(max = 256)
  @Pattern("^[^-].*")
  @JsonPropertyDescription("Branch, tag or commit to check out; the remote's default branch when empty.")
  private String revision;

  public String getUrl() { return url; }
  public void setUrl(String v) { this.url = v; }
  public String getRevision() { return revision; }
  public void setRevision(String v) { this.revision = v; }
}
