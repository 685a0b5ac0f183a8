package dev.chainer.operator.render;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.DataReference;
import dev.chainer.operator.api.DataReferenceMode;
import dev.chainer.operator.api.DataStore;
import dev.chainer.operator.api.GitStore;
import dev.chainer.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.VolumeMountBuilder;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the code, the inputs and the resume checkpoint reach a training pod: volumes, the mounts of the
 * training container, the init steps that fetch or copy them, and the AZUREML_DATAREFERENCE_* paths.
 */
public final class DataMounts {
  public static final String MODEL_LOCATION = "MODEL_LOCATION";
  public static final String ENV_PREFIX = "AZUREML_DATAREFERENCE_";

  private final List<Volume> volumes = new ArrayList<>();
  private final List<VolumeMount> mounts = new ArrayList<>();
  private final List<Container> initContainers = new ArrayList<>();
  private final Map<String, String> dataPaths = new LinkedHashMap<>();
  private final String image;
  private String workingDirectory;

  private DataMounts(String image) {
    this.image = image;
  }

  public static DataMounts of(ChainerJobSpec spec, String image, OperatorConfig config) {
    DataMounts m = new DataMounts(image);
    m.addSource(spec, config);
    List<DataReference> inputs = spec.getInputs() == null ? List.of() : spec.getInputs();
    for (int i = 0; i < inputs.size(); i++) {
      DataReference ref = inputs.get(i);
      m.addReference(ref, ref.getName(), "input-" + i, Paths.join(Paths.DATA, ref.getName()), false);
    }
    if (spec.getResumeFrom() != null) {
      m.addReference(spec.getResumeFrom(), MODEL_LOCATION, "resume-from", Paths.MODEL_LOCATION, true);
    }
    return m;
  }

  public List<Volume> volumes() { return volumes; }
  public List<VolumeMount> mounts() { return mounts; }
  public List<Container> initContainers() { return initContainers; }
  /** Path on compute of each data reference, by name. */
  public Map<String, String> dataPaths() { return dataPaths; }
  /** The script's working directory: sourceDirectory where the training containers see it. */
  public String workingDirectory() { return workingDirectory; }

  public List<EnvVar> environment() {
    List<EnvVar> env = new ArrayList<>();
    dataPaths.forEach((name, path) -> env.add(new EnvVar(ENV_PREFIX + name, KubeletEscape.escape(path), null)));
    return env;
  }

  private void addSource(ChainerJobSpec spec, OperatorConfig config) {
    DataStore store = spec.getSourceDirectoryDataStore();
    if (store == null) {
      workingDirectory = spec.getSourceDirectory();
      return;
    }
    workingDirectory = Paths.join(Paths.SOURCE, spec.getSourceDirectory());
    if (store.getGit() != null) {
      volumes.add(emptyDir("source"));
      mounts.add(mount("source", Paths.SOURCE, null, false));
      addGitClone(store.getGit(), config.getGitImage());
    } else if (store.getConfigMap() != null || store.getSecret() != null) {
      // ConfigMap and Secret volumes are read-only; scripts write their results next to the code.
      volumes.add(fromStore("source-files", store, true));
      volumes.add(emptyDir("source"));
      mounts.add(mount("source", Paths.SOURCE, null, false));
      initContainers.add(copyStep("copy-source", Paths.SOURCE_FILES, Paths.SOURCE,
          List.of(mount("source-files", Paths.SOURCE_FILES, null, true), mount("source", Paths.SOURCE, null, false))));
    } else {
      volumes.add(fromStore("source", store, false));
      mounts.add(mount("source", Paths.SOURCE, null, false));
    }
  }

  private void addGitClone(GitStore git, String gitImage) {
    VolumeMount source = mount("source", Paths.SOURCE, null, false);
    initContainers.add(new ContainerBuilder().withName("fetch-source").withImage(gitImage)
        .withCommand(KubeletEscape.escapeAll(List.of("git", "clone", "--quiet", "--", git.getUrl(), Paths.SOURCE)))
        .withVolumeMounts(source).build());
    if (git.getRevision() != null && !git.getRevision().isEmpty()) {
      initContainers.add(new ContainerBuilder().withName("checkout-source").withImage(gitImage)
          .withCommand(KubeletEscape.escapeAll(
              List.of("git", "-C", Paths.SOURCE, "checkout", "--quiet", git.getRevision(), "--")))
          .withVolumeMounts(source).build());
    }
  }

