package dev.chainer.operator.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.MpiImplementation;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.render.MpiCommand;
import dev.chainer.operator.render.SshKeyPair;
import dev.chainer.operator.spec.JobNames;
import dev.chainer.operator.testing.Rendered;
import dev.chainer.operator.testing.TestJobs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operator's rendered launcher and workers, run through the real programs: OpenSSH servers on the
 * workers with the rendered keys and configuration, the rendered launcher command (waiting for the
 * workers, then mpirun of Open MPI or MPICH) in a host of its own, and an MPI Python entry script. Each
 * worker "pod" is a network namespace named, addressed and resolved as the rendered hostfile says ({@link
 * MpiCluster}).
 */
class MpiRuntimeTest {
  private static final String MSG = "it's \"quoted\" $(touch /tmp/pwned) ; rm -rf * `id` $HOME";
  private static final String WEIRD = "$(hostname) ; echo * 'single' \"double\"";
  /**
   * Open MPI's complaints when its shared-memory single copy (Linux CMA: process_vm_readv/writev) is refused: the
   * vader BTL's "Read -1, expected N, errno = 1" (and "Wrote"), or a help text about CMA or the single-copy mechanism.
   */
  private static final Pattern SINGLE_COPY_FAILURE = Pattern.compile(
      "(Read|Wrote) -1, expected [0-9]+, errno = [0-9]+|errno = 1\\b|single[-_ ]copy|\\bCMA\\b",
      Pattern.CASE_INSENSITIVE);
  /**
   * The entry script of the 2 x 2 runs: before probe.py, under Open MPI, the two ranks of each worker exchange
   * messages far above the shared-memory eager limit (4 KiB), which Open MPI moves by single copy when it is on, and
   * check what arrived; each rank records the Open MPI single-copy variables it got in $PROBE_SHM_OUT/rank-N.json.
   */
  private static final String SHM_PROBE = """
      import array, json, os, runpy, sys
      if "OMPI_COMM_WORLD_RANK" in os.environ:
          from mpi4py import MPI
          world = MPI.COMM_WORLD
          node = world.Split_type(MPI.COMM_TYPE_SHARED)
          n = 1 << 18  # 2 MiB of doubles
          mine = array.array("d", [float(world.Get_rank() + 1)]) * n
          total = array.array("d", [0.0]) * n
          node.Allreduce(mine, total, op=MPI.SUM)
          peer = (node.Get_rank() + 1) % node.Get_size()
          got = array.array("d", [0.0]) * n
          node.Sendrecv(mine, dest=peer, recvbuf=got, source=(node.Get_rank() - 1) % node.Get_size())
          expected = sum(node.allgather(world.Get_rank() + 1))
          with open(os.path.join(os.environ["PROBE_SHM_OUT"], "rank-%d.json" % world.Get_rank()), "w") as out:
              json.dump({"rank": world.Get_rank(), "node_size": node.Get_size(),
                         "allreduce_ok": total[0] == expected and total[-1] == expected,
                         "sendrecv_ok": got[0] == got[-1] != 0.0,
                         "env": {k: v for k, v in os.environ.items() if k in (
                             "OMPI_MCA_btl_vader_single_copy_mechanism", "OMPI_MCA_smsc")}}, out)
      sys.argv[0] = os.path.join(os.path.dirname(os.path.abspath(__file__)), "probe.py")
      runpy.run_path(sys.argv[0], run_name="__main__")
      """;

  @TempDir
  Path dir;

  @BeforeAll
  static void requireTheRealPrograms() {
    MpiCluster.requireTheRealPrograms();
  }

  private OperatorConfig config() {
    OperatorConfig config = OperatorConfig.defaults();
    config.setPythonCommand("/usr/bin/python3");
    config.setMpirunCommands(Map.of(MpiImplementation.OpenMPI, "/usr/bin/mpirun.openmpi",
        MpiImplementation.MPICH, "/usr/bin/mpirun.mpich"));
    config.setWorkerWaitAttempts(30);
    return config;
  }

