package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;

/**
 * The estimator's DataReference: data in a store, made available to every training pod at a path,
 * announced to the script as the environment variable AZUREML_DATAREFERENCE_&lt;name&gt;.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DataReference {
  @Size(min = 1, max = 63)
  @Pattern("^[A-Za-z_][A-Za-z0-9_]*$")
  @JsonPropertyDescription("Name of the reference (data_reference_name), required in inputs; the script reads "
      + "its path from AZUREML_DATAREFERENCE_<name>. Letters, digits and '_', not starting with a digit. "
      + "Ignored in resumeFrom, which is always MODEL_LOCATION.")
  private String name;

  @Required
  @JsonPropertyDescription("Where the data lives (datastore).")
  private DataStore dataStore;

  @Size(max = 1024)
  @JsonPropertyDescription("Path inside the data store (path_on_datastore); the whole store when empty.")
  private String pathOnDataStore;

  @Size(max = 1024)
  @JsonPropertyDescription("Absolute path in the training containers (path_on_compute); default "
      + "/opt/chainer/data/<name>.")
  private String pathOnCompute;

  @JsonPropertyDescription("mount (default): the store is mounted at pathOnCompute; download: its files are "
      + "copied to pathOnCompute before the script starts.")
  private DataReferenceMode mode;

  public String getName() { return name; }
  public void setName(String v) { this.name = v; }
  public DataStore getDataStore() { return dataStore; }
  public void setDataStore(DataStore v) { this.dataStore = v; }
  public String getPathOnDataStore() { return pathOnDataStore; }
  public void setPathOnDataStore(String v) { this.pathOnDataStore = v; }
  public String getPathOnCompute() { return pathOnCompute; }
  public void setPathOnCompute(String v) { this.pathOnCompute = v; }
  public DataReferenceMode getMode() { return mode; }
  public void setMode(DataReferenceMode v) { this.mode = v; }
}
