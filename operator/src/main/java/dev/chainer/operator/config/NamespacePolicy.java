package dev.chainer.operator.config;

import java.util.List;
import java.util.Map;

/**
 * What the ChainerJobs of one namespace may ask for. Creating a ChainerJob is like creating pods in its namespace;
 * a platform team narrows that here. Every list or map left unset (null) allows anything; an empty one allows
 * nothing. Checked when a job is admitted (TenancyRules): a job that asks for more fails as InvalidSpec.
 */
public class NamespacePolicy {
  /** Any value of a node label (nodeSelectors: {label: ["*"]}). */
  public static final String ANY_VALUE = "*";

  /** Service accounts the pods may run as; a role that names none runs as "default", which must then be listed. */
  private List<String> serviceAccounts;
  /** PriorityClasses the pods (and a Volcano PodGroup) may name; a job that names none is always allowed. */
  private List<String> priorityClasses;
  /** Node labels the pods may select (computeTarget, vmSize, vmPriority and nodeSelector), each with its values. */
  private Map<String, List<String>> nodeSelectors;
  /** Whether the operator reads a Secret for a job: the registry password of imageRegistryDetails.passwordSecretRef. */
  private boolean operatorReadsSecrets = true;
  /** Whether a job may mount a Secret of its namespace as a data store (inputs, resumeFrom, source directory). */
  private boolean secretDataStores = true;

  public List<String> getServiceAccounts() { return serviceAccounts; }
  public void setServiceAccounts(List<String> v) { this.serviceAccounts = v; }
  public List<String> getPriorityClasses() { return priorityClasses; }
  public void setPriorityClasses(List<String> v) { this.priorityClasses = v; }
  public Map<String, List<String>> getNodeSelectors() { return nodeSelectors; }
  public void setNodeSelectors(Map<String, List<String>> v) { this.nodeSelectors = v; }
  public boolean isOperatorReadsSecrets() { return operatorReadsSecrets; }
  public void setOperatorReadsSecrets(boolean v) { this.operatorReadsSecrets = v; }
  public boolean isSecretDataStores() { return secretDataStores; }
  public void setSecretDataStores(boolean v) { this.secretDataStores = v; }

  /** Whether a pod of the namespace may select this node label value. */
  public boolean allowsNodeLabel(String key, String value) {
    if (nodeSelectors == null) {
      return true;
    }
    List<String> values = nodeSelectors.get(key);
    return values != null && (values.contains(ANY_VALUE) || values.contains(value));
  }
}
