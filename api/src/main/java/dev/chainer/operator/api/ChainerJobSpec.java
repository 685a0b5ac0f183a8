package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import java.util.List;
import java.util.Map;

/**
 * The Azure ML Chainer estimator's parameters, under the same names in camelCase, plus the clearly
 * separate Kubernetes-native {@code kubernetes} and {@code runPolicy}. Unset fields are null: defaults
 * are applied by the operator (and described in each field), never written back, so GitOps tools see
 * no drift.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder(alphabetic = true)
@ValidationRule(
    // As the estimator's truthiness checks: an empty list or map and false say nothing, so they do not clash.
    value = "!has(self.environmentDefinition) || !((has(self.pipPackages) && size(self.pipPackages) > 0)"
        + " || has(self.pipRequirementsFile)"
        + " || has(self.pipRequirementsFilePath) || (has(self.condaPackages) && size(self.condaPackages) > 0)"
        + " || has(self.condaDependenciesFile)"
        + " || has(self.condaDependenciesFilePath) || has(self.customDockerImage)"
        + " || has(self.customDockerBaseImage) || has(self.imageRegistryDetails) || (has(self.useGpu) && self.useGpu)"
        + " || (has(self.userManaged) && self.userManaged) || has(self.shmSize)"
        + " || (has(self.environmentVariables) && size(self.environmentVariables) > 0))",
    message = "environmentDefinition cannot be combined with pipPackages, pipRequirementsFile, condaPackages, "
        + "condaDependenciesFile, customDockerImage, imageRegistryDetails, useGpu, userManaged, shmSize, "
        + "environmentVariables: set them inside environmentDefinition")
@ValidationRule(
    value = "!(has(self.condaDependenciesFile) || has(self.condaDependenciesFilePath))"
        + " || !((has(self.pipPackages) && size(self.pipPackages) > 0) || has(self.pipRequirementsFile)"
        + " || has(self.pipRequirementsFilePath) || (has(self.condaPackages) && size(self.condaPackages) > 0))",
    message = "condaDependenciesFile cannot be combined with pipPackages, pipRequirementsFile or condaPackages: "
        + "list them in the conda file")
@ValidationRule(
    value = "!has(self.userManaged) || !self.userManaged || !((has(self.pipPackages) && size(self.pipPackages) > 0)"
        + " || (has(self.condaPackages) && size(self.condaPackages) > 0) || has(self.pipRequirementsFile) || has(self.pipRequirementsFilePath)"
        + " || has(self.condaDependenciesFile) || has(self.condaDependenciesFilePath))",
    message = "userManaged: true installs nothing, so it cannot be combined with packages or dependency files")
@ValidationRule(
    value = "has(self.distributedBackend) || has(self.distributedTraining)"
        + " || ((!has(self.nodeCount) || self.nodeCount <= 1)"
        + " && (!has(self.processCountPerNode) || self.processCountPerNode <= 1))",
    message = "nodeCount > 1 or processCountPerNode > 1 needs distributedTraining (or the deprecated "
        + "distributedBackend: mpi)")
@ValidationRule(
    value = "!has(self.processCountPerNode) || !has(self.distributedTraining)"
        + " || !has(self.distributedTraining.mpi.processCountPerNode)"
        + " || self.processCountPerNode == self.distributedTraining.mpi.processCountPerNode",
    message = "processCountPerNode and distributedTraining.mpi.processCountPerNode differ: set one of them")
@ValidationRule(
    value = "!(has(self.customDockerImage) && has(self.customDockerBaseImage))",
    message = "customDockerImage and customDockerBaseImage are both set: use customDockerImage only")
@ValidationRule(
    value = "!(has(self.pipRequirementsFile) && has(self.pipRequirementsFilePath))"
        + " && !(has(self.condaDependenciesFile) && has(self.condaDependenciesFilePath))",
    message = "a dependency file and its deprecated *Path alias are both set: use pipRequirementsFile / "
        + "condaDependenciesFile only")
@ValidationRule(
    value = "has(self.managedBy) == has(oldSelf.managedBy)"
        + " && (!has(self.managedBy) || self.managedBy == oldSelf.managedBy)",
    message = "managedBy cannot change")
public class ChainerJobSpec {
  /** The value of managedBy that means this operator (also what an absent managedBy means). */
  public static final String MANAGED_BY_OPERATOR = "chainer.dev/chainer-operator";

  @Size(max = 63)
  @JsonPropertyDescription("The controller that runs this job: chainer.dev/chainer-operator (the default) or "
      + "another one, e.g. Kueue's MultiKueue (kueue.x-k8s.io/multikueue), in which case this operator leaves the "
      + "job alone. Cannot change.")
  private String managedBy;

  public String getManagedBy() { return managedBy; }
  public void setManagedBy(String v) { this.managedBy = v; }

  /** Whether this operator runs the job (managedBy absent or naming it). */
  @com.fasterxml.jackson.annotation.JsonIgnore
  public boolean isManagedByOperator() {
    return managedBy == null || MANAGED_BY_OPERATOR.equals(managedBy);
  }
  @Size(max = 1024)
  @JsonPropertyDescription("Directory holding the training code (source_directory): a path inside "
      + "sourceDirectoryDataStore (default: its root), or an absolute path in the image when there is no data "
      + "store. The script runs with this as its working directory.")
  private String sourceDirectory;

  @JsonPropertyDescription("Where the code lives (source_directory_data_store): a PersistentVolumeClaim, "
      + "ConfigMap, Secret or NFS export mounted into every pod, or a git repository cloned into every pod. "
      + "Empty: the code is in the image.")
  private DataStore sourceDirectoryDataStore;

  @Size(max = 63)
  @JsonPropertyDescription("Node pool to run on (compute_target), turned into a nodeSelector on the operator's "
      + "compute-target node label (default kubernetes.azure.com/agentpool). 'local' or empty: any node.")
  private String computeTarget;

  @Size(max = 63)
  @JsonPropertyDescription("Node size (vm_size), a nodeSelector on node.kubernetes.io/instance-type, "
      + "e.g. Standard_NC6s_v3.")
  private String vmSize;

  @JsonPropertyDescription("dedicated (default) or lowpriority (vm_priority). lowpriority adds the spot "
      + "toleration and node selector configured in the operator (AKS spot by default).")
  private VmPriority vmPriority;

  @Required
  @Size(min = 1, max = 1024)
  @ValidationRule(value = PathRule.RELATIVE_INSIDE,
      message = "entryScript must be a relative path inside sourceDirectory (no leading '/', no '..')")
  @JsonPropertyDescription("Script to run (entry_script), relative to sourceDirectory. Required.")
  private String entryScript;

  @JsonPropertyDescription("Script parameters (script_params): each key is a flag, rendered as the flag and then "
      + "its value as separate arguments, keys in sorted order. A list value gives the flag then each item; a "
      + "null, empty string or empty list value gives the flag alone; booleans become True/False. A value "
      + "'$AZUREML_DATAREFERENCE_<name>' becomes that input's path. Use 'arguments' when order matters.")
  @Size(max = Limits.MAX_SCRIPT_PARAMS)
  private Map<String, JsonNode> scriptParams;

  @JsonPropertyDescription("Ordered script arguments (ScriptRunConfig.arguments), passed after scriptParams, "
      + "verbatim: no shell ever sees them.")
  @Size(max = Limits.MAX_ARGUMENTS)
  private List<String> arguments;

  @Min(1)
  @Max(Limits.MAX_NODES)
  @JsonPropertyDescription("Number of worker pods (node_count); default 1, at most 1000.")
  private Integer nodeCount;

  @Min(1)
  @Max(Limits.MAX_PROCESSES_PER_NODE)
  @JsonPropertyDescription("MPI processes per worker pod (process_count_per_node); default 1, at most 128.")
  private Integer processCountPerNode;

  @Size(max = 8)
  @Pattern("^[mM][pP][iI]$")
  @JsonPropertyDescription("Deprecated (distributed_backend): only 'mpi'. Use distributedTraining.")
  private String distributedBackend;

  @JsonPropertyDescription("Distributed training configuration (distributed_training): "
      + "mpi.processCountPerNode and mpi.implementation.")
  private DistributedTraining distributedTraining;

  @JsonPropertyDescription("Use GPUs (use_gpu): the framework's GPU image by default, and one GPU per process "
      + "on each worker (nvidia.com/gpu unless the operator is configured otherwise); default false.")
  private Boolean useGpu;

  @ValidationRule(value = "self == true",
      message = "useDocker must be true: Kubernetes always runs containers")
  @JsonPropertyDescription("Must be true (use_docker); Kubernetes always runs containers. Default true.")
  private Boolean useDocker;

  @Size(max = 1024)
  @JsonPropertyDescription("Deprecated alias of customDockerImage (custom_docker_base_image).")
  private String customDockerBaseImage;

  @Size(max = 1024)
  @JsonPropertyDescription("Image for launcher and workers (custom_docker_image); default: the operator's image "
      + "for frameworkVersion and useGpu. See the README for what an image must contain.")
  private String customDockerImage;

  @JsonPropertyDescription("Credentials to pull the image (image_registry_details); become imagePullSecrets.")
  private ImageRegistryDetails imageRegistryDetails;

  @JsonPropertyDescription("true: install nothing, run the image's Python as it is (user_managed); default false.")
  private Boolean userManaged;

  @JsonPropertyDescription("Conda packages installed in every training pod before the script (conda_packages).")
  @Size(max = Limits.MAX_PACKAGES)
  private List<String> condaPackages;

  @JsonPropertyDescription("pip packages installed in every training pod before the script (pip_packages).")
  @Size(max = Limits.MAX_PACKAGES)
  private List<String> pipPackages;

  @Size(max = 1024)
  @JsonPropertyDescription("Conda environment file, relative to sourceDirectory (conda_dependencies_file).")
  private String condaDependenciesFile;

  @Size(max = 1024)
  @JsonPropertyDescription("Deprecated alias of condaDependenciesFile (conda_dependencies_file_path).")
  private String condaDependenciesFilePath;

  @Size(max = 1024)
  @JsonPropertyDescription("pip requirements file, relative to sourceDirectory (pip_requirements_file).")
  private String pipRequirementsFile;

  @Size(max = 1024)
  @JsonPropertyDescription("Deprecated alias of pipRequirementsFile (pip_requirements_file_path).")
  private String pipRequirementsFilePath;

  @JsonPropertyDescription("Environment variables set in every training container (environment_variables).")
  @Size(max = Limits.MAX_ENVIRONMENT_VARIABLES)
  private Map<String, String> environmentVariables;

  @JsonPropertyDescription("Image, Python set-up and environment variables in one object "
      + "(environment_definition). Excludes the separate fields it replaces.")
  private EnvironmentDefinition environmentDefinition;

  @JsonPropertyDescription("Data made available to the script (inputs); each path is in "
      + "AZUREML_DATAREFERENCE_<name>.")
  @Size(max = Limits.MAX_INPUTS)
  private List<DataReference> inputs;

  @Size(max = 32)
  @Pattern(ShmSize.PATTERN)
  @JsonPropertyDescription("Size of /dev/shm (shm_size), a memory-backed volume on every training pod, in Docker's "
      + "form as the estimator took it (2g, 512mb, 1.5G, 1t, bytes; binary units, any case) or as a Kubernetes "
      + "quantity (2Gi); Docker's meaning wins where a value reads both ways (512m is 512 MiB). Default 2g. NCCL "
      + "needs it.")
  private String shmSize;

  @JsonPropertyDescription("Checkpoint or model files to resume from (resume_from), mounted read-only; the script "
      + "gets '--resume-from <path>' after its parameters and AZUREML_DATAREFERENCE_MODEL_LOCATION.")
  private DataReference resumeFrom;

  @JsonPropertyDescription("Where the job's results live so that they outlive its pods (a claim, NFS, or a claim "
      + "the operator creates), mounted in every training pod at outputs.pathOnCompute and as the working "
      + "directory's 'outputs'; with checkpoints, every attempt resumes from the newest snapshot there.")
  private Outputs outputs;

  @Min(1)
  @Max(Limits.MAX_SECONDS)
  @JsonPropertyDescription("Wall-clock limit for the whole job in seconds (max_run_duration_seconds); past it "
      + "the job fails with reason DeadlineExceeded. No limit when unset; at most 2147483647.")
  private Long maxRunDurationSeconds;

  @Size(max = 32)
  @JsonPropertyDescription("Chainer version (framework_version): one the operator supports (5.1.0 and 7.0.0 by "
      + "default); default 5.1.0.")
  private String frameworkVersion;

  @JsonPropertyDescription("Kubernetes-native pod settings per role: resources, nodeSelector, tolerations, "
      + "affinity, priorityClassName, serviceAccountName, schedulerName, labels, annotations.")
  private KubernetesSettings kubernetes;

  @JsonPropertyDescription("Retries, clean-up, TTL, suspension and cancellation.")
  private RunPolicy runPolicy;

  /** Set instead of the fields when the stored spec could not be read into them. */
  @JsonIgnore
  private UnreadableSpec unreadable;

  public String getSourceDirectory() { return sourceDirectory; }
  public void setSourceDirectory(String v) { this.sourceDirectory = v; }
  public DataStore getSourceDirectoryDataStore() { return sourceDirectoryDataStore; }
  public void setSourceDirectoryDataStore(DataStore v) { this.sourceDirectoryDataStore = v; }
  public String getComputeTarget() { return computeTarget; }
  public void setComputeTarget(String v) { this.computeTarget = v; }
  public String getVmSize() { return vmSize; }
  public void setVmSize(String v) { this.vmSize = v; }
  public VmPriority getVmPriority() { return vmPriority; }
  public void setVmPriority(VmPriority v) { this.vmPriority = v; }
  public String getEntryScript() { return entryScript; }
  public void setEntryScript(String v) { this.entryScript = v; }
  public Map<String, JsonNode> getScriptParams() { return scriptParams; }
  public void setScriptParams(Map<String, JsonNode> v) { this.scriptParams = v; }
  public List<String> getArguments() { return arguments; }
  public void setArguments(List<String> v) { this.arguments = v; }
  public Integer getNodeCount() { return nodeCount; }
  public void setNodeCount(Integer v) { this.nodeCount = v; }
  public Integer getProcessCountPerNode() { return processCountPerNode; }
  public void setProcessCountPerNode(Integer v) { this.processCountPerNode = v; }
  public String getDistributedBackend() { return distributedBackend; }
  public void setDistributedBackend(String v) { this.distributedBackend = v; }
  public DistributedTraining getDistributedTraining() { return distributedTraining; }
  public void setDistributedTraining(DistributedTraining v) { this.distributedTraining = v; }
  public Boolean getUseGpu() { return useGpu; }
  public void setUseGpu(Boolean v) { this.useGpu = v; }
  public Boolean getUseDocker() { return useDocker; }
  public void setUseDocker(Boolean v) { this.useDocker = v; }
  public String getCustomDockerBaseImage() { return customDockerBaseImage; }
  public void setCustomDockerBaseImage(String v) { this.customDockerBaseImage = v; }
  public String getCustomDockerImage() { return customDockerImage; }
  public void setCustomDockerImage(String v) { this.customDockerImage = v; }
  public ImageRegistryDetails getImageRegistryDetails() { return imageRegistryDetails; }
  public void setImageRegistryDetails(ImageRegistryDetails v) { this.imageRegistryDetails = v; }
  public Boolean getUserManaged() { return userManaged; }
  public void setUserManaged(Boolean v) { this.userManaged = v; }
  public List<String> getCondaPackages() { return condaPackages; }
  public void setCondaPackages(List<String> v) { this.condaPackages = v; }
  public List<String> getPipPackages() { return pipPackages; }
  public void setPipPackages(List<String> v) { this.pipPackages = v; }
  public String getCondaDependenciesFile() { return condaDependenciesFile; }
  public void setCondaDependenciesFile(String v) { this.condaDependenciesFile = v; }
  public String getCondaDependenciesFilePath() { return condaDependenciesFilePath; }
  public void setCondaDependenciesFilePath(String v) { this.condaDependenciesFilePath = v; }
  public String getPipRequirementsFile() { return pipRequirementsFile; }
  public void setPipRequirementsFile(String v) { this.pipRequirementsFile = v; }
  public String getPipRequirementsFilePath() { return pipRequirementsFilePath; }
  public void setPipRequirementsFilePath(String v) { this.pipRequirementsFilePath = v; }
  public Map<String, String> getEnvironmentVariables() { return environmentVariables; }
  public void setEnvironmentVariables(Map<String, String> v) { this.environmentVariables = v; }
  public EnvironmentDefinition getEnvironmentDefinition() { return environmentDefinition; }
  public void setEnvironmentDefinition(EnvironmentDefinition v) { this.environmentDefinition = v; }
  public List<DataReference> getInputs() { return inputs; }
  public void setInputs(List<DataReference> v) { this.inputs = v; }
  public String getShmSize() { return shmSize; }
  public void setShmSize(String v) { this.shmSize = v; }
  public DataReference getResumeFrom() { return resumeFrom; }
  public void setResumeFrom(DataReference v) { this.resumeFrom = v; }
  public Outputs getOutputs() { return outputs; }
  public void setOutputs(Outputs v) { this.outputs = v; }
  public Long getMaxRunDurationSeconds() { return maxRunDurationSeconds; }
  public void setMaxRunDurationSeconds(Long v) { this.maxRunDurationSeconds = v; }
  public String getFrameworkVersion() { return frameworkVersion; }
  public void setFrameworkVersion(String v) { this.frameworkVersion = v; }
  public KubernetesSettings getKubernetes() { return kubernetes; }
  public void setKubernetes(KubernetesSettings v) { this.kubernetes = v; }
  @JsonIgnore
  public UnreadableSpec getUnreadable() { return unreadable; }
  @JsonIgnore
  public void setUnreadable(UnreadableSpec v) { this.unreadable = v; }
  public RunPolicy getRunPolicy() { return runPolicy; }
  public void setRunPolicy(RunPolicy v) { this.runPolicy = v; }
}
