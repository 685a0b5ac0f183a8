package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A key of a Secret in the job's namespace. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SecretKeyReference {
  @Required
  @JsonPropertyDescription("Secret name.")
  private String name;

  @JsonPropertyDescription("Key inside the Secret; default 'password'.")
  private String key;

  public String getName() { return name; }
  public void setName(String v) { this.name = v; }
  public String getKey() { return key; }
  public void setKey(String v) { this.key = v; }
}
