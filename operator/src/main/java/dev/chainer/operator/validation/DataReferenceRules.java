package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.DataReference;
import dev.chainer.operator.api.DataStore;
import dev.chainer.operator.render.DataMounts;
import dev.chainer.operator.render.OutputsVolume;
import dev.chainer.operator.render.Paths;
import dev.chainer.operator.spec.EffectiveOutputs;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** Rules for data stores and data references (inputs, resumeFrom, the source directory's store). */
final class DataReferenceRules {
  /** Mount points of the operator's own volumes: an input there would hide them, or be refused as a duplicate. */
  static final List<String> OPERATOR_PATHS = List.of(Paths.SHM, Paths.SSH, Paths.MPI, Paths.SOURCE, Paths.PYTHON,
      Paths.SOURCE_FILES, Paths.STORES, Paths.DOWNLOADS);

  private DataReferenceRules() {}

  /** Whether the path, normalised, is one of the operator's own mount points, under one, or above one. */
  static boolean isOperatorPath(String path) {
    String clean = EffectiveOutputs.normalise(path);
    return OPERATOR_PATHS.stream().anyMatch(p -> MountPaths.overlaps(clean, p));
  }

  /** The names $AZUREML_DATAREFERENCE_<name> can take in the job: its inputs, MODEL_LOCATION, outputs. */
  static Set<String> declaredNames(ChainerJobSpec spec) {
    Set<String> names = new TreeSet<>();
    if (spec.getInputs() != null) {
      spec.getInputs().stream().filter(i -> i != null && i.getName() != null).forEach(i -> names.add(i.getName()));
    }
    if (spec.getResumeFrom() != null) {
      names.add(DataMounts.MODEL_LOCATION);
    }
    if (spec.getOutputs() != null) {
      names.add(OutputsVolume.DATA_REFERENCE);
    }
    return names;
  }

  static void checkStore(DataStore store, String field, boolean gitAllowed, List<Problem> out) {
    if (store == null) {
      return;
    }
    if (store.kindsNamed() != 1) {
      out.add(Problem.error(field, "name exactly one of persistentVolumeClaim, nfs, configMap, secret, git"));
      return;
    }
    if (store.getGit() != null) {
      if (!gitAllowed) {
        out.add(Problem.error(field + ".git", "a git repository can only be a sourceDirectoryDataStore"));
      } else if (store.getGit().getUrl() == null || store.getGit().getUrl().isBlank()
          || store.getGit().getUrl().startsWith("-")) {
        out.add(Problem.error(field + ".git.url", "is required and must not start with '-'"));
      } else if (store.getGit().getRevision() != null && store.getGit().getRevision().startsWith("-")) {
        out.add(Problem.error(field + ".git.revision", "must not start with '-'"));
      }
    }
    if (store.getItems() != null && !store.getItems().isEmpty() && store.getConfigMap() == null
        && store.getSecret() == null) {
      out.add(Problem.error(field + ".items", "apply only to a configMap or secret store"));
    }
    if (store.getNfs() != null && (store.getNfs().getServer() == null || store.getNfs().getPath() == null)) {
      out.add(Problem.error(field + ".nfs", "needs both server and path"));
    }
  }

  static void checkInputs(List<DataReference> inputs, List<Problem> out) {
    if (inputs == null) {
      return;
    }
    Set<String> names = new HashSet<>();
    for (int i = 0; i < inputs.size(); i++) {
      DataReference ref = inputs.get(i);
      String field = "spec.inputs[" + i + "]";
      if (ref == null) {
        out.add(Problem.error(field, "must not be empty"));
        continue;
      }
      if (!Rules.isEnvName(ref.getName())) {
        out.add(Problem.error(field + ".name", "is required and must be letters, digits and '_', not starting "
            + "with a digit: it names the environment variable AZUREML_DATAREFERENCE_<name>"));
      } else if (!names.add(ref.getName())) {
        out.add(Problem.error(field + ".name", "'" + ref.getName() + "' is used by another input"));
      }
      if (DataMounts.MODEL_LOCATION.equals(ref.getName())) {
        out.add(Problem.error(field + ".name", "'" + DataMounts.MODEL_LOCATION + "' names spec.resumeFrom's data "
            + "reference (AZUREML_DATAREFERENCE_MODEL_LOCATION): choose another name"));
      }
      checkReference(ref, field, out);
    }
  }

  /**
   * A path on a store that stays inside it, and a path on compute that is absolute and clean (outputs and data
   * references alike); false when the path on compute is not.
   */
  static boolean checkPaths(String onStore, String onCompute, String field, List<Problem> out) {
    // '|', not '||': both paths are reported
    if (Rules.refuseControlCharacters(onStore, field + ".pathOnDataStore", "a path", out)
        | Rules.refuseControlCharacters(onCompute, field + ".pathOnCompute", "a path", out)) {
      return false;
    }
    if (onStore != null && !onStore.isEmpty() && !Rules.isContainedRelativePath(onStore)) {
      out.add(Problem.error(field + ".pathOnDataStore", "must be a relative path inside the data store "
          + "(no leading '/' or '-', no '..')"));
    }
    if (onCompute != null && (!Rules.isAbsoluteCleanPath(onCompute) || EffectiveOutputs.normalise(onCompute)
        .equals("/"))) {
      out.add(Problem.error(field + ".pathOnCompute", "must be an absolute path other than '/', without '..'"));
      return false;
    }
    return true;
  }

  static void checkReference(DataReference ref, String field, List<Problem> out) {
    if (ref.getDataStore() == null) {
      out.add(Problem.error(field + ".dataStore", "is required"));
    } else {
      checkStore(ref.getDataStore(), field + ".dataStore", false, out);
    }
    String path = ref.getPathOnCompute();
    if (checkPaths(ref.getPathOnDataStore(), path, field, out) && path != null && isOperatorPath(path)) {
      out.add(Problem.error(field + ".pathOnCompute", "'" + path + "' is where the operator mounts its own files "
          + "(" + String.join(", ", OPERATOR_PATHS) + "): choose another path"));
    }
  }
}
