package dev.chainer.operator.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.render.SshKeyPair;
import dev.chainer.operator.spec.JobNames;
import dev.chainer.operator.status.ProgressParser;
import dev.chainer.operator.status.ProgressReading;
import dev.chainer.operator.testing.Repository;
import dev.chainer.operator.validation.JobFiles;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples, trained for real: each examples/*.yaml job is rendered as the operator renders it and its launcher
 * (and, for MPI jobs, its worker "pods" with sshd and mpirun) run with the rendered argv, environment and working
 * directory, on real Chainer, so an example whose script cannot train fails the build.
 *
 * <p>What stands in for the cluster: every /opt/chainer path the pods mount (the code copied from the ConfigMap, the
 * inputs, the outputs, the resume checkpoint) is a directory of the test's, seen alike by every host, and the code in
 * it is examples/mnist as the ConfigMap the examples name would hold it. MNIST cannot be downloaded here: the test
 * writes a small MNIST of its own in MNIST's file format where the script looks (CHAINER_DATASET_ROOT added to the
 * job's environment, or the job's own input). No GPUs either: the GPU example runs on CPU, without --gpu, with the
 * naive communicator and one rank per worker.
 */
class ExamplesRuntimeTest {
  private static final String PYTHON = CheckpointResumeRuntimeTest.PYTHON;
  private static final Duration WAIT = Duration.ofSeconds(240);
  /** Every /opt/chainer path, not /opt/chainer-test-venv. */
  private static final Pattern OPT_CHAINER = Pattern.compile("/opt/chainer(?=/|$|[^\\w-])");
  private static final Pattern SNAPSHOT = Pattern.compile("snapshot_iter_([0-9]+)");

  @TempDir
  Path dir;

  @BeforeAll
  static void requireRealChainer() {
    CheckpointResumeRuntimeTest.requireRealChainer();
  }

  /** The examples the tests below train: a new example must join them. */
  private static final Set<String> TRAINED = Set.of("single-process-cpu.yaml", "environment-definition.yaml",
      "lowpriority-outputs-checkpoints.yaml", "chainermn-mnist-openmpi-gpu.yaml", "resume-from-checkpoint.yaml");

  /** Every example is trained here, and its code is the repository's, in the ConfigMap the README makes of it. */
  @Test
  void everyExampleIsTrainedHereFromCodeInTheRepository() throws Exception {
    try (Stream<Path> files = Files.list(Repository.path("examples"))) {
      List<Path> examples = files.filter(f -> f.toString().endsWith(".yaml")).toList();
      assertEquals(TRAINED, examples.stream().map(f -> f.getFileName().toString()).collect(Collectors.toSet()));
      for (Path example : examples) {
        ChainerJobSpec spec = JobFiles.read(example).getSpec();
        assertEquals("mnist-code", spec.getSourceDirectoryDataStore().getConfigMap(), example.toString());
        assertTrue(Files.isRegularFile(Repository.path("examples/mnist").resolve(spec.getEntryScript())),
            example + ": " + spec.getEntryScript());
      }
    }
  }

  @Test
  void theSingleProcessExampleTrainsAndSavesItsModel() throws Exception {
    ChainerJob job = example("single-process-cpu.yaml");
    withTestData(job);
    String log = runSingle(job);
    assertTrained(log, 3);
    assertTrue(Files.size(source().resolve("result/model.npz")) > 0, log);
  }

  @Test
  void theEnvironmentDefinitionExampleTrainsOnTwoWorkersWithOpenMpi() throws Exception {
    MpiCluster.requireTheRealPrograms();
    ChainerJob job = example("environment-definition.yaml");
    withTestData(job);
    String log = runMpi(job);
    assertTrue(log.contains("Num process (COMM_WORLD): 4"), log);
    assertTrained(log, 5);
  }

  @Test
  void theLowPriorityExampleKeepsItsSnapshotsAndModelInItsOutputs() throws Exception {
    MpiCluster.requireTheRealPrograms();
    ChainerJob job = example("lowpriority-outputs-checkpoints.yaml");
    withTestData(job);
    Path outputs = Files.createDirectories(opt().resolve("outputs"));
    Files.createSymbolicLink(Files.createDirectories(source()).resolve("outputs"), outputs);
    String log = runMpi(job);
    assertTrained(log, 20);
    assertTrue(Files.size(outputs.resolve("result/model.npz")) > 0, log);
    assertTrue(newestSnapshot(outputs.resolve("result")) > 0, "snapshots where the operator resumes from");
  }

