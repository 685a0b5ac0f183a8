package dev.chainer.operator.config;

import dev.chainer.operator.api.MpiImplementation;
import dev.chainer.operator.api.SecurityProfile;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a platform team tunes without rebuilding the operator: images per framework version, node
 * labels of its cloud, the GPU resource name, the cluster domain, the programs inside the images.
 * Read from a YAML file; every key left out keeps its default.
 */
public class OperatorConfig {
  private String defaultFrameworkVersion = "5.1.0";
  private Map<String, FrameworkImages> frameworkVersions = defaultFrameworks();
  /**
   * The registry (a host, optionally with a path) the training images named without one come from: the built-in
   * defaults, chainermn:<version>-<device>, as scripts/build-images.sh pushes them there.
   */
  private String trainingImageRegistry = FrameworkImages.DEFAULT_REGISTRY;
  private String gpuResourceName = "nvidia.com/gpu";
  private String computeTargetNodeLabel = "kubernetes.azure.com/agentpool";
  private String vmSizeNodeLabel = "node.kubernetes.io/instance-type";
  private Map<String, String> lowPriorityNodeSelector = Map.of("kubernetes.azure.com/scalesetpriority", "spot");
  private List<Toleration> lowPriorityTolerations = List.of(new TolerationBuilder()
      .withKey("kubernetes.azure.com/scalesetpriority").withOperator("Equal").withValue("spot")
      .withEffect("NoSchedule").build());
  private String clusterDomain = "cluster.local";
  private String defaultShmSize = "2g";
  private String pythonCommand = "python";
  private String condaCommand = "conda";
  private String sshdCommand = "/usr/sbin/sshd";
  private String gitImage = "alpine/git:2.45.2";
  private Map<MpiImplementation, String> mpirunCommands = defaultMpirunCommands();
  /** How many times (2 s apart) the launcher tries each worker over SSH before giving up. */
  private int workerWaitAttempts = 150;
  /**
   * How long a job may stay stuck on a pod whose image cannot be pulled or whose container cannot be created before it
   * fails (0: for ever); and on a pod the scheduler cannot place (default 0: capacity may free up, queues hold jobs).
   */
  private int stallTimeoutSeconds = 600;
  private int unschedulableTimeoutSeconds = 0;
  /** How long a job's outputs claim may stay unbound before the job says it is stalled on it. */
  private int outputsClaimBindTimeoutSeconds = 300;
  /** How often a running job's progress is read from its launcher's log (0: never). */
  private int progressIntervalSeconds = 10;
  /** How much of the launcher's log is read each time: the last lines, and at most this many bytes. */
  private int progressLogLines = 200;
  private int progressLogBytes = 65536;
  /** The security profile of jobs that do not choose one (spec.kubernetes.securityProfile). */
  private SecurityProfile defaultSecurityProfile = SecurityProfile.ROOT;
  /** User and group of the pods of restricted jobs that do not set spec.kubernetes.runAsUser / runAsGroup. */
  private long restrictedUser = 1000;
  private long restrictedGroup = 1000;
  /** The port sshd listens on as a non-root user (restricted jobs): above 1023, which needs no capability. */
  private int unprivilegedSshPort = 2222;
  /** The gang scheduler whose PodGroups each attempt's workers form (none: the default scheduler). */
  private GangScheduler gangScheduler = GangScheduler.NONE;
  /** The schedulerName of gang-scheduled workers; empty: the scheduler's usual name (volcano, ...). */
  private String gangSchedulerName = "";
  /**
   * Whether jobs labelled kueue.x-k8s.io/queue-name wait for Kueue's admission (a Workload per job). Needs Kueue's
   * CRDs, and Kueue configured with ChainerJob.v1.chainer.dev among its externalFrameworks.
   */
  private boolean kueueIntegration = false;
  /** The Kueue API version the operator speaks: v1beta2 (Kueue 0.15 and later), or v1beta1 for older Kueue. */
  private String kueueApiVersion = "v1beta2";
  /** What the jobs of each namespace may ask for (service accounts, priority classes, nodes, Secrets). */
  private NamespacePolicies namespacePolicies = new NamespacePolicies();

