package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobCrd;
import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.Limits;
import dev.chainer.operator.api.UnreadableSpec;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.kueue.Kueue;
import dev.chainer.operator.spec.EffectiveOutputs;
import dev.chainer.operator.spec.JobContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Checks a ChainerJob and returns every problem at once, errors and warnings, each naming the field and
 * the rule. The estimator's own rules come first, in the order the Azure ML SDK checked them; the CRD
 * carries the same rules as CEL for clusters that run it, but the operator never relies on that.
 */
public final class SpecValidator {
  private SpecValidator() {}

  public static List<Problem> validate(ChainerJob job, OperatorConfig config) {
    return validate(JobContext.of(job, config));
  }

  /** Every problem of the job, each naming its field; its effective spec is read only once the schema holds. */
  public static List<Problem> validate(JobContext context) {
    ChainerJob job = context.job();
    OperatorConfig config = context.config();
    List<Problem> out = new ArrayList<>();
    MetadataRules.check(job.getMetadata(), out);
    checkQueue(job, config, out);
    QueueRules.checkMetadata(job, out);
    ChainerJobSpec spec = job.getSpec();
    if (spec == null) {
      out.add(Problem.error("spec", "is required"));
      return out;
    }
    if (spec.getUnreadable() != null) {
      checkUnreadable(spec.getUnreadable(), out);
      return out;
    }
    out.addAll(StructuralSchema.validate(Serialization.jsonMapper().valueToTree(spec), ChainerJobCrd.specSchema(),
        "spec"));
    boolean schemaHolds = !hasErrors(out);
    try {
      checkRules(context, out);
    } catch (RuntimeException e) {
      // The rules assume what the schema guarantees (an API server never stores anything else); when it does not
      // hold, the schema's messages above already say why.
      if (schemaHolds) {
        throw e;
      }
    }
    if (!hasErrors(out)) {
      out.addAll(Preflight.check(context));
    }
    return out;
  }

  /** The estimator's rules, then the operator's own, each adding every problem it finds. */
  private static void checkRules(JobContext context, List<Problem> out) {
    ChainerJobSpec spec = context.spec();
    OperatorConfig config = context.config();
    EstimatorRules.check(context, out);
    checkSource(spec, out);
    ArgumentRules.check(spec, out);
    EnvironmentRules.check(context, out);
    PackageRules.check(context.effective(), out);
    OutputsRules.check(context, out);
    DataReferenceRules.checkInputs(spec.getInputs(), out);
    if (spec.getResumeFrom() != null) {
      DataReferenceRules.checkReference(spec.getResumeFrom(), "spec.resumeFrom", out);
    }
    MountPaths.check(spec, out);
    ResourceRules.check(context, out);
    KubernetesRules.check(spec, out);
    SecurityRules.check(spec, config, out);
    QueueRules.checkSpec(context, out);
    ManagedByRule.check(spec, out);
    PodMetadataRules.check(context, out);
    PlacementRules.check(spec, config, out);
    ObjectNames.checkRoles(spec, out);
    DataStoreRules.check(spec, out);
    ImageRules.check(spec, out);
    TenancyRules.check(context, out);
  }

  /** A job that asks for a Kueue queue must not run before Kueue admits it: the operator must speak Kueue. */
  private static void checkQueue(ChainerJob job, OperatorConfig config, List<Problem> out) {
    if (job.getMetadata() != null && Kueue.queueName(job) != null && !config.isKueueIntegration()) {
      out.add(Problem.error("metadata.labels[" + Kueue.QUEUE_NAME + "]", "names a Kueue queue, but the operator "
          + "is not configured for Kueue (kueueIntegration: true): the job would run without waiting for admission"));
    }
  }

  public static boolean hasErrors(List<Problem> problems) {
    return problems.stream().anyMatch(Problem::isError);
  }

  /** The schema names what is wrong where it can; the reader's own reason is the fallback. */
  private static void checkUnreadable(UnreadableSpec unreadable, List<Problem> out) {
    List<Problem> schema = StructuralSchema.validate(unreadable.raw(), ChainerJobCrd.specSchema(), "spec");
    if (schema.isEmpty()) {
      out.add(Problem.error(unreadable.field(), "cannot be read: " + unreadable.reason()));
    }
    out.addAll(schema);
  }

  /** '.', './', 'dir/', 'dir/.': what no file can be (a trailing '/' or '.' segment always names a directory). */
  private static boolean isDirectory(String path) {
    return path.endsWith("/") || path.equals(".") || path.endsWith("/.") || EffectiveOutputs.normalise(path)
        .equals(".");
  }

  private static void checkSource(ChainerJobSpec spec, List<Problem> out) {
    String entry = spec.getEntryScript();
    if (entry == null || entry.isBlank()) {
      out.add(Problem.error("spec.entryScript", "is required: the script to run, relative to sourceDirectory"));
    } else if (Rules.refuseControlCharacters(entry, "spec.entryScript", "a path", out)
        || Rules.refuseControlCharacters(spec.getSourceDirectory(), "spec.sourceDirectory", "a path", out)) {
      return;
    } else if (isDirectory(entry)) {
      out.add(Problem.error("spec.entryScript", "'" + entry + "' names a directory, not a script file: give the "
          + "script's path relative to sourceDirectory, such as train.py"));
    } else if (!Rules.isContainedRelativePath(entry)) {
      out.add(Problem.error("spec.entryScript", "must be a relative path inside sourceDirectory (no leading '/' "
          + "or '-', no '..'), got '" + entry + "'"));
    }
    DataReferenceRules.checkStore(spec.getSourceDirectoryDataStore(), "spec.sourceDirectoryDataStore", true, out);
    String dir = spec.getSourceDirectory();
    if (spec.getSourceDirectoryDataStore() == null) {
      if (dir == null || dir.isEmpty()) {
        out.add(Problem.error("spec.sourceDirectory", "is required: the directory in the image that holds "
            + "entryScript (an absolute path such as /app), or set sourceDirectoryDataStore to bring the code "
            + "from a PersistentVolumeClaim, NFS share, ConfigMap, Secret or Git repository"));
      } else if (!Rules.isAbsoluteCleanPath(dir)) {
        out.add(Problem.error("spec.sourceDirectory", "must be an absolute path in the image when "
            + "sourceDirectoryDataStore is not set, got '" + dir + "'"));
      }
    } else if (dir != null && !dir.isEmpty() && !dir.equals(".") && !Rules.isContainedRelativePath(dir)) {
      out.add(Problem.error("spec.sourceDirectory", "must be a relative path inside sourceDirectoryDataStore "
          + "(no leading '/' or '-', no '..'), got '" + dir + "'"));
    }
  }
}