  /**
   * The GPU example (on CPU here) trains from its input's MNIST, and the resume example resumes from the snapshot it
   * left, as their resumeFrom path says: the snapshot's iteration is where the second one's training starts.
   */
  @Test
  void theGpuExampleTrainsFromItsInputAndTheResumeExampleCarriesOnFromItsSnapshot() throws Exception {
    MpiCluster.requireTheRealPrograms();
    ChainerJob gpu = example("chainermn-mnist-openmpi-gpu.yaml");
    ChainerJobSpec spec = gpu.getSpec();
    spec.setUseGpu(false);
    spec.getScriptParams().remove("--gpu");
    spec.getScriptParams().put("--communicator", TextNode.valueOf("naive"));
    spec.getDistributedTraining().getMpi().setProcessCountPerNode(1);
    withTestData(gpu); // unused by the script, which has --data
    writeMnist(relocated(Path.of(spec.getInputs().get(0).getPathOnCompute())));
    String log = runMpi(gpu);
    assertTrained(log, 20);
    Path result = source().resolve("result");
    long iteration = newestSnapshot(result);

    ChainerJob resume = example("resume-from-checkpoint.yaml");
    withTestData(resume);
    Path model = opt().resolve("model-location");
    Files.copy(result.resolve("snapshot_iter_" + iteration), model);
    Files.delete(result.resolve("model.npz"));
    String resumed = runMpi(resume);
    assertTrue(resumed.contains("Resuming from " + model), resumed);
    assertTrained(resumed, 40);
    assertTrue(Files.size(result.resolve("model.npz")) > 0, resumed);
    assertTrue(newestSnapshot(result) > iteration, "trained on from iteration " + iteration);
  }

  /** The example as a user applies it, in a namespace, with the operator's test programs. */
  private static ChainerJob example(String name) throws Exception {
    ChainerJob job = JobFiles.read(Repository.path("examples/" + name));
    job.getMetadata().setNamespace("team-a");
    job.getMetadata().setUid("0b7c6f3e-1111-2222-3333-444455556666");
    return job;
  }

  /**
   * The job's environment gets CHAINER_DATASET_ROOT, where the script finds the test's MNIST unless --data says
   * otherwise.
   */
  private void withTestData(ChainerJob job) throws Exception {
    Path root = dir.resolve("datasets");
    writeMnist(root.resolve("mnist"));
    var definition = job.getSpec().getEnvironmentDefinition();
    Map<String, String> env = new LinkedHashMap<>();
    var current = definition != null ? definition.getEnvironmentVariables() : job.getSpec().getEnvironmentVariables();
    if (current != null) {
      env.putAll(current);
    }
    env.put("CHAINER_DATASET_ROOT", root.toString());
    // Every rank of every "node" shares this machine's few cores: ranks waiting in a collective yield them instead
    // of spinning (Open MPI spins unless it knows a node is oversubscribed, and the hostfile says it is not).
    env.put("OMPI_MCA_mpi_yield_when_idle", "1");
    if (definition != null) {
      definition.setEnvironmentVariables(env);
    } else {
      job.getSpec().setEnvironmentVariables(env);
    }
  }

  private Path opt() {
    return dir.resolve("opt/chainer");
  }

  private Path source() {
    return opt().resolve("source");
  }

  private Path relocated(Path podPath) {
    return Path.of(OPT_CHAINER.matcher(podPath.toString()).replaceAll(Matcher.quoteReplacement(opt().toString())));
  }

