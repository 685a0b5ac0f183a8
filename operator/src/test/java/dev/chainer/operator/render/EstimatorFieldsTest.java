package dev.chainer.operator.render;

import static dev.chainer.operator.testing.Rendered.argv;
import static dev.chainer.operator.testing.Rendered.env;
import static dev.chainer.operator.testing.Rendered.init;
import static dev.chainer.operator.testing.Rendered.initNames;
import static dev.chainer.operator.testing.Rendered.mountAt;
import static dev.chainer.operator.testing.Rendered.volume;
import static dev.chainer.operator.testing.TestJobs.job;
import static dev.chainer.operator.testing.TestJobs.minimal;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.testing.Rendered;
import io.fabric8.kubernetes.api.model.Quantity;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Each estimator parameter reaches the right place in the rendered objects. */
class EstimatorFieldsTest {
  private static final String PVC_SOURCE = "sourceDirectoryDataStore:\n  persistentVolumeClaim: code\n"
      + "entryScript: t.py\nframeworkVersion: \"7.0.0\"\nuserManaged: true\n";

  @Test
  void sourceDirectoryInAPvcIsTheWorkingDirectory() {
    Rendered r = Rendered.of(job(PVC_SOURCE + "sourceDirectory: mnist"));
    assertEquals("code", volume(r.launcherPod(), "source").getPersistentVolumeClaim().getClaimName());
    assertEquals("/opt/chainer/source/mnist", r.launcher().getWorkingDir());
    assertEquals("/opt/chainer/source/mnist/t.py", argv(r.launcher()).get(1));
  }

  @Test
  void sourceInAConfigMapIsCopiedToAWritableDirectory() {
    Rendered r = Rendered.of(job("sourceDirectoryDataStore:\n  configMap: code\nentryScript: t.py\n"
        + "frameworkVersion: \"7.0.0\"\nuserManaged: true"));
    assertEquals("code", volume(r.launcherPod(), "source-files").getConfigMap().getName());
    assertEquals(List.of("/bin/sh", "-c", LauncherScripts.COPY, "copy", "/opt/chainer/source-files",
        "/opt/chainer/source"), argv(init(r.launcherPod(), "copy-source")));
    assertTrue(volume(r.launcherPod(), "source").getEmptyDir() != null);
  }

  @Test
  void sourceInGitIsClonedAndCheckedOutBeforeTheScript() {
    Rendered r = Rendered.of(job("sourceDirectoryDataStore:\n  git:\n    url: https://example.com/r.git\n"
        + "    revision: v1.2\nsourceDirectory: ex\nentryScript: t.py\nframeworkVersion: \"7.0.0\"\nnodeCount: 2\n"
        + "distributedTraining:\n  mpi: {}"));
    assertEquals(List.of("git", "clone", "--quiet", "--", "https://example.com/r.git", "/opt/chainer/source"),
        argv(init(r.workerPod(), "fetch-source")));
    assertEquals(List.of("git", "-C", "/opt/chainer/source", "checkout", "--quiet", "v1.2", "--"),
        argv(init(r.workerPod(), "checkout-source")));
    assertEquals("alpine/git:2.45.2", init(r.workerPod(), "fetch-source").getImage());
    assertTrue(String.join(" ", argv(r.launcher())).contains("-wdir /opt/chainer/source/ex"));
  }

  @Test
  void sourceOnNfs() {
    Rendered r = Rendered.of(job("sourceDirectoryDataStore:\n  nfs:\n    server: fs.local\n    path: /x\n"
        + "entryScript: t.py\nframeworkVersion: \"7.0.0\""));
    assertEquals("fs.local", volume(r.launcherPod(), "source").getNfs().getServer());
    assertEquals("/x", volume(r.launcherPod(), "source").getNfs().getPath());
  }

  @Test
  void computeTargetAndVmSizeBecomeNodeSelectors() {
    Rendered r = Rendered.of(mpi("computeTarget: gpupool\nvmSize: Standard_NC6"));
    Map<String, String> expected = Map.of("kubernetes.azure.com/agentpool", "gpupool",
        "node.kubernetes.io/instance-type", "Standard_NC6");
    assertEquals(expected, r.workerPod().getNodeSelector());
    assertEquals(expected, r.launcherPod().getNodeSelector());
    assertNull(Rendered.of(minimal("computeTarget: local")).launcherPod().getNodeSelector());
  }

  @Test
  void computeTargetLabelIsConfiguration() {
    var config = dev.chainer.operator.config.OperatorConfig.defaults();
    config.setComputeTargetNodeLabel("cloud.google.com/gke-nodepool");
    assertEquals(Map.of("cloud.google.com/gke-nodepool", "p"),
        Rendered.of(minimal("computeTarget: p"), config).launcherPod().getNodeSelector());
  }

