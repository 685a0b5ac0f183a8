package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where a job's results live, so that they outlive its pods (Azure ML kept what a script wrote under ./outputs with
 * the run): an existing claim or NFS export, or a claim the operator creates from a template. Mounted read-write in
 * every training pod; the script's working directory has an {@code outputs} entry that points there.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "has(self.dataStore) != has(self.claimTemplate)",
    message = "outputs names exactly one of dataStore (an existing claim or NFS export) or claimTemplate (a claim "
        + "the operator creates)")
@ValidationRule(value = "!has(self.retentionPolicy) || has(self.claimTemplate)",
    message = "outputs.retentionPolicy applies only to a claim the operator creates (claimTemplate); a claim or "
        + "NFS export you name is never deleted by the operator")
public class Outputs {
  @JsonPropertyDescription("An existing store every training pod can write to: persistentVolumeClaim (its access "
      + "modes must include ReadWriteMany when nodeCount > 1) or nfs.")
  @ValidationRule(value = "has(self.persistentVolumeClaim) || has(self.nfs)",
      message = "outputs.dataStore must be a persistentVolumeClaim or nfs: configMap, secret and git are read-only")
  private DataStore dataStore;

  @JsonPropertyDescription("A PersistentVolumeClaim the operator creates for the job, named <job>-outputs.")
  private OutputsClaimTemplate claimTemplate;

  @Size(max = Limits.MAX_PATH_LENGTH)
  @ValidationRule(value = PathRule.RELATIVE_INSIDE,
      message = "outputs.pathOnDataStore must be a relative path inside the store (no leading '/', no '..')")
  @JsonPropertyDescription("Directory inside the store that holds this job's results; default <namespace>/<job "
      + "name>, so jobs sharing a store never mix their files. The same for every attempt: that is what resuming "
      + "needs.")
  private String pathOnDataStore;

  @Size(max = Limits.MAX_PATH_LENGTH)
  @Pattern("^/.*")
  @JsonPropertyDescription("Where the training containers see the results (CHAINER_OUTPUT_DIR and "
      + "AZUREML_DATAREFERENCE_outputs); default /opt/chainer/outputs. The working directory's 'outputs' is the "
      + "same directory.")
  private String pathOnCompute;

  @JsonPropertyDescription("For claimTemplate: Retain (default) keeps the claim when the job is deleted (a job "
      + "re-created under the same name finds it again); Delete removes it with the job.")
  private RetentionPolicy retentionPolicy;

  @JsonPropertyDescription("Where the script's Chainer snapshots are and how an attempt resumes from the newest.")
  private Checkpoints checkpoints;

  public DataStore getDataStore() { return dataStore; }
  public void setDataStore(DataStore v) { this.dataStore = v; }
  public OutputsClaimTemplate getClaimTemplate() { return claimTemplate; }
  public void setClaimTemplate(OutputsClaimTemplate v) { this.claimTemplate = v; }
  public String getPathOnDataStore() { return pathOnDataStore; }
  public void setPathOnDataStore(String v) { this.pathOnDataStore = v; }
  public String getPathOnCompute() { return pathOnCompute; }
  public void setPathOnCompute(String v) { this.pathOnCompute = v; }
  public RetentionPolicy getRetentionPolicy() { return retentionPolicy; }
  public void setRetentionPolicy(RetentionPolicy v) { this.retentionPolicy = v; }
  public Checkpoints getCheckpoints() { return checkpoints; }
  public void setCheckpoints(Checkpoints v) { this.checkpoints = v; }

  /** What happens to a claim the operator created when its job is deleted. */
  public enum RetentionPolicy { Retain, Delete }
}
