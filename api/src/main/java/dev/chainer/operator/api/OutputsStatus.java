package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Where a job's results are kept, and how to read them back. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OutputsStatus {
  @JsonPropertyDescription("The PersistentVolumeClaim that holds the results, if they are on a claim.")
  private String persistentVolumeClaim;

  @JsonPropertyDescription("The NFS export (server:path) that holds the results, if they are on NFS.")
  private String nfs;

  @JsonPropertyDescription("The job's directory inside the store.")
  private String path;

  @JsonPropertyDescription("Where the training containers see it.")
  private String pathOnCompute;

  @JsonPropertyDescription("How to get the results back.")
  private String message;

  public String getPersistentVolumeClaim() { return persistentVolumeClaim; }
  public void setPersistentVolumeClaim(String v) { this.persistentVolumeClaim = v; }
  public String getNfs() { return nfs; }
  public void setNfs(String v) { this.nfs = v; }
  public String getPath() { return path; }
  public void setPath(String v) { this.path = v; }
  public String getPathOnCompute() { return pathOnCompute; }
  public void setPathOnCompute(String v) { this.pathOnCompute = v; }
  public String getMessage() { return message; }
  public void setMessage(String v) { this.message = v; }

  @Override
  public boolean equals(Object o) {
    return o instanceof OutputsStatus s && Objects.equals(persistentVolumeClaim, s.persistentVolumeClaim)
        && Objects.equals(nfs, s.nfs) && Objects.equals(path, s.path) && Objects.equals(pathOnCompute, s.pathOnCompute)
        && Objects.equals(message, s.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(persistentVolumeClaim, nfs, path, pathOnCompute, message);
  }
}
