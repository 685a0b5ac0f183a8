package dev.chainer.operator.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.MpiImplementation;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.render.SshKeyPair;
import dev.chainer.operator.spec.JobNames;
import dev.chainer.operator.testing.Rendered;
import dev.chainer.operator.testing.TestJobs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The operator's rendered launcher and workers, run through the real programs: OpenSSH servers on the
 * workers with the rendered keys and configuration, the rendered launcher command (waiting for the
 * workers, then mpirun of Open MPI or MPICH) in a host of its own, and an MPI Python entry script. Each
 * worker "pod" is a network namespace named, addressed and resolved as the rendered hostfile says.
 */
class MpiRuntimeTest {
  private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  private static final String SETPRIV = "/usr/bin/setpriv";
  private static final List<String> PROGRAMS = List.of(TestNetwork.IP, "/usr/sbin/sshd", "/usr/bin/ssh", SETPRIV,
      "/usr/bin/mpirun.openmpi", "/usr/bin/mpirun.mpich", "/usr/bin/python3", "/usr/bin/unshare");
  private static final AtomicInteger RUNS = new AtomicInteger();
  private static final String MSG = "it's \"quoted\" $(touch /tmp/pwned) ; rm -rf * `id` $HOME";
  private static final String WEIRD = "$(hostname) ; echo * 'single' \"double\"";

  @TempDir
  Path dir;

  @BeforeAll
  static void requireTheRealPrograms() throws Exception {
    List<String> missing = new ArrayList<>();
    PROGRAMS.stream().filter(p -> !Files.isExecutable(Path.of(p))).forEach(missing::add);
    if (missing.isEmpty()) {
      try {
        TestNetwork.run("/usr/bin/python3", "-c", "import mpi4py");
        TestNetwork.run(TestNetwork.IP, "netns", "list");
        if (!TestNetwork.run("/usr/bin/id", "-u").trim().equals("0")) {
          missing.add("root (network namespaces)");
        }
      } catch (IllegalStateException e) {
        missing.add("python3-mpi4py or ip netns: " + e.getMessage());
      }
    }
    if (!missing.isEmpty()) {
      String why = "MPI runtime test needs " + missing + " (Debian: openmpi-bin mpich openssh-server "
          + "openssh-client python3-mpi4py iproute2; .ci/run installs them)";
      if (System.getenv("CI") != null) {
        fail(why);
      }
      Assumptions.abort(why);
    }
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
    DesiredObjects objects = JobRenderer.render(job, config(), SshKeyPair.generate("train"), null, 0);
    JobNames names = new JobNames("train", "team-a", config().getClusterDomain());
    String prefix = "chj" + (ProcessHandle.current().pid() % 10000) + RUNS.incrementAndGet();
    try (TestNetwork net = new TestNetwork(prefix)) {
      int workers = objects.workers().orElseThrow().getSpec().getReplicas();
      String launcherNs = net.addHost(0, "10.233.0.10");
      StringBuilder hosts = new StringBuilder("127.0.0.1 localhost\n10.233.0.10 " + names.launcherHostname() + "."
          + names.serviceDomain() + " " + names.launcherHostname() + "\n");
      List<String> workerNs = new ArrayList<>();
      for (int i = 0; i < workers; i++) {
        workerNs.add(net.addHost(i + 1, "10.233.0." + (11 + i)));
        hosts.append("10.233.0.").append(11 + i).append(' ').append(names.workerHost(i)).append(' ')
            .append(names.workerPod(i)).append('\n');
      }
      PodSpec workerPod = objects.workers().get().getSpec().getTemplate().getSpec();
      for (int i = 0; i < workers; i++) {
        prepareHost(net, workerNs.get(i), names.workerPod(i), hosts.toString(), workerPod, objects);
        runKeyStep(net, workerNs.get(i), names.workerPod(i), workerPod);
        net.start(workerNs.get(i), names.workerPod(i), environment(workerPod, workerPod.getContainers().get(0)),
            asPodUser(workerPod, Rendered.argv(workerPod.getContainers().get(0))), dir.resolve("worker-" + i + ".log"));
      }
      PodSpec launcherPod = objects.launcher().getSpec();
      prepareHost(net, launcherNs, names.launcherHostname(), hosts.toString(), launcherPod, objects);
      runKeyStep(net, launcherNs, names.launcherHostname(), launcherPod);
      Path log = dir.resolve("launcher.log");
      Process launcher = net.start(launcherNs, names.launcherHostname(),
          environment(launcherPod, launcherPod.getContainers().get(0)),
          asPodUser(launcherPod, Rendered.argv(launcherPod.getContainers().get(0))), log);
      if (!launcher.waitFor(180, TimeUnit.SECONDS)) {
        fail("the launcher did not finish in 180 s:\n" + Files.readString(log) + workerLogs(workers));
      }
      return new Run(launcher.exitValue(), Files.readString(log) + workerLogs(workers), ranks());
    }
  }

