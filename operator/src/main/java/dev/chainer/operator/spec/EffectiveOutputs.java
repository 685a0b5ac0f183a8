package dev.chainer.operator.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.Checkpoints;
import dev.chainer.operator.api.NfsStore;
import dev.chainer.operator.api.Outputs;
import dev.chainer.operator.api.OutputsClaimTemplate;
import dev.chainer.operator.api.OutputsClaimTemplate.AccessMode;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A job's spec.outputs with its defaults: which store, the job's directory in it, where the pods see it, and where
 * its snapshots are. Absent ({@link #of} empty) for a job without outputs, whose files die with its pods.
 *
 * @param claim the claim that holds the results (the user's, or the one the operator creates); null on NFS
 * @param createsClaim whether the operator creates {@code claim} from the job's claimTemplate
 * @param deleteWithJob whether a claim the operator creates goes with the job (retentionPolicy Delete)
 * @param subPath the job's directory inside the store
 * @param pathOnCompute where every training container sees that directory
 * @param checkpointDirectory the snapshots' directory, relative to the outputs ("." for their root)
 * @param resumeArgument the script's resume flag; empty for none
 */
public record EffectiveOutputs(
    String claim,
    NfsStore nfs,
    boolean createsClaim,
    boolean deleteWithJob,
    OutputsClaimTemplate template,
    String subPath,
    String pathOnCompute,
    boolean resume,
    String checkpointDirectory,
    String snapshotPattern,
    String resumeArgument) {
  public static final String DEFAULT_PATH_ON_COMPUTE = "/opt/chainer/outputs";
  /** The working directory's entry that is the outputs, as Azure ML's ./outputs was. */
  public static final String WORKING_DIRECTORY_ENTRY = "outputs";
  public static final String DEFAULT_PATTERN = "snapshot_iter_*";
  public static final String DEFAULT_RESUME_ARGUMENT = "--resume";
  public static final String DEFAULT_SIZE = "10Gi";
  private static final List<String> OUT_FLAGS = List.of("--out", "-o");

  public static Optional<EffectiveOutputs> of(ChainerJobSpec spec, JobNames names) {
    Outputs outputs = spec.getOutputs();
    if (outputs == null) {
      return Optional.empty();
    }
    boolean creates = outputs.getClaimTemplate() != null;
    String claim = creates ? names.outputsClaim()
        : outputs.getDataStore() == null ? null : outputs.getDataStore().getPersistentVolumeClaim();
    NfsStore nfs = creates || outputs.getDataStore() == null ? null : outputs.getDataStore().getNfs();
    String pathOnCompute = outputs.getPathOnCompute() == null ? DEFAULT_PATH_ON_COMPUTE
        : outputs.getPathOnCompute();
    Checkpoints checkpoints = outputs.getCheckpoints() == null ? new Checkpoints() : outputs.getCheckpoints();
    return Optional.of(new EffectiveOutputs(claim, nfs, creates,
        creates && outputs.getRetentionPolicy() == Outputs.RetentionPolicy.Delete,
        outputs.getClaimTemplate(),
        empty(outputs.getPathOnDataStore()) ? names.namespace() + "/" + names.job() : outputs.getPathOnDataStore(),
        pathOnCompute,
        checkpoints.getResume() != Checkpoints.ResumePolicy.Never,
        checkpoints.getDirectory() != null ? normalise(checkpoints.getDirectory())
            : scriptOut(spec, pathOnCompute).orElse("."),
        checkpoints.getPattern() == null ? DEFAULT_PATTERN : checkpoints.getPattern(),
        checkpoints.getResumeArgument() == null ? DEFAULT_RESUME_ARGUMENT : checkpoints.getResumeArgument()));
  }

  /** The snapshots' directory as the training containers see it. */
  public String checkpointPath() {
    return checkpointDirectory.equals(".") ? pathOnCompute : pathOnCompute + "/" + checkpointDirectory;
  }

  /** The claim's access modes: the template's, else ReadWriteMany for several workers and ReadWriteOnce for one. */
  public List<String> accessModes(int nodeCount) {
    if (template != null && template.getAccessModes() != null && !template.getAccessModes().isEmpty()) {
      return template.getAccessModes().stream().map(AccessMode::name).toList();
    }
    return List.of(nodeCount > 1 ? AccessMode.ReadWriteMany.name() : AccessMode.ReadWriteOnce.name());
  }

  public String size() {
    return template == null || template.getSize() == null ? DEFAULT_SIZE : template.getSize();
  }

  /**
   * The script's own --out (or -o), relative to the outputs, when it points into them: the classic Chainer examples
   * write their snapshots to --out. Empty when the script writes elsewhere or says nothing.
   */
  public static Optional<String> scriptOut(ChainerJobSpec spec, String pathOnCompute) {
    return outArgument(spec).flatMap(out -> insideOutputs(out, pathOnCompute));
  }

  /** The value the script gets for --out / -o, from scriptParams or the ordered arguments. */
  public static Optional<String> outArgument(ChainerJobSpec spec) {
    Map<String, JsonNode> params = spec.getScriptParams();
    if (params != null) {
      for (String flag : OUT_FLAGS) {
        JsonNode value = params.get(flag);
        if (value != null && value.isTextual()) {
          return Optional.of(value.asText());
        }
      }
    }
    List<String> args = spec.getArguments() == null ? List.of() : spec.getArguments();
    for (int i = 0; i < args.size(); i++) {
      for (String flag : OUT_FLAGS) {
        if (args.get(i).equals(flag) && i + 1 < args.size()) {
          return Optional.of(args.get(i + 1));
        }
        if (args.get(i).startsWith(flag + "=")) {
          return Optional.of(args.get(i).substring(flag.length() + 1));
        }
      }
    }
    return Optional.empty();
  }

  /** A path relative to the outputs, if {@code path} (as the script sees it from its working directory) is in them. */
  static Optional<String> insideOutputs(String path, String pathOnCompute) {
    for (String root : List.of(WORKING_DIRECTORY_ENTRY, pathOnCompute, "$AZUREML_DATAREFERENCE_outputs",
        "$CHAINER_OUTPUT_DIR")) {
      String normal = normalise(path);
      String base = normalise(root);
      if (normal.equals(base)) {
        return Optional.of(".");
      }
      if (normal.startsWith(base + "/")) {
        return Optional.of(normal.substring(base.length() + 1));
      }
    }
    return Optional.empty();
  }

  /** Drops "." segments, repeated and trailing slashes; ".." is refused by the schema. */
  public static String normalise(String path) {
    StringBuilder out = new StringBuilder(path.startsWith("/") ? "/" : "");
    for (String part : path.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (out.length() > 0 && out.charAt(out.length() - 1) != '/') {
        out.append('/');
      }
      out.append(part);
    }
    return out.length() == 0 ? "." : out.toString();
  }

  private static boolean empty(String s) {
    return s == null || s.isEmpty();
  }
}
