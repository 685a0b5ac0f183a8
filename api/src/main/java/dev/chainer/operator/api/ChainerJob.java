package dev.chainer.operator.api;

import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crdv2.generator.v1.SchemaCustomizer;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A distributed Chainer / ChainerMN training run, described with the Azure ML estimator's parameters. */
@Group(ChainerJob.GROUP)
@Version(ChainerJob.VERSION)
@Kind("ChainerJob")
@Plural("chainerjobs")
@Singular("chainerjob")
@ShortNames("chj")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready", getDescription = "Ready workers / workers")
@AdditionalPrinterColumn(name = "Progress", jsonPath = ".status.progress.percent",
    type = AdditionalPrinterColumn.Type.INTEGER, getDescription = "Percent of training done")
@AdditionalPrinterColumn(name = "Epoch", jsonPath = ".status.progress.epoch", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Restarts", jsonPath = ".status.restartCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
// Worker pods are named <job>-worker-<n>; a StatefulSet name must leave room for its 11-character
// revision-hash suffix within 63, hence 45.
@ValidationRule(value = "self.metadata.name.size() <= 45 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    message = "metadata.name must be a DNS label of at most 45 characters starting with a letter: it names the "
        + "job's Service, StatefulSet and pods")
// Once a run has started, the fields that shape it are frozen (runPolicy stays editable). Only scalar
// and small fields are compared, to keep the rule's estimated cost far below the API server's limit;
// the operator ignores edits of the others itself (see RunSpec).
@ValidationRule(value = ChainerJob.FROZEN_ONCE_STARTED,
    message = "the job has started: only spec.runPolicy can change; delete and re-create the job to change "
        + "anything else")
@SchemaCustomizer(CrdSchemaBounds.class)
@SchemaCustomizer(NullableValues.class)
public class ChainerJob extends CustomResource<ChainerJobSpec, ChainerJobStatus> implements Namespaced {
  public static final String GROUP = "chainer.dev";
  public static final String VERSION = "v1";
  public static final String API_VERSION = GROUP + "/" + VERSION;

  /** CEL: true while the job has not started, or when none of the run-shaping fields changed. */
  static final String FROZEN_ONCE_STARTED = "!has(oldSelf.status) || !has(oldSelf.status.startTime) || ("
      + "(has(self.spec.sourceDirectory) == has(oldSelf.spec.sourceDirectory) && (!has(self.spec.sourceDirectory) || self.spec.sourceDirectory == oldSelf.spec.sourceDirectory))"
      + " && (has(self.spec.entryScript) == has(oldSelf.spec.entryScript) && (!has(self.spec.entryScript) || self.spec.entryScript == oldSelf.spec.entryScript))"
      + " && (has(self.spec.nodeCount) == has(oldSelf.spec.nodeCount) && (!has(self.spec.nodeCount) || self.spec.nodeCount == oldSelf.spec.nodeCount))"
      + " && (has(self.spec.processCountPerNode) == has(oldSelf.spec.processCountPerNode) && (!has(self.spec.processCountPerNode) || self.spec.processCountPerNode == oldSelf.spec.processCountPerNode))"
      + " && (has(self.spec.distributedBackend) == has(oldSelf.spec.distributedBackend) && (!has(self.spec.distributedBackend) || self.spec.distributedBackend == oldSelf.spec.distributedBackend))"
      + " && (has(self.spec.distributedTraining) == has(oldSelf.spec.distributedTraining) && (!has(self.spec.distributedTraining) || self.spec.distributedTraining == oldSelf.spec.distributedTraining))"
      + " && (has(self.spec.useGpu) == has(oldSelf.spec.useGpu) && (!has(self.spec.useGpu) || self.spec.useGpu == oldSelf.spec.useGpu))"
      + " && (has(self.spec.customDockerImage) == has(oldSelf.spec.customDockerImage) && (!has(self.spec.customDockerImage) || self.spec.customDockerImage == oldSelf.spec.customDockerImage))"
      + " && (has(self.spec.customDockerBaseImage) == has(oldSelf.spec.customDockerBaseImage) && (!has(self.spec.customDockerBaseImage) || self.spec.customDockerBaseImage == oldSelf.spec.customDockerBaseImage))"
      + " && (has(self.spec.userManaged) == has(oldSelf.spec.userManaged) && (!has(self.spec.userManaged) || self.spec.userManaged == oldSelf.spec.userManaged))"
      + " && (has(self.spec.shmSize) == has(oldSelf.spec.shmSize) && (!has(self.spec.shmSize) || self.spec.shmSize == oldSelf.spec.shmSize))"
      + " && (has(self.spec.frameworkVersion) == has(oldSelf.spec.frameworkVersion) && (!has(self.spec.frameworkVersion) || self.spec.frameworkVersion == oldSelf.spec.frameworkVersion))"
      + " && (has(self.spec.maxRunDurationSeconds) == has(oldSelf.spec.maxRunDurationSeconds) && (!has(self.spec.maxRunDurationSeconds) || self.spec.maxRunDurationSeconds == oldSelf.spec.maxRunDurationSeconds))"
      + " && (has(self.spec.computeTarget) == has(oldSelf.spec.computeTarget) && (!has(self.spec.computeTarget) || self.spec.computeTarget == oldSelf.spec.computeTarget))"
      + " && (has(self.spec.vmSize) == has(oldSelf.spec.vmSize) && (!has(self.spec.vmSize) || self.spec.vmSize == oldSelf.spec.vmSize))"
      + " && (has(self.spec.vmPriority) == has(oldSelf.spec.vmPriority) && (!has(self.spec.vmPriority) || self.spec.vmPriority == oldSelf.spec.vmPriority))"
      + " && (has(self.spec.condaDependenciesFile) == has(oldSelf.spec.condaDependenciesFile) && (!has(self.spec.condaDependenciesFile) || self.spec.condaDependenciesFile == oldSelf.spec.condaDependenciesFile))"
      + " && (has(self.spec.pipRequirementsFile) == has(oldSelf.spec.pipRequirementsFile) && (!has(self.spec.pipRequirementsFile) || self.spec.pipRequirementsFile == oldSelf.spec.pipRequirementsFile))"
      + ")";

  /** Never fails on content: see {@link TolerantReaders}. */
  @Override
  @JsonSerialize(using = TolerantReaders.SpecWriter.class)
  public ChainerJobSpec getSpec() {
    return super.getSpec();
  }

  @Override
  @JsonDeserialize(using = TolerantReaders.Spec.class)
  public void setSpec(ChainerJobSpec spec) {
    super.setSpec(spec);
  }

  @Override
  @JsonDeserialize(using = TolerantReaders.Status.class)
  public void setStatus(ChainerJobStatus status) {
    super.setStatus(status);
  }
}