  private ChainerJob job(String shape, List<String> extraArguments) throws Exception {
    Files.createDirectories(dir.resolve("src"));
    Files.createDirectories(dir.resolve("out"));
    Files.createDirectories(dir.resolve("data"));
    Files.copy(Path.of("src/test/resources/mpi/probe.py"), dir.resolve("src/probe.py"));
    // A restricted job's user (not root) reads the code and data and writes the ranks' reports.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(dir.resolve("out"), PosixFilePermissions.fromString("rwxrwxrwx"));
    List<String> arguments = new ArrayList<>(List.of("a b", "*.py", "$HOME", "`id`"));
    arguments.addAll(extraArguments);
    ChainerJob job = TestJobs.job("sourceDirectory: " + dir.resolve("src") + "\nentryScript: probe.py\n"
        + "frameworkVersion: \"7.0.0\"\nuserManaged: true\n" + shape);
    job.getSpec().setScriptParams(new LinkedHashMap<>(Map.of(
        "--msg", Serialization.jsonMapper().valueToTree(MSG),
        "--epochs", Serialization.jsonMapper().valueToTree(2),
        "--flag", Serialization.jsonMapper().valueToTree(""))));
    job.getSpec().setArguments(arguments);
    job.getSpec().setEnvironmentVariables(Map.of("PROBE_OUT", dir.resolve("out").toString(), "PROBE_WEIRD", WEIRD));
    job.getSpec().setInputs(List.of(Serialization.unmarshal("{\"name\": \"mnist\", \"pathOnCompute\": \""
        + dir.resolve("data") + "\", \"dataStore\": {\"persistentVolumeClaim\": \"x\"}}",
        dev.chainer.operator.api.DataReference.class)));
    return job;
  }

  private List<String> expectedArgv(List<String> extra) {
    List<String> argv = new ArrayList<>(List.of("--epochs", "2", "--flag", "--msg", MSG, "a b", "*.py", "$HOME",
        "`id`"));
    argv.addAll(extra);
    return argv;
  }

  record Run(int exitCode, String log, List<Map<String, Object>> ranks) {}

  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> ranks() throws Exception {
    List<Map<String, Object>> ranks = new ArrayList<>();
    try (var files = Files.list(dir.resolve("out"))) {
      for (Path f : files.sorted().toList()) {
        ranks.add(Serialization.unmarshal(Files.readString(f), Map.class));
      }
    }
    ranks.sort((a, b) -> ((Integer) a.get("rank")).compareTo((Integer) b.get("rank")));
    return ranks;
  }

  private Run runMpi(ChainerJob job) throws Exception {
    return runMpi(job, objects -> { });
  }

  /** Renders the job, lets {@code edit} change the objects (to show what a rendered setting is for), runs it. */
  private Run runMpi(ChainerJob job, Consumer<DesiredObjects> edit) throws Exception {
    DesiredObjects objects = JobRenderer.render(job, config(), SshKeyPair.generate("train"), null, 0);
    edit.accept(objects);
    JobNames names = new JobNames("train", "team-a", config().getClusterDomain());
    try (MpiCluster cluster = MpiCluster.start(objects, names, dir)) {
      int exit = cluster.await(Duration.ofSeconds(180));
      return new Run(exit, cluster.logs(), ranks());
    }
  }

  private static void assertRanks(Run run, int size, List<String> argv, Path data) {
    assertEquals(size, run.ranks().size(), run.log());
    Map<String, Integer> perHost = new TreeMap<>();
    for (Map<String, Object> rank : run.ranks()) {
      assertEquals(size, rank.get("size"), run.log());
      assertEquals(size * (size - 1) / 2, rank.get("allreduce"), "allreduce over all ranks");
      assertEquals(argv, rank.get("argv"), "arguments verbatim");
      Map<?, ?> env = (Map<?, ?>) rank.get("env");
      assertEquals(WEIRD, env.get("PROBE_WEIRD"), "environment variables verbatim on every rank");
      assertEquals(data.toString(), env.get("AZUREML_DATAREFERENCE_mnist"));
      assertEquals("train", env.get("AZUREML_RUN_ID"));
      perHost.merge((String) rank.get("host"), 1, Integer::sum);
    }
    if (size > 1) {
      assertEquals(Map.of("train-worker-0", 2, "train-worker-1", 2), perHost, "ranks spread as the hostfile says");
    }
  }