  @Test
  void lowPriorityAddsSpotTolerationAndSelector() {
    Rendered r = Rendered.of(mpi("vmPriority: lowpriority"));
    assertEquals("spot", r.workerPod().getNodeSelector().get("kubernetes.azure.com/scalesetpriority"));
    var t = r.workerPod().getTolerations().get(0);
    assertEquals(List.of("kubernetes.azure.com/scalesetpriority", "spot", "NoSchedule"),
        List.of(t.getKey(), t.getValue(), t.getEffect()));
    assertNull(Rendered.of(mpi("vmPriority: dedicated")).workerPod().getTolerations());
  }

  @Test
  void nodeCountAndProcessCountShapeWorkersAndRanks() {
    Rendered r = Rendered.of(job("sourceDirectory: /app\nentryScript: t.py\nframeworkVersion: \"7.0.0\"\n"
        + "nodeCount: 3\nprocessCountPerNode: 4\ndistributedBackend: mpi"));
    assertEquals(3, r.objects().workers().orElseThrow().getSpec().getReplicas());
    assertEquals(3, r.objects().mpiConfigMap().orElseThrow().getData().get("hostfile").lines().count());
    List<String> argv = argv(r.launcher());
    assertEquals("12", argv.get(argv.indexOf("-np") + 1));
  }

  @Test
  void useGpuRequestsOneGpuPerProcessAndTheGpuImageAndCupy() {
    Rendered r = Rendered.of(mpi("useGpu: true"));
    assertEquals(new Quantity("2"), r.worker().getResources().getLimits().get("nvidia.com/gpu"));
    assertEquals("chainer-operator/chainermn:7.0.0-cuda11.0", r.worker().getImage());
    assertNull(r.launcher().getResources(), "the MPI launcher needs no GPU");
    assertTrue(argv(init(r.workerPod(), "install-pip-packages")).contains("cupy-cuda110==7.8.0"));
    Rendered single = Rendered.of(minimal("useGpu: true"));
    assertEquals(new Quantity("1"), single.launcher().getResources().getLimits().get("nvidia.com/gpu"));
  }

  @Test
  void gpuResourceNameIsConfiguration() {
    var config = dev.chainer.operator.config.OperatorConfig.defaults();
    config.setGpuResourceName("amd.com/gpu");
    assertEquals(new Quantity("2"), Rendered.of(mpi("useGpu: true"), config).worker().getResources().getLimits()
        .get("amd.com/gpu"));
  }

  @Test
  void customImageAndItsDeprecatedAliasReplaceTheDefault() {
    assertEquals("me/img:1", Rendered.of(mpi("customDockerImage: me/img:1")).worker().getImage());
    assertEquals("me/base:1", Rendered.of(mpi("customDockerBaseImage: me/base:1")).launcher().getImage());
    assertEquals("chainer-operator/chainermn:5.1.0-cpu", Rendered.of(job("sourceDirectory: /a\nentryScript: t.py"))
        .launcher().getImage());
  }

  @Test
  void registryCredentialsBecomeAPullSecret() {
    Rendered r = Rendered.of(mpi("imageRegistryDetails:\n  address: r.io\n  username: bob\n"
        + "  passwordSecretRef:\n    name: pw"));
    var secret = r.objects().registrySecret().orElseThrow();
    assertEquals("kubernetes.io/dockerconfigjson", secret.getType());
    String json = secret.getStringData().get(".dockerconfigjson");
    assertTrue(json.contains("\"r.io\""), json);
    assertTrue(json.contains(Base64.getEncoder().encodeToString("bob:s3cret".getBytes(StandardCharsets.UTF_8))), json);
    assertEquals("train-registry", r.workerPod().getImagePullSecrets().get(0).getName());
    assertEquals("train-registry", r.launcherPod().getImagePullSecrets().get(0).getName());
    Rendered existing = Rendered.of(mpi("imageRegistryDetails:\n  pullSecretName: acr"));
    assertTrue(existing.objects().registrySecret().isEmpty());
    assertEquals("acr", existing.workerPod().getImagePullSecrets().get(0).getName());
  }

  @Test
  void userManagedInstallsNothing() {
    Rendered r = Rendered.of(mpi("userManaged: true"));
    assertEquals(List.of(), initNames(r.workerPod()));
    assertTrue(!env(r.worker()).containsKey("PYTHONUSERBASE"));
  }

