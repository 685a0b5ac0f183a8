package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;

/**
 * Where files live: exactly one of a PersistentVolumeClaim, an NFS export, a ConfigMap, a Secret or
 * (for the source directory only) a git repository.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "[has(self.persistentVolumeClaim), has(self.nfs), has(self.configMap), has(self.secret), has(self.git)]"
        + ".filter(x, x).size() == 1",
    message = "a data store names exactly one of persistentVolumeClaim, nfs, configMap, secret, git")
@ValidationRule(
    value = "(!has(self.persistentVolumeClaim) || self.persistentVolumeClaim.matches(" + CrdSchemaBounds.CEL_OBJECT_NAME
        + ")) && (!has(self.configMap) || self.configMap.matches(" + CrdSchemaBounds.CEL_OBJECT_NAME + "))"
        + " && (!has(self.secret) || self.secret.matches(" + CrdSchemaBounds.CEL_OBJECT_NAME + "))",
    message = "persistentVolumeClaim, configMap and secret must be object names: lowercase RFC 1123 subdomains")
public class DataStore {
  @Size(max = Limits.MAX_REFERENCE_NAME_LENGTH)
  @JsonPropertyDescription("Name of a PersistentVolumeClaim in the job's namespace.")
  private String persistentVolumeClaim;

  @JsonPropertyDescription("An NFS export, mounted directly by the kubelet.")
  private NfsStore nfs;

  @Size(max = Limits.MAX_REFERENCE_NAME_LENGTH)
  @JsonPropertyDescription("Name of a ConfigMap in the job's namespace; each key becomes a file.")
  private String configMap;

  @Size(max = Limits.MAX_REFERENCE_NAME_LENGTH)
  @JsonPropertyDescription("Name of a Secret in the job's namespace; each key becomes a file.")
  private String secret;

  @JsonPropertyDescription("A git repository cloned into every pod before the script starts "
      + "(only for sourceDirectoryDataStore).")
  private GitStore git;

  @Size(max = Limits.MAX_STORE_FILES)
  @JsonPropertyDescription("For a configMap or secret store: which keys become which files (Kubernetes' volume "
      + "items), so that a flat ConfigMap can hold a directory tree; only the keys listed appear. Empty: every key, "
      + "as a file of its own name.")
  private List<StoreFile> items;

  public String getPersistentVolumeClaim() { return persistentVolumeClaim; }
  public void setPersistentVolumeClaim(String v) { this.persistentVolumeClaim = v; }
  public NfsStore getNfs() { return nfs; }
  public void setNfs(NfsStore v) { this.nfs = v; }
  public String getConfigMap() { return configMap; }
  public void setConfigMap(String v) { this.configMap = v; }
  public String getSecret() { return secret; }
  public void setSecret(String v) { this.secret = v; }
  public GitStore getGit() { return git; }
  public void setGit(GitStore v) { this.git = v; }
  public List<StoreFile> getItems() { return items; }
  public void setItems(List<StoreFile> v) { this.items = v; }

  /** How many kinds of store are named; a valid store names exactly one. */
  public int kindsNamed() {
    int n = 0;
    for (Object o : new Object[] {persistentVolumeClaim, nfs, configMap, secret, git}) {
      if (o != null) {
        n++;
      }
    }
    return n;
  }
}
