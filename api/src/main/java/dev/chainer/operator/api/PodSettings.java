package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;

/** Kubernetes-native settings for the pods of one role (launcher or worker). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "(!has(self.serviceAccountName) || self.serviceAccountName.matches(" + CrdSchemaBounds.CEL_OBJECT_NAME
        + ")) && (!has(self.schedulerName) || self.schedulerName.matches(" + CrdSchemaBounds.CEL_OBJECT_NAME + "))"
        + " && (!has(self.priorityClassName) || self.priorityClassName == ''"
        + " || self.priorityClassName.matches(" + CrdSchemaBounds.CEL_OBJECT_NAME + "))",
    message = "serviceAccountName, schedulerName and priorityClassName must be object names: lowercase RFC 1123 "
        + "subdomains (a ServiceAccount's name only, not system:serviceaccount:<namespace>:<name>)")
@ValidationRule(
    value = "(!has(self.labels) || self.labels.all(k, !k.matches('" + PodSettings.RESERVED_KEY + "')))"
        + " && (!has(self.annotations) || self.annotations.all(k, !k.matches('" + PodSettings.RESERVED_KEY + "')))",
    message = "labels and annotations must not use the operator's keys (chainer.dev/ and its subdomains, "
        + "app.kubernetes.io/managed-by) or the gang schedulers' (scheduling.k8s.io/group-name, "
        + "scheduling.x-k8s.io/pod-group, scheduling.volcano.sh/, volcano.sh/)")
public class PodSettings {
  /**
   * The keys the operator sets or owns on the pods, as an RE2 pattern for CEL (the operator's JobLabels.isReserved
   * is the same rule).
   */
  static final String RESERVED_KEY = "(?i)^(([^/]*\\\\.)?chainer\\\\.dev/|app\\\\.kubernetes\\\\.io/managed-by$|"
      + "scheduling\\\\.k8s\\\\.io/group-name$|scheduling\\\\.x-k8s\\\\.io/pod-group$|pod-group\\\\.scheduling\\\\.sigs\\\\.k8s\\\\.io$|"
      + "(scheduling\\\\.)?volcano\\\\.sh/)";

  @JsonPropertyDescription("CPU / memory requests and limits of the training container. GPUs are set from "
      + "useGpu; a GPU limit given here takes precedence.")
  private ResourceRequirements resources;

  @JsonPropertyDescription("Extra node labels the pods must match (merged with computeTarget, vmSize, vmPriority).")
  @Size(max = Limits.MAX_POD_MAP_ENTRIES)
  private Map<String, String> nodeSelector;

  @JsonPropertyDescription("Extra tolerations (added to the low-priority toleration when vmPriority is lowpriority).")
  @Size(max = Limits.MAX_TOLERATIONS)
  private List<Toleration> tolerations;

  @JsonPropertyDescription("Pod affinity and anti-affinity.")
  private Affinity affinity;

  @JsonPropertyDescription("PriorityClass of the pods.")
  @Size(max = Limits.MAX_REFERENCE_NAME_LENGTH)
  private String priorityClassName;

  @JsonPropertyDescription("ServiceAccount the pods run as.")
  @Size(max = Limits.MAX_REFERENCE_NAME_LENGTH)
  private String serviceAccountName;

  @JsonPropertyDescription("Scheduler for the pods, e.g. a gang scheduler.")
  @Size(max = Limits.MAX_REFERENCE_NAME_LENGTH)
  private String schedulerName;

  @JsonPropertyDescription("Extra labels on the pods.")
  @Size(max = Limits.MAX_POD_MAP_ENTRIES)
  private Map<String, String> labels;

  @JsonPropertyDescription("Extra annotations on the pods.")
  @Size(max = Limits.MAX_POD_MAP_ENTRIES)
  private Map<String, String> annotations;

  public ResourceRequirements getResources() { return resources; }
  public void setResources(ResourceRequirements v) { this.resources = v; }
  public Map<String, String> getNodeSelector() { return nodeSelector; }
  public void setNodeSelector(Map<String, String> v) { this.nodeSelector = v; }
  public List<Toleration> getTolerations() { return tolerations; }
  public void setTolerations(List<Toleration> v) { this.tolerations = v; }
  public Affinity getAffinity() { return affinity; }
  public void setAffinity(Affinity v) { this.affinity = v; }
  public String getPriorityClassName() { return priorityClassName; }
  public void setPriorityClassName(String v) { this.priorityClassName = v; }
  public String getServiceAccountName() { return serviceAccountName; }
  public void setServiceAccountName(String v) { this.serviceAccountName = v; }
  public String getSchedulerName() { return schedulerName; }
  public void setSchedulerName(String v) { this.schedulerName = v; }
  public Map<String, String> getLabels() { return labels; }
  public void setLabels(Map<String, String> v) { this.labels = v; }
  public Map<String, String> getAnnotations() { return annotations; }
  public void setAnnotations(Map<String, String> v) { this.annotations = v; }
}
