package dev.chainer.operator.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The NamespacePolicy of every namespace: its own entry under namespaces, else the default. A namespace's entry
 * replaces the default whole (nothing is inherited), so what a namespace may do can be read in one place.
 * The default allows everything: the namespace is then the only boundary, as for the pods one may create there.
 */
public class NamespacePolicies {
  @JsonProperty("default")
  private NamespacePolicy defaultPolicy = new NamespacePolicy();
  private Map<String, NamespacePolicy> namespaces = new LinkedHashMap<>();

  public NamespacePolicy forNamespace(String namespace) {
    NamespacePolicy own = namespace == null ? null : namespaces.get(namespace);
    return own != null ? own : defaultPolicy;
  }

  @JsonProperty("default")
  public NamespacePolicy getDefaultPolicy() { return defaultPolicy; }
  @JsonProperty("default")
  public void setDefaultPolicy(NamespacePolicy v) { this.defaultPolicy = v == null ? new NamespacePolicy() : v; }
  public Map<String, NamespacePolicy> getNamespaces() { return namespaces; }
  public void setNamespaces(Map<String, NamespacePolicy> v) { this.namespaces = v == null ? new LinkedHashMap<>() : v; }
}