  /** The pod's view made the host's: every /opt/chainer path in argv, environment and working directory moved. */
  private void relocate(PodSpec pod) {
    for (Container c : Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream()).toList()) {
      if (c.getCommand() != null) {
        c.setCommand(c.getCommand().stream().map(this::relocated).toList());
      }
      if (c.getArgs() != null) {
        c.setArgs(c.getArgs().stream().map(this::relocated).toList());
      }
      if (c.getEnv() != null) {
        c.getEnv().stream().filter(e -> e.getValue() != null).forEach(e -> e.setValue(relocated(e.getValue())));
      }
      if (c.getWorkingDir() != null) {
        c.setWorkingDir(relocated(c.getWorkingDir()));
      }
    }
  }

  private String relocated(String s) {
    return OPT_CHAINER.matcher(s).replaceAll(Matcher.quoteReplacement(opt().toString()));
  }

  /** What the copy step leaves in the working directory: the ConfigMap made from examples/mnist. */
  private void copyTheCode() throws Exception {
    Files.createDirectories(source());
    try (Stream<Path> files = Files.list(Repository.path("examples/mnist"))) {
      for (Path f : files.toList()) {
        Files.copy(f, source().resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }

  private String runMpi(ChainerJob job) throws Exception {
    copyTheCode();
    var config = CheckpointResumeRuntimeTest.config();
    JobNames names = new JobNames(job.getMetadata().getName(), "team-a", config.getClusterDomain());
    DesiredObjects objects = JobRenderer.render(job, config, SshKeyPair.generate(job.getMetadata().getName()),
        "registry-password", 0);
    relocate(objects.launcher().getSpec());
    relocate(objects.workers().orElseThrow().getSpec().getTemplate().getSpec());
    try (MpiCluster attempt = MpiCluster.start(objects, names, dir.resolve(job.getMetadata().getName()))) {
      int exit = attempt.await(WAIT);
      String log = attempt.logs();
      assertEquals(0, exit, log);
      return Files.readString(attempt.launcherLog());
    }
  }

  /** The single-process launcher's container run as the kubelet would; its output. */
  private String runSingle(ChainerJob job) throws Exception {
    copyTheCode();
    PodSpec pod = JobRenderer.render(job, CheckpointResumeRuntimeTest.config(), null, null, 0).launcher().getSpec();
    relocate(pod);
    Container launcher = pod.getContainers().get(0);
    Path log = dir.resolve(job.getMetadata().getName() + ".log");
    ProcessBuilder pb = new ProcessBuilder(MpiCluster.asPodUser(pod, launcher))
        .directory(Path.of(launcher.getWorkingDir()).toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().putAll(MpiCluster.environment(pod, launcher, dir.resolve("home")));
    Process p = pb.start();
    try {
      if (!p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        fail("the launcher did not finish in " + WAIT.toSeconds() + " s:\n" + Files.readString(log));
      }
    } finally {
      p.destroyForcibly();
    }
    assertEquals(0, p.exitValue(), Files.readString(log));
    return Files.readString(log);
  }

  /** Trained every epoch, as the operator reads it from the log, learnt something, and saved the model. */
  private static void assertTrained(String log, int epochs) {
    ProgressReading progress = ProgressParser.parse(log);
    assertEquals((long) epochs, progress.epoch(), log);
    assertEquals((long) epochs, progress.totalEpochs(), log);
    assertTrue(progress.metrics().containsKey("validation/main/accuracy"), log);
    assertTrue(Double.parseDouble(progress.metrics().get("validation/main/accuracy")) > 0.5, log);
    assertTrue(log.contains("Saved the model to "), log);
  }

  private static long newestSnapshot(Path directory) throws Exception {
    try (Stream<Path> files = Files.list(directory)) {
      return files.map(f -> SNAPSHOT.matcher(f.getFileName().toString())).filter(Matcher::matches)
          .mapToLong(m -> Long.parseLong(m.group(1))).max().orElse(-1);
    }
  }

  /**
   * A small MNIST in MNIST's own files (gzipped IDX: big-endian magic 2051 or 2049, the dimensions, the bytes): 28x28
   * images of noise with the label's two rows lit, so that it can be learnt in a few epochs. 400 to train, 100 to test.
   */
  static void writeMnist(Path directory) throws Exception {
    Files.createDirectories(directory);
    Random random = new Random(7);
    for (var split : Map.of("train", 400, "t10k", 100).entrySet()) {
      int n = split.getValue();
      ByteArrayOutputStream images = new ByteArrayOutputStream();
      ByteArrayOutputStream labels = new ByteArrayOutputStream();
      for (int i = 0; i < n; i++) {
        int label = random.nextInt(10);
        labels.write(label);
        for (int pixel = 0; pixel < 28 * 28; pixel++) {
          int row = pixel / 28;
          images.write(row / 2 == label ? 255 : random.nextInt(60));
        }
      }
      writeIdx(directory.resolve(split.getKey() + "-images-idx3-ubyte.gz"), 2051, List.of(n, 28, 28),
          images.toByteArray());
      writeIdx(directory.resolve(split.getKey() + "-labels-idx1-ubyte.gz"), 2049, List.of(n), labels.toByteArray());
    }
  }

  private static void writeIdx(Path file, int magic, List<Integer> dims, byte[] data) throws Exception {
    try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(file));
        DataOutputStream out = new DataOutputStream(gz)) {
      out.writeInt(magic);
      for (int d : dims) {
        out.writeInt(d);
      }
      out.write(data);
    }
  }
}
