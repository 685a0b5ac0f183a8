package dev.chainer.operator.validation;

import dev.chainer.operator.api.DataReference;
import dev.chainer.operator.api.DataStore;
import dev.chainer.operator.render.Paths;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Rules for data stores and data references (inputs, resumeFrom, the source directory's store). */
final class DataReferenceRules {
  /** Mount points of the operator's own volumes: an input there would hide them, or be refused as a duplicate. */
  static final List<String> OPERATOR_PATHS = List.of(Paths.SHM, Paths.SSH, Paths.MPI, Paths.SOURCE, Paths.PYTHON,
      Paths.SOURCE_FILES, Paths.STORES, Paths.DOWNLOADS);

  private DataReferenceRules() {}

  static boolean isOperatorPath(String path) {
    String clean = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
    return OPERATOR_PATHS.stream().anyMatch(p -> clean.equals(p) || clean.startsWith(p + "/")
        || p.startsWith(clean + "/"));
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
    Set<String> paths = new HashSet<>();
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
      checkReference(ref, field, out);
      if (ref.getPathOnCompute() != null && !paths.add(ref.getPathOnCompute())) {
        out.add(Problem.error(field + ".pathOnCompute", "'" + ref.getPathOnCompute()
            + "' is used by another input"));
      }
    }
  }

  /**
   * A path on a store that stays inside it, and a path on compute that is absolute and clean (outputs and data
   * references alike); false when the path on compute is not.
   */
  static boolean checkPaths(String onStore, String onCompute, String field, List<Problem> out) {
    if (onStore != null && !onStore.isEmpty() && !Rules.isContainedRelativePath(onStore)) {
      out.add(Problem.error(field + ".pathOnDataStore", "must be a relative path inside the data store "
          + "(no leading '/' or '-', no '..')"));
    }
    if (onCompute != null && (!Rules.isAbsoluteCleanPath(onCompute) || onCompute.equals("/"))) {
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