  public static OperatorConfig defaults() {
    return new OperatorConfig();
  }

  /** Reads a YAML configuration; keys it leaves out keep their defaults. */
  public static OperatorConfig load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      OperatorConfig config = defaults();
      String yaml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      if (yaml.isBlank()) {
        return config;
      }
      Object tree = Serialization.unmarshal(yaml, Object.class);
      return Serialization.jsonMapper().readerForUpdating(config)
          .readValue(Serialization.jsonMapper().writeValueAsString(tree));
    }
  }

  /**
   * The images images/chainermn/<tag>/Dockerfile builds (TrainingImagesTest keeps both in step). Chainer 5 needs CuPy
   * 5, whose newest CUDA is 10.1; Chainer 7.0.0 takes any CuPy 7 (its own requirement: >=7.0.0,<8), and CuPy 7.8.0 is
   * the first with CUDA 11.0, the newest CUDA any Chainer can use. The CUDA 9.0 images of Azure ML's era are gone.
   */
  private static Map<String, FrameworkImages> defaultFrameworks() {
    Map<String, FrameworkImages> m = new LinkedHashMap<>();
    m.put("5.1.0", new FrameworkImages("chainermn:5.1.0-cpu", "chainermn:5.1.0-cuda10.1",
        List.of("chainer==5.1.0"), List.of("cupy-cuda101==5.4.0")));
    m.put("7.0.0", new FrameworkImages("chainermn:7.0.0-cpu", "chainermn:7.0.0-cuda11.0",
        List.of("chainer==7.0.0"), List.of("cupy-cuda110==7.8.0")));
    return m;
  }

  private static Map<MpiImplementation, String> defaultMpirunCommands() {
    Map<MpiImplementation, String> m = new EnumMap<>(MpiImplementation.class);
    for (MpiImplementation impl : MpiImplementation.values()) {
      m.put(impl, "mpirun");
    }
    return m;
  }

  public NamespacePolicies getNamespacePolicies() { return namespacePolicies; }
  public void setNamespacePolicies(NamespacePolicies v) {
    this.namespacePolicies = v == null ? new NamespacePolicies() : v;
  }
  public boolean isKueueIntegration() { return kueueIntegration; }
  public String getKueueApiVersion() { return kueueApiVersion; }
  public void setKueueApiVersion(String v) { this.kueueApiVersion = v; }
  public void setKueueIntegration(boolean v) { this.kueueIntegration = v; }
  public GangScheduler getGangScheduler() { return gangScheduler; }
  public void setGangScheduler(GangScheduler v) { this.gangScheduler = v; }
  public String getGangSchedulerName() { return gangSchedulerName; }
  public void setGangSchedulerName(String v) { this.gangSchedulerName = v; }
  /** The schedulerName gang-scheduled workers ask for. */
  public String gangSchedulerNameOrDefault() {
    return gangSchedulerName == null || gangSchedulerName.isEmpty() ? gangScheduler.defaultSchedulerName()
        : gangSchedulerName;
  }
  public SecurityProfile getDefaultSecurityProfile() { return defaultSecurityProfile; }
  public void setDefaultSecurityProfile(SecurityProfile v) { this.defaultSecurityProfile = v; }
  public long getRestrictedUser() { return restrictedUser; }
  public void setRestrictedUser(long v) { this.restrictedUser = v; }
  public long getRestrictedGroup() { return restrictedGroup; }
  public void setRestrictedGroup(long v) { this.restrictedGroup = v; }
  public int getUnprivilegedSshPort() { return unprivilegedSshPort; }
  public void setUnprivilegedSshPort(int v) { this.unprivilegedSshPort = v; }
  public String getDefaultFrameworkVersion() { return defaultFrameworkVersion; }
  public void setDefaultFrameworkVersion(String v) { this.defaultFrameworkVersion = v; }
  public Map<String, FrameworkImages> getFrameworkVersions() { return frameworkVersions; }
  public void setFrameworkVersions(Map<String, FrameworkImages> v) {
    this.frameworkVersions = v;
    pullFrameworkImagesFrom(trainingImageRegistry);
  }
  public String getTrainingImageRegistry() { return trainingImageRegistry; }
  public void setTrainingImageRegistry(String v) {
    this.trainingImageRegistry = v;
    pullFrameworkImagesFrom(v);
  }
  /** Either key may come first in the YAML: each hands the registry to every version's images. */
  private void pullFrameworkImagesFrom(String registry) {
    if (frameworkVersions != null) {
      frameworkVersions.values().stream().filter(Objects::nonNull).forEach(f -> f.pullFrom(registry));
    }
  }
  public String getGpuResourceName() { return gpuResourceName; }
  public void setGpuResourceName(String v) { this.gpuResourceName = v; }
  public String getComputeTargetNodeLabel() { return computeTargetNodeLabel; }
  public void setComputeTargetNodeLabel(String v) { this.computeTargetNodeLabel = v; }
  public String getVmSizeNodeLabel() { return vmSizeNodeLabel; }
  public void setVmSizeNodeLabel(String v) { this.vmSizeNodeLabel = v; }
  public Map<String, String> getLowPriorityNodeSelector() { return lowPriorityNodeSelector; }
  public void setLowPriorityNodeSelector(Map<String, String> v) { this.lowPriorityNodeSelector = v; }
  public List<Toleration> getLowPriorityTolerations() { return lowPriorityTolerations; }
  public void setLowPriorityTolerations(List<Toleration> v) { this.lowPriorityTolerations = v; }
  public String getClusterDomain() { return clusterDomain; }
  public void setClusterDomain(String v) { this.clusterDomain = v; }
  public String getDefaultShmSize() { return defaultShmSize; }
  public void setDefaultShmSize(String v) { this.defaultShmSize = v; }
  public String getPythonCommand() { return pythonCommand; }
  public void setPythonCommand(String v) { this.pythonCommand = v; }
  public String getCondaCommand() { return condaCommand; }
  public void setCondaCommand(String v) { this.condaCommand = v; }
  public String getSshdCommand() { return sshdCommand; }
  public void setSshdCommand(String v) { this.sshdCommand = v; }
  public String getGitImage() { return gitImage; }
  public void setGitImage(String v) { this.gitImage = v; }
  public Map<MpiImplementation, String> getMpirunCommands() { return mpirunCommands; }
  public void setMpirunCommands(Map<MpiImplementation, String> v) { this.mpirunCommands.putAll(v); }
  public int getStallTimeoutSeconds() { return stallTimeoutSeconds; }
  public void setStallTimeoutSeconds(int v) { this.stallTimeoutSeconds = v; }
  public int getUnschedulableTimeoutSeconds() { return unschedulableTimeoutSeconds; }
  public void setUnschedulableTimeoutSeconds(int v) { this.unschedulableTimeoutSeconds = v; }
  public int getOutputsClaimBindTimeoutSeconds() { return outputsClaimBindTimeoutSeconds; }
  public void setOutputsClaimBindTimeoutSeconds(int v) { this.outputsClaimBindTimeoutSeconds = v; }
  public int getProgressIntervalSeconds() { return progressIntervalSeconds; }
  public void setProgressIntervalSeconds(int v) { this.progressIntervalSeconds = v; }
  public int getProgressLogLines() { return progressLogLines; }
  public void setProgressLogLines(int v) { this.progressLogLines = v; }
  public int getProgressLogBytes() { return progressLogBytes; }
  public void setProgressLogBytes(int v) { this.progressLogBytes = v; }
  public int getWorkerWaitAttempts() { return workerWaitAttempts; }
  public void setWorkerWaitAttempts(int v) { this.workerWaitAttempts = v; }
}