  /** The name a downloaded file or directory gets inside its emptyDir. */
  private static final String DOWNLOADED = "data";

  private void addReference(DataReference ref, String name, String volume, String defaultPath, boolean readOnly) {
    String path = ref.getPathOnCompute() == null ? defaultPath : ref.getPathOnCompute();
    dataPaths.put(name, path);
    String subPath = ref.getPathOnDataStore() == null || ref.getPathOnDataStore().isEmpty() ? null
        : ref.getPathOnDataStore();
    if (ref.getMode() == DataReferenceMode.DOWNLOAD) {
      // The copy lands in the emptyDir under a fixed name, file or directory alike (a Chainer snapshot is one file);
      // the training container mounts that entry through subPath, which Kubernetes does for files and directories.
      String storePath = Paths.join(Paths.STORES, volume);
      String copyPath = Paths.join(Paths.DOWNLOADS, volume);
      volumes.add(fromStore(volume, ref.getDataStore(), true));
      volumes.add(emptyDir(volume + "-data"));
      mounts.add(mount(volume + "-data", path, DOWNLOADED, readOnly));
      initContainers.add(copyStep("download-" + volume, Paths.join(storePath, subPath), Paths.join(copyPath,
          DOWNLOADED), List.of(mount(volume, storePath, null, true), mount(volume + "-data", copyPath, null, false))));
    } else {
      volumes.add(fromStore(volume, ref.getDataStore(), readOnly));
      mounts.add(mount(volume, path, subPath, readOnly));
    }
  }

  /**
   * Copies a directory's contents, or a single file, following the symlinks ConfigMap and Secret volumes are made
   * of. The paths reach the fixed program as arguments, never as shell text.
   */
  private Container copyStep(String name, String from, String to, List<VolumeMount> stepMounts) {
    return new ContainerBuilder().withName(name).withImage(image)
        .withCommand(KubeletEscape.escapeAll(List.of("/bin/sh", "-c", LauncherScripts.COPY, "copy", from, to)))
        .withVolumeMounts(stepMounts).build();
  }

  static Volume emptyDir(String name) {
    return new VolumeBuilder().withName(name).withNewEmptyDir().endEmptyDir().build();
  }

  static VolumeMount mount(String volume, String path, String subPath, boolean readOnly) {
    return new VolumeMountBuilder().withName(volume).withMountPath(path).withSubPath(subPath)
        .withReadOnly(readOnly ? Boolean.TRUE : null).build();
  }

  private static Volume fromStore(String name, DataStore store, boolean readOnly) {
    VolumeBuilder v = new VolumeBuilder().withName(name);
    if (store.getPersistentVolumeClaim() != null) {
      v.withNewPersistentVolumeClaim(store.getPersistentVolumeClaim(), readOnly ? Boolean.TRUE : null);
    } else if (store.getNfs() != null) {
      v.withNewNfs(store.getNfs().getPath(), readOnly ? Boolean.TRUE : null, store.getNfs().getServer());
    } else if (store.getConfigMap() != null) {
      v.withNewConfigMap().withName(store.getConfigMap()).withItems(items(store)).endConfigMap();
    } else if (store.getSecret() != null) {
      v.withNewSecret().withSecretName(store.getSecret()).withItems(items(store)).endSecret();
    }
    return v.build();
  }

  /** The store's keys laid out by path (the kubelet makes the directories); null: every key under its own name. */
  private static List<KeyToPath> items(DataStore store) {
    return store.getItems() == null || store.getItems().isEmpty() ? null
        : store.getItems().stream().map(f -> new KeyToPath(f.getKey(), null, f.getPath())).toList();
  }
}
