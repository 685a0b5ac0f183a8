package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** An NFS export. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class NfsStore {
  @Required
  @JsonPropertyDescription("Host name or IP address of the NFS server.")
  private String server;

  @Required
  @JsonPropertyDescription("Exported path on the NFS server.")
  private String path;

  public String getServer() { return server; }
  public void setServer(String v) { this.server = v; }
  public String getPath() { return path; }
  public void setPath(String v) { this.path = v; }
}
