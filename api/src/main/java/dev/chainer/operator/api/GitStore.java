package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** A git repository holding the training code. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "!self.url.matches('^[A-Za-z0-9][-A-Za-z0-9+._]*::') && !self.url.matches('[\\\\x00-\\\\x20\\\\x7f]')",
    message = "git.url must not use git's <transport>::<address> form (ext:: and other remote helpers run programs) "
        + "or hold spaces or control characters")
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
