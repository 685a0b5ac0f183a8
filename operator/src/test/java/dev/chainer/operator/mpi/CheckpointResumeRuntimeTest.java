package dev.chainer.operator.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.MpiImplementation;
import dev.chainer.operator.api.ResumedFrom;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.render.LauncherScripts;
import dev.chainer.operator.render.SshKeyPair;
import dev.chainer.operator.spec.JobNames;
import dev.chainer.operator.status.ProgressParser;
import dev.chainer.operator.status.ProgressReading;
import dev.chainer.operator.status.ResumeLine;
import dev.chainer.operator.testing.Rendered;
import dev.chainer.operator.testing.TestJobs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints and resuming, run for real: a real Chainer trainer (src/test/resources/mpi/train_chainer.py, ChainerMN
 * on CPU) writes snapshot_iter_N into the job's outputs as it trains, the first attempt is killed mid-run, and the
 * next attempt is rendered and started as the operator starts it (fresh worker pods, the same outputs). Its ranks
 * must get "--resume <newest complete snapshot>" once, skip a snapshot Chainer was still writing (tmp*) and an empty
 * one, and carry on from that iteration to the end.
 *
 * <p>Each "pod" sees the outputs where the rendered mounts put them: at outputs.pathOnCompute (a directory of the
 * test's, standing for the claim's directory for the job) and as the working directory's outputs (a symlink to it).
 */
class CheckpointResumeRuntimeTest {
  /** Real Chainer 7.8.1 (CPU) with Debian's mpi4py; .ci/run makes it. */
  static final String PYTHON = "/opt/chainer-test-venv/bin/python";
  private static final Pattern SNAPSHOT = Pattern.compile("snapshot_iter_([0-9]+)");
  /** The trainer's 400 synthetic samples: 320 to train on, in batches of 32. */
  private static final int TRAINING_SAMPLES = 320;
  private static final int BATCH = 32;
  private static final Duration WAIT = Duration.ofSeconds(180);

  @TempDir
  Path dir;
  private Path src;
  /** outputs.pathOnCompute: the claim's directory for the job, as every pod sees it. */
  private Path outputs;
  /** Where the rendered CHAINER_CHECKPOINT_DIR says the snapshots are: the script's --out, inside the outputs. */
  private Path checkpoints;
  /** Where every rank writes rank-N.json: its argv, environment and the iterations it started and ended at. */
  private Path records;

  @BeforeAll
  static void requireRealChainer() {
    String why = "the resume runtime test needs real Chainer in " + PYTHON
        + " (chainer 7.8.1, numpy 1.23.5, Debian's python3-mpi4py visible; .ci/run makes it)";
    if (!Files.isExecutable(Path.of(PYTHON))) {
      MpiCluster.skipOrFail(why + ": there is no such program");
    }
    try {
      TestNetwork.run(PYTHON, "-c", "import chainer, chainermn, mpi4py");
    } catch (Exception e) {
      MpiCluster.skipOrFail(why + ": " + e.getMessage());
    }
  }

  /** The operator's defaults with the test machine's programs: the venv's Python, Debian's mpiruns. */
  static OperatorConfig config() {
    OperatorConfig config = OperatorConfig.defaults();
    config.setPythonCommand(PYTHON);
    config.setMpirunCommands(Map.of(MpiImplementation.OpenMPI, "/usr/bin/mpirun.openmpi",
        MpiImplementation.MPICH, "/usr/bin/mpirun.mpich"));
    config.setWorkerWaitAttempts(30);
    return config;
  }

  /**
   * The job: the trainer in a user-managed source directory, results in the outputs (a claim), the trainer's out in
   * them (so the checkpoints' directory is derived from it), a snapshot every iteration and a short sleep after each
   * so that an attempt can be killed mid-run.
   */
  private ChainerJob job(String extra, int epochs, String sleep) throws Exception {
    src = Files.createDirectories(dir.resolve("src"));
    outputs = Files.createDirectories(dir.resolve("claim/team-a/train"));
    checkpoints = outputs.resolve("result");
    records = Files.createDirectories(dir.resolve("records"));
    Files.copy(Path.of("src/test/resources/mpi/train_chainer.py"), src.resolve("train_chainer.py"));
    // The second mount of the outputs, in the working directory.
    Files.createSymbolicLink(src.resolve("outputs"), outputs);
    // A restricted job's user (not root) reads the code and writes the ranks' records.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(records, PosixFilePermissions.fromString("rwxrwxrwx"));
    return TestJobs.job("sourceDirectory: " + src + "\nentryScript: train_chainer.py\nframeworkVersion: \"7.0.0\"\n"
        + "userManaged: true\n"
        + "scriptParams:\n  --out: outputs/result\n  --epoch: " + epochs + "\n  --snapshot-every: 1\n"
        + "  --sleep-per-iteration: \"" + sleep + "\"\n  --record: " + records + "\n"
        + "outputs:\n  dataStore: {persistentVolumeClaim: results}\n  pathOnCompute: " + outputs + "\n" + extra);
  }