  @Test
  void pipPackagesAndRequirementsFileAreInstalledForTheUserBase() {
    Rendered r = Rendered.of(job(PVC_SOURCE.replace("userManaged: true\n", "") + "sourceDirectory: src\n"
        + "pipPackages: [\"numpy>=1.16\", tqdm]\npipRequirementsFilePath: req.txt"));
    assertEquals(List.of("python", "-m", "pip", "install", "--no-cache-dir", "--user", "chainer==7.0.0",
        "numpy>=1.16", "tqdm", "-r", "/opt/chainer/source/src/req.txt"),
        argv(init(r.launcherPod(), "install-pip-packages")));
    assertEquals("/opt/chainer/python/user", env(r.launcher()).get("PYTHONUSERBASE"));
    assertEquals("python-packages", mountAt(r.launcher(), "/opt/chainer/python").getName());
  }

  @Test
  void condaPackagesBuildAnEnvironmentWhosePythonRunsTheScript() {
    Rendered r = Rendered.of(mpi("condaPackages: [scipy]"));
    assertEquals(List.of("create-conda-env", "install-conda-packages", "install-pip-packages"),
        initNames(r.workerPod()));
    assertEquals(List.of("conda", "install", "--yes", "--quiet", "--prefix", "/opt/chainer/python/conda", "scipy"),
        argv(init(r.workerPod(), "install-conda-packages")));
    assertEquals("/opt/chainer/python/conda/bin/python", argv(init(r.workerPod(), "install-pip-packages")).get(0));
    assertTrue(argv(r.launcher()).contains("/opt/chainer/python/conda/bin/python"));
  }

  @Test
  void condaDependenciesFileCreatesTheEnvironmentFromTheFile() {
    Rendered r = Rendered.of(job(PVC_SOURCE.replace("userManaged: true\n", "") + "condaDependenciesFile: env.yml"));
    assertEquals(List.of("conda", "env", "create", "--quiet", "--prefix", "/opt/chainer/python/conda", "--file",
        "/opt/chainer/source/env.yml"), argv(init(r.launcherPod(), "create-conda-env")));
    // The file is the whole environment, as with the estimator: no framework packages are pip-installed into it.
    assertEquals(List.of("create-conda-env"), r.launcherPod().getInitContainers().stream()
        .map(c -> c.getName()).filter(n -> n.contains("conda") || n.contains("pip")).toList());
  }

  @Test
  void environmentVariablesReachEveryTrainingContainerAndEveryRank() {
    Rendered r = Rendered.of(mpi("environmentVariables:\n  NCCL_DEBUG: INFO\n  ODD: \"$(HOME) 'q'\""));
    for (var c : List.of(r.worker(), r.launcher())) {
      assertEquals("INFO", env(c).get("NCCL_DEBUG"));
      assertEquals("$(HOME) 'q'", env(c).get("ODD"));
    }
    List<String> argv = argv(r.launcher());
    assertTrue(String.join(" ", argv).contains("-x NCCL_DEBUG -x ODD"), argv::toString);
    assertEquals("train", env(r.worker()).get("AZUREML_RUN_ID"));
  }

  @Test
  void environmentDefinitionSuppliesImageShmPackagesAndVariables() {
    Rendered r = Rendered.of(mpi("environmentDefinition:\n  docker:\n    image: me/env:1\n    shmSize: 1Gi\n"
        + "    gpuSupport: true\n  python:\n    pipPackages: [pandas]\n  environmentVariables:\n    A: b"));
    assertEquals("me/env:1", r.worker().getImage());
    assertEquals(new Quantity("1Gi"), volume(r.workerPod(), "shm").getEmptyDir().getSizeLimit());
    assertTrue(argv(init(r.workerPod(), "install-pip-packages")).contains("pandas"));
    assertEquals("b", env(r.worker()).get("A"));
    assertEquals(new Quantity("2"), r.worker().getResources().getLimits().get("nvidia.com/gpu"));
  }

  @Test
  void inputsAreMountedOrDownloadedAndAnnouncedAsDataReferences() {
    Rendered r = Rendered.of(mpi("inputs:\n- name: mnist\n  dataStore:\n    persistentVolumeClaim: data\n"
        + "  pathOnDataStore: sets/mnist\n- name: vocab\n  mode: download\n  pathOnCompute: /data/vocab\n"
        + "  dataStore:\n    nfs:\n      server: fs\n      path: /e"));
    var mnist = mountAt(r.worker(), "/opt/chainer/data/mnist");
    assertEquals("sets/mnist", mnist.getSubPath());
    assertEquals("data", volume(r.workerPod(), mnist.getName()).getPersistentVolumeClaim().getClaimName());
    assertEquals(List.of("/bin/sh", "-c", LauncherScripts.COPY, "copy", "/opt/chainer/stores/input-1",
        "/opt/chainer/downloads/input-1/data"), argv(init(r.workerPod(), "download-input-1")));
    // the copy (a directory here, a single file just as well) is mounted by subPath at pathOnCompute
    assertEquals("input-1-data", mountAt(r.worker(), "/data/vocab").getName());
    assertEquals("data", mountAt(r.worker(), "/data/vocab").getSubPath());
    for (var c : List.of(r.worker(), r.launcher())) {
      assertEquals("/opt/chainer/data/mnist", env(c).get("AZUREML_DATAREFERENCE_mnist"));
      assertEquals("/data/vocab", env(c).get("AZUREML_DATAREFERENCE_vocab"));
    }
  }