  /** A restricted pod's init step that copies the keys, run as the kubelet would before the pod's container. */
  private void runKeyStep(TestNetwork net, String ns, String hostname, PodSpec pod) throws Exception {
    for (Container init : pod.getInitContainers()) {
      if (!init.getName().equals("ssh-keys")) {
        continue;
      }
      Path log = dir.resolve(hostname + "-ssh-keys.log");
      Process p = net.start(ns, hostname, environment(pod, init), asPodUser(pod, Rendered.argv(init)), log);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), Files.readString(log));
      Path key = TestNetwork.ETC_NETNS.resolve(ns).resolve("chainer/ssh/id_ed25519");
      assertEquals(pod.getSecurityContext().getRunAsUser().intValue(), Files.getAttribute(key, "unix:uid"),
          "the private key is the pod user's own");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }
  }

  /**
   * The container's argv as the kubelet starts it: under the pod's runAsUser, runAsGroup and fsGroup (as a
   * supplementary group), with no_new_privs (allowPrivilegeEscalation: false); as root when the pod sets none.
   */
  private static List<String> asPodUser(PodSpec pod, List<String> argv) {
    var context = pod.getSecurityContext();
    if (context == null || context.getRunAsUser() == null) {
      return argv;
    }
    List<String> wrapped = new ArrayList<>(List.of(SETPRIV, "--reuid=" + context.getRunAsUser(),
        "--regid=" + context.getRunAsGroup(), "--groups=" + context.getFsGroup(), "--no-new-privs"));
    wrapped.addAll(argv);
    return wrapped;
  }

  private String workerLogs(int workers) throws Exception {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < workers; i++) {
      out.append("\n--- worker ").append(i).append(":\n").append(Files.readString(dir.resolve("worker-" + i + ".log")));
    }
    return out.toString();
  }

  /**
   * The pod's host name and name resolution, its user in passwd and group (an image for restricted jobs has one),
   * and its mounted Secret and ConfigMap at their mount paths with the modes the volumes render: a Secret's files
   * owned by root with the pod's fsGroup as their group, as the kubelet writes them.
   */
  private void prepareHost(TestNetwork net, String ns, String hostname, String hosts, PodSpec pod,
      DesiredObjects objects) throws Exception {
    net.writeEtc(ns, "hosts", hosts, "rw-r--r--");
    net.writeEtc(ns, "hostname", hostname + "\n", "rw-r--r--");
    var context = pod.getSecurityContext();
    Long fsGroup = context == null ? null : context.getFsGroup();
    if (context != null && context.getRunAsUser() != null) {
      Path home = Files.createDirectories(dir.resolve("home"));
      Files.setAttribute(home, "unix:uid", context.getRunAsUser().intValue());
      net.writeEtc(ns, "passwd", Files.readString(Path.of("/etc/passwd")) + "chainer:x:" + context.getRunAsUser()
          + ":" + context.getRunAsGroup() + "::" + home + ":/bin/sh\n", "rw-r--r--");
      net.writeEtc(ns, "group", Files.readString(Path.of("/etc/group")) + "chainer:x:" + context.getRunAsGroup()
          + ":\n", "rw-r--r--");
    }
    List<VolumeMount> mounts = new ArrayList<>();
    pod.getInitContainers().forEach(init -> mounts.addAll(init.getVolumeMounts()));
    mounts.addAll(pod.getContainers().get(0).getVolumeMounts());
    for (VolumeMount mount : mounts) {
      Volume volume = pod.getVolumes().stream().filter(v -> v.getName().equals(mount.getName())).findFirst()
          .orElseThrow();
      Map<String, String> files;
      String mode;
      if (volume.getEmptyDir() != null && mount.getMountPath().startsWith("/etc/")) {
        // An emptyDir as the kubelet makes it: world-writable, with the pod's fsGroup.
        Path made = TestNetwork.ETC_NETNS.resolve(ns).resolve(mount.getMountPath().substring(5));
        Files.createDirectories(made);
        Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rwxrwxrwx"));
        if (fsGroup != null) {
          Files.setAttribute(made, "unix:gid", fsGroup.intValue());
        }
        continue;
      } else if (volume.getSecret() != null) {
        files = objects.sshSecret().orElseThrow().getStringData();
        mode = PosixFilePermissions.toString(permissions(volume.getSecret().getDefaultMode()));
      } else if (volume.getConfigMap() != null) {
        files = objects.mpiConfigMap().orElseThrow().getData();
        mode = "rw-r--r--";
      } else {
        continue;
      }
      assertTrue(mount.getMountPath().startsWith("/etc/"), mount.getMountPath());
      for (var file : files.entrySet()) {
        String relative = mount.getMountPath().substring(5) + "/" + file.getKey();
        net.writeEtc(ns, relative, file.getValue(), mode);
        if (volume.getSecret() != null && fsGroup != null) {
          Files.setAttribute(TestNetwork.ETC_NETNS.resolve(ns).resolve(relative), "unix:gid", fsGroup.intValue());
        }
      }
    }
  }

  private static java.util.Set<java.nio.file.attribute.PosixFilePermission> permissions(int mode) {
    String bits = "rwxrwxrwx";
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      out.append((mode & (1 << (8 - i))) != 0 ? bits.charAt(i) : '-');
    }
    return PosixFilePermissions.fromString(out.toString());
  }

  /** The container's environment as the process gets it: the rendered env after the kubelet, on the image's. */
  private Map<String, String> environment(PodSpec pod, Container c) {
    Map<String, String> env = new HashMap<>(Rendered.env(c));
    env.put("PATH", PATH);
    boolean root = pod.getSecurityContext() == null || pod.getSecurityContext().getRunAsUser() == null;
    env.put("HOME", root ? "/root" : dir.resolve("home").toString());
    return env;
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
  }

  /** 2 workers x 2 processes of the implementation: it ends 0, with every rank as {@link #assertRanks} wants. */
  private Run runTwoByTwo(MpiImplementation impl, String extraSpec) throws Exception {
    ChainerJob job = job("nodeCount: 2\ndistributedTraining:\n  mpi:\n    processCountPerNode: 2\n"
        + "    implementation: " + impl + "\n" + extraSpec, List.of());
    Run run = runMpi(job);
    assertEquals(0, run.exitCode(), run.log());
    assertRanks(run, 4, expectedArgv(List.of()), dir.resolve("data"));
    return run;
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
      pb.environment().putAll(environment(new PodSpec(), launcher));
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
