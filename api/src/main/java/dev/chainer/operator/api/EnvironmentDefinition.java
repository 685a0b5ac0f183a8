package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.Map;

/**
 * The estimator's environment_definition: image, Python set-up and environment variables in one object.
 * It replaces the separate environment fields of the spec; combining the two is an error.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class EnvironmentDefinition {
  @JsonPropertyDescription("Container settings: image, registry, GPU support, /dev/shm size.")
  private DockerSection docker;

  @JsonPropertyDescription("Python settings: packages to install, or a user-managed interpreter.")
  private PythonSection python;

  @JsonPropertyDescription("Environment variables set in every training container.")
  @Size(max = Limits.MAX_ENVIRONMENT_VARIABLES)
  private Map<String, String> environmentVariables;

  public DockerSection getDocker() { return docker; }
  public void setDocker(DockerSection v) { this.docker = v; }
  public PythonSection getPython() { return python; }
  public void setPython(PythonSection v) { this.python = v; }
  public Map<String, String> getEnvironmentVariables() { return environmentVariables; }
  public void setEnvironmentVariables(Map<String, String> v) { this.environmentVariables = v; }
}
