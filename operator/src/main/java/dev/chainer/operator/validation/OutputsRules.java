package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.DataReference;
import dev.chainer.operator.api.Outputs;
import dev.chainer.operator.render.OutputsVolume;
import dev.chainer.operator.render.Paths;
import dev.chainer.operator.spec.EffectiveOutputs;
import dev.chainer.operator.spec.JobContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Rules for spec.outputs: one store that pods can write to, a directory that stays inside it, a mount that hides
 * nothing of the job's (code, inputs, the operator's own files) and is hidden by nothing (its variables are the
 * operator's: OperatorEnvironment). Also warns when the script's snapshots would not land in the outputs.
 */
final class OutputsRules {
  private static final String FIELD = "spec.outputs";

  private OutputsRules() {}

  static void check(JobContext context, List<Problem> out) {
    ChainerJobSpec spec = context.spec();
    Outputs outputs = spec.getOutputs();
    if (outputs == null) {
      return;
    }
    checkStore(outputs, spec, out);
    if (!DataReferenceRules.checkPaths(outputs.getPathOnDataStore(), outputs.getPathOnCompute(), FIELD, out)) {
      return;
    }
    Optional<EffectiveOutputs> effective = context.outputs();
    effective.ifPresent(o -> checkPlace(o, spec, out));
    effective.ifPresent(o -> checkCheckpoints(o, outputs, spec, out));
  }

  private static void checkStore(Outputs outputs, ChainerJobSpec spec, List<Problem> out) {
    if ((outputs.getDataStore() == null) == (outputs.getClaimTemplate() == null)) {
      out.add(Problem.error(FIELD, "name exactly one of dataStore (an existing claim or NFS export) or claimTemplate "
          + "(a claim the operator creates)"));
    }
    if (outputs.getDataStore() != null) {
      DataReferenceRules.checkStore(outputs.getDataStore(), FIELD + ".dataStore", false, out);
      String claim = outputs.getDataStore().getPersistentVolumeClaim();
      if (claim != null && !ObjectRules.isDnsSubdomain(claim)) {
        out.add(Problem.error(FIELD + ".dataStore.persistentVolumeClaim", "'" + claim + "' is not a valid claim name "
            + "(a DNS subdomain: lower-case letters, digits, '-' and '.', at most 253 characters)"));
      }
      if (outputs.getDataStore().getConfigMap() != null || outputs.getDataStore().getSecret() != null) {
        out.add(Problem.error(FIELD + ".dataStore", "must be a persistentVolumeClaim or nfs: a ConfigMap or Secret "
            + "is read-only"));
      }
    }
    if (outputs.getRetentionPolicy() != null && outputs.getClaimTemplate() == null) {
      out.add(Problem.error(FIELD + ".retentionPolicy", "applies only to a claim the operator creates "
          + "(claimTemplate): a claim or NFS export you name is never deleted by the operator"));
    }
    checkTemplateModes(outputs, spec, out);
    if (outputs.getClaimTemplate() != null && outputs.getClaimTemplate().getSize() != null
        && !Rules.isQuantity(outputs.getClaimTemplate().getSize())) {
      out.add(Problem.error(FIELD + ".claimTemplate.size", "must be a Kubernetes quantity such as 10Gi"));
    }
  }

  /** The worker pods that mount the outputs at once (0: a single-process job, whose launcher is the only pod). */
  private static int workers(ChainerJobSpec spec) {
    boolean mpi = spec.getDistributedBackend() != null || spec.getDistributedTraining() != null;
    return !mpi ? 0 : spec.getNodeCount() == null ? 1 : spec.getNodeCount();
  }

  /** A claim the operator would create that the job's own pods could not all write to. */
  private static void checkTemplateModes(Outputs outputs, ChainerJobSpec spec, List<Problem> out) {
    if (outputs.getClaimTemplate() == null || outputs.getClaimTemplate().getAccessModes() == null
        || outputs.getClaimTemplate().getAccessModes().isEmpty()) {
      return;
    }
    List<String> modes = outputs.getClaimTemplate().getAccessModes().stream().map(Enum::name).toList();
    boolean writable = modes.stream().anyMatch(m -> m.startsWith("ReadWrite"));
    int workers = workers(spec);
    String field = FIELD + ".claimTemplate.accessModes";
    if (!writable) {
      out.add(Problem.error(field, modes + " is read-only, and the job writes its outputs there"));
    } else if (!modes.contains("ReadWriteMany") && workers > 1) {
      out.add(Problem.error(field, modes + " cannot be mounted by " + workers + " workers on different nodes: "
          + "include ReadWriteMany"));
    } else if (modes.equals(List.of("ReadWriteOncePod")) && workers > 0) {
      out.add(Problem.error(field, "ReadWriteOncePod lets one pod mount the claim, and the launcher and workers all "
          + "do: include ReadWriteMany"));
    }
  }

  /** The outputs' two mount points against everything else mounted in a training container. */
  private static void checkPlace(EffectiveOutputs o, ChainerJobSpec spec, List<Problem> out) {
    String path = EffectiveOutputs.normalise(o.pathOnCompute());
    if (DataReferenceRules.isOperatorPath(path)) {
      out.add(Problem.error(FIELD + ".pathOnCompute", "'" + path + "' is where the operator mounts its own files ("
          + String.join(", ", DataReferenceRules.OPERATOR_PATHS) + "): choose another path"));
    }
    String workingDirectory = workingDirectory(spec);
    if (workingDirectory != null && MountPaths.overlaps(path, EffectiveOutputs.normalise(workingDirectory))
        && !path.startsWith(EffectiveOutputs.normalise(workingDirectory) + "/")) {
      out.add(Problem.error(FIELD + ".pathOnCompute", "'" + path + "' would hide the script's working directory "
          + workingDirectory + ": choose a path outside it (its 'outputs' entry points to the outputs anyway)"));
    }
    List<String> mounted = new ArrayList<>(List.of(path));
    if (workingDirectory != null) {
      mounted.add(EffectiveOutputs.normalise(Paths.join(workingDirectory, EffectiveOutputs.WORKING_DIRECTORY_ENTRY)));
    }
    List<DataReference> inputs = spec.getInputs() == null ? List.of() : spec.getInputs();
    for (int i = 0; i < inputs.size(); i++) {
      DataReference input = inputs.get(i);
      if (input == null) {
        continue;
      }
      if (OutputsVolume.DATA_REFERENCE.equals(input.getName())) {
        out.add(Problem.error("spec.inputs[" + i + "].name", "'outputs' names the job's outputs "
            + "(AZUREML_DATAREFERENCE_outputs): choose another name"));
      }
      String inputPath = input.getPathOnCompute() == null ? Paths.join(Paths.DATA, String.valueOf(input.getName()))
          : input.getPathOnCompute();
      checkApart("spec.inputs[" + i + "].pathOnCompute", inputPath, mounted, out);
    }
    if (spec.getResumeFrom() != null) {
      String model = spec.getResumeFrom().getPathOnCompute() == null ? Paths.MODEL_LOCATION
          : spec.getResumeFrom().getPathOnCompute();
      checkApart("spec.resumeFrom.pathOnCompute", model, mounted, out);
    }
  }

  private static void checkApart(String field, String path, List<String> outputs, List<Problem> out) {
    String normal = EffectiveOutputs.normalise(path);
    for (String o : outputs) {
      if (MountPaths.overlaps(normal, o)) {
        out.add(Problem.error(field, "'" + path + "' overlaps the outputs mounted at " + o + ": one would hide the "
            + "other"));
        return;
      }
    }
  }

  private static String workingDirectory(ChainerJobSpec spec) {
    if (spec.getSourceDirectoryDataStore() != null) {
      return Paths.join(Paths.SOURCE, spec.getSourceDirectory());
    }
    return spec.getSourceDirectory();
  }

  /** Snapshots the script writes outside the outputs die with its pods: said once, as a warning. */
  private static void checkCheckpoints(EffectiveOutputs o, Outputs outputs, ChainerJobSpec spec, List<Problem> out) {
    boolean directoryGiven = outputs.getCheckpoints() != null && outputs.getCheckpoints().getDirectory() != null;
    if (!o.resume() || directoryGiven) {
      return;
    }
    EffectiveOutputs.outArgument(spec).filter(arg -> EffectiveOutputs.scriptOut(spec, o.pathOnCompute()).isEmpty())
        .ifPresent(arg -> out.add(Problem.advice("spec.scriptParams[--out]", "SnapshotsNotKept", "the script writes "
            + "its results and snapshots to '" + arg + "', outside the outputs: they are lost with the pods and no "
            + "attempt can resume from them; use --out outputs (or outputs/<dir>)")));
  }
}
