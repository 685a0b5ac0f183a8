package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/** An NFS export. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "self.server.matches('^[^\\\\s\\\\x00-\\\\x1f\\\\x7f]+$')",
    message = "nfs.server must be the NFS server's host name or IP address, without spaces or control characters")
@ValidationRule(
    value = "self.path.startsWith('/')",
    message = "nfs.path must be an absolute path on the NFS server, as Kubernetes requires of an NFS volume")
public class NfsStore {
  @Required
  @Size(max = 253)
  @JsonPropertyDescription("Host name or IP address of the NFS server.")
  private String server;

  @Required
  @Size(max = 1024)
  @JsonPropertyDescription("Exported path on the NFS server (absolute).")
  private String path;

  public String getServer() { return server; }
  public void setServer(String v) { this.server = v; }
  public String getPath() { return path; }
  public void setPath(String v) { this.path = v; }
}
