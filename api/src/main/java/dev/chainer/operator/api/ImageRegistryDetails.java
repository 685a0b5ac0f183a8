package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * The estimator's ContainerRegistry: either an existing image pull Secret, or an address, user name and
 * a Secret holding the password, from which the operator builds a pull Secret for the job.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(
    value = "has(self.pullSecretName) != (has(self.address) || has(self.username) || has(self.passwordSecretRef))",
    message = "imageRegistryDetails takes either pullSecretName or address + username + passwordSecretRef")
public class ImageRegistryDetails {
  @JsonPropertyDescription("Registry host, e.g. myregistry.azurecr.io.")
  private String address;

  @JsonPropertyDescription("User name on the registry.")
  private String username;

  @JsonPropertyDescription("Secret key holding the registry password.")
  private SecretKeyReference passwordSecretRef;

  @JsonPropertyDescription("Name of an existing kubernetes.io/dockerconfigjson Secret to pull with instead.")
  private String pullSecretName;

  public String getAddress() { return address; }
  public void setAddress(String v) { this.address = v; }
  public String getUsername() { return username; }
  public void setUsername(String v) { this.username = v; }
  public SecretKeyReference getPasswordSecretRef() { return passwordSecretRef; }
  public void setPasswordSecretRef(SecretKeyReference v) { this.passwordSecretRef = v; }
  public String getPullSecretName() { return pullSecretName; }
  public void setPullSecretName(String v) { this.pullSecretName = v; }
}