  @Test
  void shmSizeIsAMemoryBackedVolumeAtDevShmDefaulting2Gi() {
    Rendered r = Rendered.of(mpi("shmSize: 16Gi"));
    var shm = volume(r.workerPod(), "shm").getEmptyDir();
    assertEquals("Memory", shm.getMedium());
    assertEquals(new Quantity("16Gi"), shm.getSizeLimit());
    assertEquals("shm", mountAt(r.worker(), "/dev/shm").getName());
    assertEquals(new Quantity("2Gi"), volume(Rendered.of(minimal("")).launcherPod(), "shm").getEmptyDir()
        .getSizeLimit());
  }

  @Test
  void shmSizeTakesTheEstimatorsDockerFormAndRendersAKubernetesQuantity() {
    for (String[] c : new String[][] {{"2g", "2Gi"}, {"512m", "512Mi"}, {"1024k", "1Mi"}, {"1536m", "1536Mi"},
        {"100", "100"}, {"4096b", "4Ki"}, {"2G", "2Gi"}, {"512Mi", "512Mi"}, {"1.5Gi", "1.5Gi"},
        // Docker's go-units forms: any case, an optional b or ib, fractions, one space; binary units, whole bytes
        {"512mb", "512Mi"}, {"1.5g", "1536Mi"}, {"1t", "1Ti"}, {"2GB", "2Gi"}, {"2GiB", "2Gi"}, {"64 MB", "64Mi"},
        {".5g", "512Mi"}, {"1.5k", "1536"}, {"1.0001k", "1024"}, {"3.3m", "3460300"}}) {
      assertEquals(new Quantity(c[1]), volume(Rendered.of(minimal("shmSize: \"" + c[0] + "\"")).launcherPod(), "shm")
          .getEmptyDir().getSizeLimit(), c[0]);
    }
  }

  @Test
  void resumeFromIsMountedReadOnlyAndPassedToTheScript() {
    Rendered r = Rendered.of(mpi("scriptParams:\n  --epoch: 2\nresumeFrom:\n  dataStore:\n"
        + "    persistentVolumeClaim: ckpt\n  pathOnDataStore: run1/snapshot"));
    var mount = mountAt(r.worker(), "/opt/chainer/model-location");
    assertTrue(mount.getReadOnly());
    assertEquals("run1/snapshot", mount.getSubPath());
    assertEquals("/opt/chainer/model-location", env(r.worker()).get("AZUREML_DATAREFERENCE_MODEL_LOCATION"));
    List<String> argv = argv(r.launcher());
    assertEquals(List.of("--epoch", "2", "--resume-from", "/opt/chainer/model-location"),
        argv.subList(argv.size() - 4, argv.size()));
  }

  @Test
  void maxRunDurationIsTheLaunchersActiveDeadline() {
    assertEquals(3600L, Rendered.of(mpi("maxRunDurationSeconds: 3600")).launcherPod().getActiveDeadlineSeconds());
    assertNull(Rendered.of(mpi("")).launcherPod().getActiveDeadlineSeconds());
  }

  @Test
  void frameworkVersionPicksImageAndChainerPackage() {
    Rendered r = Rendered.of(job("sourceDirectory: /a\nentryScript: t.py\nframeworkVersion: \"5.1.0\"\nuseGpu: true"));
    assertEquals("chainer-operator/chainermn:5.1.0-cuda10.1", r.launcher().getImage());
    assertTrue(argv(init(r.launcherPod(), "install-pip-packages")).containsAll(List.of("chainer==5.1.0",
        "cupy-cuda101==5.4.0")));
  }

  @Test
  void entryScriptAndScriptParamsArriveVerbatimAfterTheKubelet() {
    String nasty = "it's \\\"q\\\" $(touch /tmp/pwned); `id` *.py $HOME \\\\";
    Rendered r = Rendered.of(mpi("scriptParams:\n  --msg: \"" + nasty + "\""));
    List<String> argv = argv(r.launcher());
    assertEquals("it's \"q\" $(touch /tmp/pwned); `id` *.py $HOME \\", argv.get(argv.size() - 1));
    assertTrue(r.launcher().getArgs().get(r.launcher().getArgs().size() - 1).contains("$$(touch"),
        "the kubelet must not expand $(...)");
  }
}
