package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.DataReference;
import dev.chainer.operator.api.DataStore;
import dev.chainer.operator.api.GitStore;
import dev.chainer.operator.api.NfsStore;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Whether every data store the job names can be reached as Kubernetes and git would reach it: claim, ConfigMap and
 * Secret names with Kubernetes' name syntax ({@link ObjectNames}); an NFS volume with a server and an absolute path
 * (pkg/apis/core/validation, validateNFSVolumeSource: server "Required value", path "Required value" and "must be an
 * absolute path"); a git URL that git clones without running anything: no {@code <helper>::<address>} form (git's
 * remote helpers: {@code ext::} runs any command, {@code fd::} talks to a file descriptor, and every other helper is a
 * program found on the PATH) and no space or control character.
 */
final class DataStoreRules {
  /** git's transport::address syntax (transport.c, "remote helper"): a helper name, then '::'. */
  private static final Pattern REMOTE_HELPER = Pattern.compile("^[A-Za-z0-9][-A-Za-z0-9+._]*::.*", Pattern.DOTALL);

  private DataStoreRules() {}

  static void check(ChainerJobSpec spec, List<Problem> out) {
    stores(spec).forEach((field, store) -> check(store, field, out));
  }

  /** Every store of the job, by its field. */
  private static Map<String, DataStore> stores(ChainerJobSpec spec) {
    Map<String, DataStore> stores = new LinkedHashMap<>();
    List<DataReference> inputs = spec.getInputs() == null ? List.of() : spec.getInputs();
    for (int i = 0; i < inputs.size(); i++) {
      if (inputs.get(i) != null) {
        stores.put("spec.inputs[" + i + "].dataStore", inputs.get(i).getDataStore());
      }
    }
    if (spec.getResumeFrom() != null) {
      stores.put("spec.resumeFrom.dataStore", spec.getResumeFrom().getDataStore());
    }
    stores.put("spec.sourceDirectoryDataStore", spec.getSourceDirectoryDataStore());
    if (spec.getOutputs() != null) {
      stores.put("spec.outputs.dataStore", spec.getOutputs().getDataStore());
    }
    return stores;
  }

  private static void check(DataStore store, String field, List<Problem> out) {
    if (store == null) {
      return;
    }
    ObjectNames.check(store.getPersistentVolumeClaim(), field + ".persistentVolumeClaim", "PersistentVolumeClaim",
        out);
    ObjectNames.check(store.getConfigMap(), field + ".configMap", "ConfigMap", out);
    ObjectNames.check(store.getSecret(), field + ".secret", "Secret", out);
    nfs(store.getNfs(), field + ".nfs", out);
    git(store.getGit(), field + ".git", out);
  }

  private static void nfs(NfsStore nfs, String field, List<Problem> out) {
    if (nfs == null) {
      return;
    }
    String server = nfs.getServer();
    if (server != null && (server.isBlank() || hasControlOrSpace(server))) {
      out.add(Problem.error(field + ".server", "must be the NFS server's host name or IP address, without spaces "
          + "or control characters, got " + QueueRules.shown(server)));
    }
    String path = nfs.getPath();
    if (path != null && (!path.startsWith("/") || hasControl(path))) {
      out.add(Problem.error(field + ".path", "must be an absolute path (starting with '/') on the NFS server, as "
          + "Kubernetes requires of an NFS volume, got " + QueueRules.shown(path)));
    }
  }

  private static void git(GitStore git, String field, List<Problem> out) {
    if (git == null) {
      return;
    }
    String url = git.getUrl();
    if (url != null && hasControlOrSpace(url)) {
      out.add(Problem.error(field + ".url", "must not hold spaces or control characters (a URL writes them %-encoded), "
          + "got " + QueueRules.shown(url)));
    } else if (url != null && REMOTE_HELPER.matcher(url).matches()) {
      out.add(Problem.error(field + ".url", "uses git's <transport>::<address> form, which runs a remote helper "
          + "program (ext:: runs any command, fd:: reads a file descriptor): use an https://, ssh:// or "
          + "git@host:path URL, got " + QueueRules.shown(url)));
    }
    if (git.getRevision() != null && (hasControlOrSpace(git.getRevision()) || git.getRevision().isEmpty())) {
      out.add(Problem.error(field + ".revision", "must be a branch, tag or commit, without spaces or control "
          + "characters, got " + QueueRules.shown(git.getRevision())));
    }
  }

  static boolean hasControl(String s) {
    return s.chars().anyMatch(c -> c < 0x20 || c == 0x7f);
  }

  private static boolean hasControlOrSpace(String s) {
    return s.chars().anyMatch(c -> c <= 0x20 || c == 0x7f);
  }
}