  @ParameterizedTest
  @EnumSource(value = MpiImplementation.class, names = {"OpenMPI", "MPICH"})
  void mpiJobRunsEveryRankWithVerbatimArgumentsAndEnvironment(MpiImplementation impl) throws Exception {
    Run run = runTwoByTwo(impl, "");
    assertEquals(0, run.ranks().get(0).get("uid"), "a root job runs as the image's user");
    // A root job's pods run unconfined: Open MPI keeps its single copy, and it works.
    assertEquals(List.of(), singleCopyFailures(run.log()), run.log());
    for (Map<String, Object> rank : impl == MpiImplementation.OpenMPI ? shmRecords() : List.<Map<String, Object>>of()) {
      assertEquals(Map.of(), rank.get("env"), "single copy stays on for a root job");
    }
  }

  /**
   * 2 workers x 2 processes of the implementation, through {@link #SHM_PROBE}: it ends 0, with every rank as {@link
   * #assertRanks} wants and, under Open MPI, the large messages between the ranks of each worker intact.
   */
  private Run runTwoByTwo(MpiImplementation impl, String extraSpec) throws Exception {
    return runTwoByTwo(impl, extraSpec, objects -> { });
  }

  private Run runTwoByTwo(MpiImplementation impl, String extraSpec, Consumer<DesiredObjects> edit) throws Exception {
    ChainerJob job = twoByTwo(impl, extraSpec);
    Run run = runMpi(job, edit);
    assertEquals(0, run.exitCode(), run.log());
    assertRanks(run, 4, expectedArgv(List.of()), dir.resolve("data"));
    if (impl == MpiImplementation.OpenMPI) {
      List<Map<String, Object>> shm = shmRecords();
      assertEquals(4, shm.size(), run.log());
      for (Map<String, Object> rank : shm) {
        assertEquals(2, rank.get("node_size"), "two ranks share each worker: " + rank);
        assertEquals(true, rank.get("allreduce_ok"), "the workers' shared memory carried every byte: " + rank);
        assertEquals(true, rank.get("sendrecv_ok"), "the workers' shared memory carried every byte: " + rank);
      }
    }
    return run;
  }

  private ChainerJob twoByTwo(MpiImplementation impl, String extraSpec) throws Exception {
    ChainerJob job = job("nodeCount: 2\ndistributedTraining:\n  mpi:\n    processCountPerNode: 2\n"
        + "    implementation: " + impl + "\n" + extraSpec, List.of());
    Files.writeString(dir.resolve("src/shm_probe.py"), SHM_PROBE);
    Path shm = Files.createDirectories(dir.resolve("shm"));
    Files.setPosixFilePermissions(shm, PosixFilePermissions.fromString("rwxrwxrwx"));
    job.getSpec().setEntryScript("shm_probe.py");
    Map<String, String> env = new TreeMap<>(job.getSpec().getEnvironmentVariables());
    env.put("PROBE_SHM_OUT", shm.toString());
    job.getSpec().setEnvironmentVariables(env);
    return job;
  }

  /** What each Open MPI rank of {@link #SHM_PROBE} recorded, by rank. */
  @SuppressWarnings("unchecked")
  private List<Map<String, Object>> shmRecords() throws Exception {
    List<Map<String, Object>> records = new ArrayList<>();
    try (var files = Files.list(dir.resolve("shm"))) {
      for (Path f : files.sorted().toList()) {
        records.add(Serialization.unmarshal(Files.readString(f), Map.class));
      }
    }
    return records;
  }

  /** The lines of the log in which Open MPI says its single copy failed. */
  private static List<String> singleCopyFailures(String log) {
    return log.lines().filter(l -> SINGLE_COPY_FAILURE.matcher(l).find()).toList();
  }

