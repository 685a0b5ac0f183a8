package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** The Python part of an environment definition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class PythonSection {
  @JsonPropertyDescription("true: install nothing and use the image's Python as it is; default false.")
  private Boolean userManaged;

  @JsonPropertyDescription("Conda packages to install before the script starts.")
  @Size(max = Limits.MAX_PACKAGES)
  private List<String> condaPackages;

  @JsonPropertyDescription("pip packages to install before the script starts.")
  @Size(max = Limits.MAX_PACKAGES)
  private List<String> pipPackages;

  @JsonPropertyDescription("Conda environment file, relative to sourceDirectory.")
  private String condaDependenciesFile;

  @JsonPropertyDescription("pip requirements file, relative to sourceDirectory.")
  private String pipRequirementsFile;

  public Boolean getUserManaged() { return userManaged; }
  public void setUserManaged(Boolean v) { this.userManaged = v; }
  public List<String> getCondaPackages() { return condaPackages; }
  public void setCondaPackages(List<String> v) { this.condaPackages = v; }
  public List<String> getPipPackages() { return pipPackages; }
  public void setPipPackages(List<String> v) { this.pipPackages = v; }
  public String getCondaDependenciesFile() { return condaDependenciesFile; }
  public void setCondaDependenciesFile(String v) { this.condaDependenciesFile = v; }
  public String getPipRequirementsFile() { return pipRequirementsFile; }
  public void setPipRequirementsFile(String v) { this.pipRequirementsFile = v; }
}
