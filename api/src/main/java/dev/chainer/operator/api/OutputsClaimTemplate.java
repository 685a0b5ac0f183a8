package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The small part of a PersistentVolumeClaim a user chooses for a job's outputs; the operator fills in the rest. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class OutputsClaimTemplate {
  @Size(max = Limits.MAX_REFERENCE_NAME_LENGTH)
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("StorageClass of the claim; the cluster's default class when unset.")
  private String storageClassName;

  @Size(max = 32)
  @Pattern("^[0-9]+(\\.[0-9]+)?([KMGTPE]i?)?$")
  @JsonPropertyDescription("Requested size, a Kubernetes quantity such as 10Gi; default 10Gi.")
  private String size;

  @Size(max = 4)
  @JsonPropertyDescription("Access modes; default ReadWriteMany when nodeCount > 1 (every worker writes), else "
      + "ReadWriteOnce.")
  private List<AccessMode> accessModes;

  public String getStorageClassName() { return storageClassName; }
  public void setStorageClassName(String v) { this.storageClassName = v; }
  public String getSize() { return size; }
  public void setSize(String v) { this.size = v; }
  public List<AccessMode> getAccessModes() { return accessModes; }
  public void setAccessModes(List<AccessMode> v) { this.accessModes = v; }

  /** Kubernetes' PersistentVolumeClaim access modes. */
  public enum AccessMode { ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod }
}