  /**
   * A restricted job: sshd on every worker and the launcher run as the unprivileged user the pods render (uid 1000),
   * sshd on its unprivileged port, the keys read through fsGroup with the rendered mode; every rank runs as that
   * user and gets its arguments and environment verbatim.
   */
  @ParameterizedTest
  @EnumSource(value = MpiImplementation.class, names = {"OpenMPI", "MPICH"})
  void restrictedJobRunsEveryRankAsAnUnprivilegedUser(MpiImplementation impl) throws Exception {
    Run run = runTwoByTwo(impl, "kubernetes:\n  securityProfile: restricted\n");
    for (Map<String, Object> rank : run.ranks()) {
      assertEquals(1000, rank.get("uid"), "rank " + rank.get("rank") + " runs as the pod's user");
    }
    // sshd, started as uid 1000, could only listen on the unprivileged port its rendered configuration names.
    assertTrue(run.log().contains("Server listening on 0.0.0.0 port 2222"), run.log());
    // Without CAP_SYS_PTRACE, under the runtime's default seccomp profile, the ranks of a worker cannot read each
    // other's memory: Open MPI's single copy is off, on every rank, and nothing complains.
    assertEquals(List.of(), singleCopyFailures(run.log()), run.log());
    if (impl == MpiImplementation.OpenMPI) {
      for (Map<String, Object> rank : shmRecords()) {
        assertEquals(Map.of(MpiCommand.VADER_SINGLE_COPY, "none", MpiCommand.SMSC, "^cma"), rank.get("env"),
            "mpirun handed the variables to rank " + rank.get("rank"));
      }
    }
  }

  /**
   * What the variables above are for, and that this harness confines a restricted pod as a node does: the same run
   * with them taken out of the rendered launcher gets Open MPI's "Read -1, expected N, errno = 1" from the ranks of a
   * worker (process_vm_readv refused with EPERM).
   */
  @Test
  void restrictedOpenMpiJobWithSingleCopyOnGetsItRefused() throws Exception {
    Run run = runTwoByTwo(MpiImplementation.OpenMPI, "kubernetes:\n  securityProfile: restricted\n", objects -> {
      Container launcher = objects.launcher().getSpec().getContainers().get(0);
      assertTrue(launcher.getEnv().removeIf(e -> e.getName().equals(MpiCommand.VADER_SINGLE_COPY)
          || e.getName().equals(MpiCommand.SMSC)), "the restricted launcher sets them");
    });
    // Open MPI 4.1 goes on after each refusal (the data still arrives, as runTwoByTwo checked); the log fills up.
    List<String> failures = singleCopyFailures(run.log());
    assertFalse(failures.isEmpty(), "the ranks' single copy should have been refused:\n" + run.log());
    assertTrue(failures.stream().anyMatch(l -> l.matches(".*Read -1, expected [0-9]+, errno = 1\\b.*")),
        failures.toString());
    for (Map<String, Object> rank : shmRecords()) {
      assertNull(((Map<?, ?>) rank.get("env")).get(MpiCommand.VADER_SINGLE_COPY));
    }
  }

  @Test
  void failingScriptIsTheLaunchersExitCode() throws Exception {
    Run run = runMpi(job("nodeCount: 2\ndistributedTraining:\n  mpi:\n    processCountPerNode: 2\n",
        List.of("--fail")));
    assertEquals(3, run.exitCode(), run.log());
  }

  @Test
  void singleProcessJobRunsTheScriptDirectly() throws Exception {
    for (boolean failing : new boolean[] {false, true}) {
      List<String> extra = failing ? List.of("--fail") : List.of();
      ChainerJob job = job("", extra);
      Container launcher = JobRenderer.render(job, config(), null, null, 0).launcher().getSpec().getContainers().get(0);
      ProcessBuilder pb = new ProcessBuilder(Rendered.argv(launcher)).directory(Path.of(launcher.getWorkingDir())
          .toFile()).redirectErrorStream(true);
      pb.environment().clear();
      pb.environment().putAll(MpiCluster.environment(new PodSpec(), launcher, dir.resolve("home")));
      Process p = pb.start();
      String log = new String(p.getInputStream().readAllBytes());
      assertTrue(p.waitFor(60, TimeUnit.SECONDS));
      assertEquals(failing ? 3 : 0, p.exitValue(), log);
      Run run = new Run(p.exitValue(), log, ranks());
      assertRanks(run, 1, expectedArgv(extra), dir.resolve("data"));
      assertEquals(dir.resolve("src").toString(), run.ranks().get(0).get("cwd"));
      try (var files = Files.list(dir.resolve("out"))) {
        for (Path f : files.toList()) {
          Files.delete(f);
        }
      }
      Files.delete(dir.resolve("src/probe.py"));
    }
  }
}