  /** The argv every rank gets from the job as written (scriptParams in key order), before any resume flag. */
  private List<String> scriptArgv(int epochs, String sleep) {
    return List.of("--epoch", Integer.toString(epochs), "--out", "outputs/result", "--record", records.toString(),
        "--sleep-per-iteration", sleep, "--snapshot-every", "1");
  }

  /**
   * The claim as the kubelet hands it to a pod with an fsGroup: the job's directory group-owned by it, setgid and
   * group-writable, so what the pod's user writes there stays writable for the next attempt's.
   */
  private void applyFsGroup(PodSecurityContext context) throws Exception {
    if (context == null || context.getFsGroup() == null) {
      return;
    }
    Files.setAttribute(outputs, "unix:gid", context.getFsGroup().intValue());
    TestNetwork.run("/bin/chmod", "2775", outputs.toString());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"root", "restricted"})
  void killedMpiJobResumesEveryRankFromTheNewestCompleteSnapshot(String profile) throws Exception {
    MpiCluster.requireTheRealPrograms();
    int epochs = 3;
    String sleep = "0.2";
    int ranks = 2;
    // 2 workers x 1 process: ChainerMN scatters the training set, so each rank has half of it.
    long total = (long) epochs * (TRAINING_SAMPLES / ranks / BATCH);
    ChainerJob job = job("nodeCount: 2\ndistributedTraining:\n  mpi:\n    processCountPerNode: 1\n"
        + "    implementation: OpenMPI\n"
        + (profile.equals("restricted") ? "kubernetes:\n  securityProfile: restricted\n" : ""), epochs, sleep);
    List<String> argv = scriptArgv(epochs, sleep);
    OperatorConfig config = config();
    JobNames names = new JobNames("train", "team-a", config.getClusterDomain());
    SshKeyPair keys = SshKeyPair.generate("train");

    DesiredObjects first = JobRenderer.render(job, config, keys, null, 0);
    PodSecurityContext security = first.launcher().getSpec().getSecurityContext();
    assertEquals(profile.equals("restricted"), security != null && security.getRunAsUser() != null);
    applyFsGroup(security);
    String firstLog;
    try (MpiCluster attempt = MpiCluster.start(first, names, dir.resolve("attempt-0"))) {
      // Not snapshot_iter_1: ChainerMN's multi-node optimizer only broadcasts rank 0's weights in its first update,
      // so that snapshot holds no optimizer state and load_npz fails on it (KeyError: updater/optimizer:main/...).
      awaitSnapshot(attempt.launcher(), 2, attempt::logs);
      attempt.killLauncher();
      firstLog = attempt.logs();
    }
    // The workers' pods went with the attempt (the cluster closed): no rank writes anything any more.
    assertStartedFresh(firstLog, ranks, argv);

    long newest = newestCompleteSnapshot();
    assertTrue(newest >= 2 && newest < total, "killed mid-run: newest snapshot " + newest + " of " + total);
    Path snapshot = checkpoints.resolve("snapshot_iter_" + newest);
    leaveUnfinishedSnapshots();

    DesiredObjects second = JobRenderer.render(job, config, keys, null, 1);
    String log;
    try (MpiCluster attempt = MpiCluster.start(second, names, dir.resolve("attempt-1"))) {
      int exit = attempt.await(WAIT);
      log = attempt.logs();
      assertEquals(0, exit, log);
    }
    assertResumed(log, ranks, argv, snapshot, newest, total, epochs);
    if (profile.equals("restricted")) {
      Path last = checkpoints.resolve("snapshot_iter_" + total);
      assertEquals(security.getRunAsUser().intValue(), Files.getAttribute(last, "unix:uid"),
          "rank 0 ran as the pod's user");
      assertEquals(security.getFsGroup().intValue(), Files.getAttribute(last, "unix:gid"),
          "written through the fsGroup's setgid directory");
    }
  }

  /**
   * A single-process job (no MPI: the launcher runs the resume step and the script itself) that also has
   * resumeFrom: the first attempt gets "--resume-from <model>", the next one the newer snapshot instead.
   */
  @Test
  void killedSingleProcessJobResumesFromTheNewestSnapshotInsteadOfResumeFrom() throws Exception {
    int epochs = 2;
    String sleep = "0.15";
    long total = (long) epochs * (TRAINING_SAMPLES / BATCH);
    Path model = Files.createDirectories(dir.resolve("model"));
    ChainerJob job = job("resumeFrom:\n  dataStore: {persistentVolumeClaim: models}\n  pathOnCompute: " + model + "\n",
        epochs, sleep);
    List<String> argv = scriptArgv(epochs, sleep);
    List<String> firstArgv = new ArrayList<>(argv);
    firstArgv.addAll(List.of("--resume-from", model.toString()));

    Process first = startSingle(job, 0);
    try {
      awaitSnapshot(first, 1, () -> Files.readString(dir.resolve("attempt-0.log")));
    } finally {
      first.destroyForcibly(); // SIGKILL, as a lost node: the resume step exec'd the script, so this is python
      assertTrue(first.waitFor(30, TimeUnit.SECONDS), "the launcher survived SIGKILL");
    }
    assertStartedFresh(Files.readString(dir.resolve("attempt-0.log")), 1, firstArgv);

    long newest = newestCompleteSnapshot();
    assertTrue(newest >= 1 && newest < total, "killed mid-run: newest snapshot " + newest + " of " + total);
    Path snapshot = checkpoints.resolve("snapshot_iter_" + newest);
    leaveUnfinishedSnapshots();

    Process second = startSingle(job, 1);
    try {
      if (!second.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
        fail("the second attempt did not finish in " + WAIT.toSeconds() + " s:\n"
            + Files.readString(dir.resolve("attempt-1.log")));
      }
    } finally {
      second.destroyForcibly();
    }
    String log = Files.readString(dir.resolve("attempt-1.log"));
    assertEquals(0, second.exitValue(), log);
    assertResumed(log, 1, argv, snapshot, newest, total, epochs);
  }

  /** The rendered single-process launcher's command, run as the kubelet would, its output in attempt-N.log. */
  private Process startSingle(ChainerJob job, int attempt) throws Exception {
    var pod = JobRenderer.render(job, config(), null, null, attempt).launcher().getSpec();
    Container launcher = pod.getContainers().get(0);
    assertEquals(List.of("/bin/sh", "-c", LauncherScripts.RESUME, "chainer-resume", PYTHON),
        Rendered.argv(launcher).subList(0, 5), "the resume step, then the script");
    ProcessBuilder pb = new ProcessBuilder(MpiCluster.asPodUser(pod, launcher))
        .directory(Path.of(launcher.getWorkingDir()).toFile())
        .redirectErrorStream(true)
        .redirectOutput(dir.resolve("attempt-" + attempt + ".log").toFile());
    pb.environment().clear();
    pb.environment().putAll(MpiCluster.environment(pod, launcher, dir.resolve("home")));
    return pb.start();
  }

  /**
   * Waits until Chainer has written a snapshot of at least that iteration; the attempt must still be running then,
   * to be killed mid-run.
   */
  private void awaitSnapshot(Process attempt, long iteration, Log logs) throws Exception {
    boolean written = MpiCluster.poll(WAIT, () -> !attempt.isAlive() || newestCompleteSnapshot() >= iteration);
    if (!written || !attempt.isAlive()) {
      fail((written ? "the first attempt ended before it could be killed mid-run"
          : "no snapshot_iter_" + iteration + " or later in " + checkpoints + " after " + WAIT.toSeconds() + " s") + ":\n" + logs.read());
    }
  }

  /** A log to show when a wait fails. */
  @FunctionalInterface
  private interface Log {
    String read() throws Exception;
  }

  /**
   * What Chainer leaves when it dies while writing (its writer saves into a tmp* directory and renames the file
   * out of it), and an empty file as a crash between creating and writing leaves: both with higher numbers than
   * any complete snapshot, so that only the skipping makes the step pick the right one.
   */
  private void leaveUnfinishedSnapshots() throws Exception {
    Path tmp = Files.createDirectories(checkpoints.resolve("tmpsnapshot_iter_99999xyz"));
    Files.write(tmp.resolve("snapshot_iter_99999"), new byte[] {'P', 'K', 3, 4});
    Files.createFile(checkpoints.resolve("snapshot_iter_88888"));
  }

  /** The highest N of a non-empty file snapshot_iter_N in the checkpoints' directory; -1 when there is none. */
  private long newestCompleteSnapshot() throws Exception {
    if (!Files.isDirectory(checkpoints)) {
      return -1;
    }
    long newest = -1;
    try (Stream<Path> files = Files.list(checkpoints)) {
      for (Path f : files.toList()) {
        Matcher m = SNAPSHOT.matcher(f.getFileName().toString());
        if (m.matches() && Files.isRegularFile(f) && Files.size(f) > 0) {
          newest = Math.max(newest, Long.parseLong(m.group(1)));
        }
      }
    }
    return newest;
  }

  /** Every rank's record, by rank. */
  @SuppressWarnings("unchecked")
  private Map<Integer, Map<String, Object>> records() throws Exception {
    Map<Integer, Map<String, Object>> byRank = new TreeMap<>();
    try (Stream<Path> files = Files.list(records)) {
      for (Path f : files.filter(f -> f.getFileName().toString().matches("rank-[0-9]+\\.json")).toList()) {
        Map<String, Object> record = Serialization.unmarshal(Files.readString(f), Map.class);
        byRank.put((Integer) record.get("rank"), record);
      }
    }
    return byRank;
  }

  /** The first attempt: no snapshot yet, so every rank started from iteration 0 with the job's argv; then removed. */
  private void assertStartedFresh(String log, int ranks, List<String> argv) throws Exception {
    assertTrue(log.contains(LauncherScripts.FRESH + checkpoints), log);
    assertTrue(ResumeLine.parse(log, 0).isEmpty(), log);
    Map<Integer, Map<String, Object>> byRank = records();
    assertEquals(ranks, byRank.size(), log);
    for (Map<String, Object> record : byRank.values()) {
      assertEquals(argv, record.get("argv"), log);
      assertEquals(0, record.get("start_iteration"));
      assertEquals("", record.get("resumed_from"));
      assertNull(record.get("final_iteration"), "killed before the end of training");
      Map<?, ?> env = (Map<?, ?>) record.get("env");
      assertEquals("", env.get("CHAINER_RESUME_FROM"));
      assertEquals(checkpoints.toString(), env.get("CHAINER_CHECKPOINT_DIR"), "derived from --out outputs/result");
      assertEquals(outputs.toString(), env.get("CHAINER_OUTPUT_DIR"));
      assertEquals("train", env.get("CHAINER_RUN_ID"));
    }
    try (Stream<Path> files = Files.list(records)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
  }

  /**
   * The next attempt: the launcher said which snapshot (and the operator reads it), every rank got it once at the
   * end of its argv and in CHAINER_RESUME_FROM, loaded it, and trained from its iteration to the end.
   */
  private void assertResumed(String log, int ranks, List<String> argv, Path snapshot, long iteration, long total,
      int epochs) throws Exception {
    assertTrue(log.contains(LauncherScripts.RESUMING + snapshot + " (iteration " + iteration + ")"), log);
    ResumedFrom resumed = ResumeLine.parse(log, 1).orElseThrow(() -> new AssertionError(log));
    assertEquals(snapshot.toString(), resumed.getPath());
    assertEquals(iteration, resumed.getIteration());
    assertEquals(1, resumed.getAttempt());
    List<String> resumedArgv = new ArrayList<>(argv);
    resumedArgv.addAll(List.of("--resume", snapshot.toString()));
    Map<Integer, Map<String, Object>> byRank = records();
    assertEquals(ranks, byRank.size(), log);
    for (Map<String, Object> record : byRank.values()) {
      String rank = "rank " + record.get("rank") + ": ";
      @SuppressWarnings("unchecked")
      List<String> got = (List<String>) record.get("argv");
      assertEquals(resumedArgv, got, rank + "the job's argv, then --resume and the newest complete snapshot");
      assertEquals(1, Collections.frequency(got, "--resume"), rank + "one resume flag");
      assertFalse(got.contains("--resume-from"), rank + "the snapshot replaced resumeFrom");
      assertEquals(snapshot.toString(), record.get("resumed_from"), rank);
      assertEquals(iteration, ((Number) record.get("start_iteration")).longValue(), rank + "continued from there");
      assertEquals(total, ((Number) record.get("final_iteration")).longValue(), rank + "and trained to the end");
      assertEquals(snapshot.toString(), ((Map<?, ?>) record.get("env")).get("CHAINER_RESUME_FROM"), rank);
    }
    assertTrue(Files.size(checkpoints.resolve("snapshot_iter_" + total)) > 0, "the last snapshot, in the same place");
    ProgressReading progress = ProgressParser.parse(log);
    assertEquals(total, progress.iteration(), "the trainer's report, read as the operator reads it:\n" + log);
    assertEquals((long) epochs, progress.epoch());
  }
}
