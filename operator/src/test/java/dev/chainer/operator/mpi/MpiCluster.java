package dev.chainer.operator.mpi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.spec.JobNames;
import dev.chainer.operator.testing.Rendered;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Assumptions;

/**
 * One attempt of a rendered MPI job, run through the real programs as the kubelet would run its pods: each worker
 * "pod" and the launcher are hosts of their own ({@link TestNetwork}: a network namespace named, addressed and
 * resolved as the rendered hostfile says), with the rendered Secret and ConfigMap at their mount paths; every
 * container's rendered argv and environment run under the pod's user, capabilities and seccomp profile as far as
 * {@link #asPodUser} models them (the restricted key step first), the workers' sshd, then the launcher (wait for the
 * workers, the resume step when the job has outputs, mpirun).
 *
 * <p>Volumes other than the keys, the MPI configuration and emptyDirs under /etc are the host's own directories:
 * an input's or the outputs' pathOnCompute is a directory the test makes, seen alike by every host.
 */
final class MpiCluster implements AutoCloseable {
  static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
  static final String SETPRIV = "/usr/bin/setpriv";
  static final String PYTHON = "/usr/bin/python3";
  static final List<String> PROGRAMS = List.of(TestNetwork.IP, "/usr/sbin/sshd", "/usr/bin/ssh", SETPRIV,
      "/usr/bin/mpirun.openmpi", "/usr/bin/mpirun.mpich", PYTHON, "/usr/bin/unshare");
  private static final AtomicInteger RUNS = new AtomicInteger();

  private final Path work;
  private final TestNetwork net;
  private final int workers;
  private Process launcher;

  private MpiCluster(Path work, TestNetwork net, int workers) {
    this.work = work;
    this.net = net;
    this.workers = workers;
  }

  /**
   * Skips the calling test (fails it on CI, where {@code CI} is set) unless the machine has the programs, mpi4py,
   * network namespaces and root.
   */
  static void requireTheRealPrograms() {
    List<String> missing = new ArrayList<>();
    PROGRAMS.stream().filter(p -> !Files.isExecutable(Path.of(p))).forEach(missing::add);
    if (missing.isEmpty()) {
      try {
        TestNetwork.run("/usr/bin/python3", "-c", "import mpi4py");
        TestNetwork.run(TestNetwork.IP, "netns", "list");
        if (!TestNetwork.run("/usr/bin/id", "-u").trim().equals("0")) {
          missing.add("root (network namespaces)");
        }
      } catch (Exception e) {
        missing.add("python3-mpi4py or ip netns: " + e.getMessage());
      }
    }
    if (!missing.isEmpty()) {
      skipOrFail("MPI runtime test needs " + missing + " (Debian: openmpi-bin mpich openssh-server "
          + "openssh-client python3-mpi4py iproute2; .ci/run installs them)");
    }
  }

  /** Aborts the test, or fails it on CI, where everything a test needs is installed by .ci/run. */
  static void skipOrFail(String why) {
    if (System.getenv("CI") != null) {
      fail(why);
    }
    Assumptions.abort(why);
  }

  /**
   * Starts the attempt the objects render: the hosts, every worker's key step and sshd, and, once every sshd
   * listens (so the launcher's first SSH attempt is answered), the launcher. Logs go to {@code work}
   * (launcher.log, worker-N.log), and so does a restricted user's home.
   */
  static MpiCluster start(DesiredObjects objects, JobNames names, Path work) throws Exception {
    Files.createDirectories(work);
    String prefix = "chj" + (ProcessHandle.current().pid() % 10000) + RUNS.incrementAndGet();
    int workers = objects.workers().orElseThrow().getSpec().getReplicas();
    MpiCluster cluster = new MpiCluster(work, new TestNetwork(prefix), workers);
    try {
      cluster.run(objects, names);
      return cluster;
    } catch (Throwable e) {
      cluster.close();
      throw e;
    }
  }

  private void run(DesiredObjects objects, JobNames names) throws Exception {
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
    List<Process> sshds = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      prepareHost(workerNs.get(i), names.workerPod(i), hosts.toString(), workerPod, objects);
      runKeyStep(workerNs.get(i), names.workerPod(i), workerPod);
      Container worker = workerPod.getContainers().get(0);
      sshds.add(net.start(workerNs.get(i), names.workerPod(i), environment(workerPod, worker, home()),
          asPodUser(workerPod, worker), workerLog(i)));
    }
    for (int i = 0; i < workers; i++) {
      int index = i;
      // Not an assertion: a worker that never listens is the launcher's to report, as in a cluster.
      poll(Duration.ofSeconds(30), () -> !sshds.get(index).isAlive()
          || Files.readString(workerLog(index)).contains("Server listening on"));
    }
    PodSpec launcherPod = objects.launcher().getSpec();
    prepareHost(launcherNs, names.launcherHostname(), hosts.toString(), launcherPod, objects);
    runKeyStep(launcherNs, names.launcherHostname(), launcherPod);
    Container container = launcherPod.getContainers().get(0);
    launcher = net.start(launcherNs, names.launcherHostname(), environment(launcherPod, container, home()),
        asPodUser(launcherPod, container), launcherLog());
  }

  Process launcher() {
    return launcher;
  }

  Path launcherLog() {
    return work.resolve("launcher.log");
  }

  private Path workerLog(int i) {
    return work.resolve("worker-" + i + ".log");
  }

  private Path home() {
    return work.resolve("home");
  }

  /** Waits for the launcher to end and returns its exit code; fails, with every log, when it does not. */
  int await(Duration timeout) throws Exception {
    if (!launcher.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      fail("the launcher did not finish in " + timeout.toSeconds() + " s:\n" + logs());
    }
    return launcher.exitValue();
  }

  /**
   * Kills the launcher's container as a lost node or an evicted pod would: SIGKILL to its process (mpirun, by then)
   * and everything it started; the ranks on the workers go when the cluster closes, with the worker pods.
   */
  void killLauncher() throws Exception {
    List<ProcessHandle> started = launcher.descendants().toList();
    launcher.destroyForcibly();
    started.forEach(ProcessHandle::destroyForcibly);
    assertTrue(launcher.waitFor(30, TimeUnit.SECONDS), "the launcher survived SIGKILL");
  }

  /** The launcher's log, then every worker's. */
  String logs() throws IOException {
    StringBuilder out = new StringBuilder(Files.readString(launcherLog()));
    for (int i = 0; i < workers; i++) {
      out.append("\n--- worker ").append(i).append(":\n").append(Files.readString(workerLog(i)));
    }
    return out.toString();
  }

  /** Ends every process of the attempt (sshd, orted and the ranks with it) and removes its hosts. */
  @Override
  public void close() throws Exception {
    net.close();
  }

  /** Polls until the condition holds; false if it did not within the timeout. Never a fixed sleep as a wait. */
  static boolean poll(Duration timeout, Check condition) throws Exception {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.holds()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(20);
    }
    return true;
  }

  /** A condition to poll for, which may read files. */
  @FunctionalInterface
  interface Check {
    boolean holds() throws Exception;
  }

  /** A restricted pod's init step that copies the keys, run as the kubelet would before the pod's container. */
  private void runKeyStep(String ns, String hostname, PodSpec pod) throws Exception {
    for (Container init : pod.getInitContainers()) {
      if (!init.getName().equals("ssh-keys")) {
        continue;
      }
      Path log = work.resolve(hostname + "-ssh-keys.log");
      Process p = net.start(ns, hostname, environment(pod, init, home()), asPodUser(pod, init), log);
      assertTrue(p.waitFor(30, TimeUnit.SECONDS));
      assertEquals(0, p.exitValue(), Files.readString(log));
      Path key = TestNetwork.ETC_NETNS.resolve(ns).resolve("chainer/ssh/id_ed25519");
      assertEquals(pod.getSecurityContext().getRunAsUser().intValue(), Files.getAttribute(key, "unix:uid"),
          "the private key is the pod user's own");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
    }
  }

  /**
   * The container's argv as the kubelet and the container runtime start it: under the pod's runAsUser, runAsGroup and
   * fsGroup (as a supplementary group), with no_new_privs (allowPrivilegeEscalation: false); without any capability,
   * not even in the bounding set, when the container drops ALL; and under {@link #RUNTIME_DEFAULT_PTRACE} when it runs
   * with the runtime's default seccomp profile and does not add SYS_PTRACE. As root and unconfined (no seccomp
   * profile: the kubelet's default) when the pod sets none of it, as a root job's pods do.
   */
  static List<String> asPodUser(PodSpec pod, Container container) {
    List<String> argv = Rendered.argv(container);
    var context = pod.getSecurityContext();
    List<String> wrapped = new ArrayList<>();
    var caps = container.getSecurityContext() == null ? null : container.getSecurityContext().getCapabilities();
    boolean dropsAll = caps != null && caps.getDrop() != null && caps.getDrop().contains("ALL");
    boolean addsPtrace = caps != null && caps.getAdd() != null && caps.getAdd().contains("SYS_PTRACE");
    if (context != null && context.getRunAsUser() != null) {
      wrapped.addAll(List.of(SETPRIV, "--reuid=" + context.getRunAsUser(), "--regid=" + context.getRunAsGroup(),
          "--groups=" + context.getFsGroup(), "--no-new-privs"));
      if (dropsAll) {
        wrapped.addAll(List.of("--inh-caps=-all", "--bounding-set=-all"));
      }
    }
    // The runtime's default capabilities never include SYS_PTRACE: only a container that adds it escapes the filter.
    if (runtimeDefaultSeccomp(pod, container) && !addsPtrace) {
      wrapped.addAll(List.of(PYTHON, "-c", RUNTIME_DEFAULT_PTRACE));
    }
    wrapped.addAll(argv);
    return wrapped;
  }

  private static boolean runtimeDefaultSeccomp(PodSpec pod, Container container) {
    var own = container.getSecurityContext() == null ? null : container.getSecurityContext().getSeccompProfile();
    var profile = own != null ? own
        : pod.getSecurityContext() == null ? null : pod.getSecurityContext().getSeccompProfile();
    return profile != null && "RuntimeDefault".equals(profile.getType());
  }

  /**
   * What containerd's default seccomp profile (RuntimeDefault) does to a container without CAP_SYS_PTRACE in its
   * bounding set, as far as it concerns processes reading each other's memory: process_vm_readv, process_vm_writev,
   * kcmp, pidfd_getfd and process_madvise fail with EPERM (containerd allows them only with that capability; the
   * rest of its allow-list does not matter here and is not modelled). A Python program for {@code python3 -c} that
   * installs that filter (with no_new_privs, as an unprivileged process may) and executes its arguments, so the filter
   * holds for the program and everything it starts: sshd, its sessions, orted and the ranks, or mpirun.
   */
  static final String RUNTIME_DEFAULT_PTRACE = """
      import ctypes, os, platform, struct, sys
      # audit arch, then process_vm_readv, process_vm_writev, kcmp, pidfd_getfd, process_madvise
      arches = {"x86_64": (0xC000003E, (310, 311, 312, 438, 440)), "aarch64": (0xC00000B7, (270, 271, 272, 438, 440))}
      if platform.machine() not in arches:
          sys.exit("RuntimeDefault model: no syscall numbers for " + platform.machine())
      arch, denied = arches[platform.machine()]
      ld, jeq, ret, allow, eperm = 0x20, 0x15, 0x06, 0x7FFF0000, 0x00050000 | 1
      insn = lambda code, jt, jf, k: struct.pack("HBBI", code, jt, jf, k)
      prog = [insn(ld, 0, 0, 4), insn(jeq, 1, 0, arch), insn(ret, 0, 0, allow), insn(ld, 0, 0, 0)]
      prog += [insn(jeq, len(denied) - i, 0, nr) for i, nr in enumerate(denied)]
      prog += [insn(ret, 0, 0, allow), insn(ret, 0, 0, eperm)]
      code = ctypes.create_string_buffer(b"".join(prog))
      class Prog(ctypes.Structure):
          _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]
      fprog = Prog(len(prog), ctypes.addressof(code))
      libc = ctypes.CDLL(None, use_errno=True)
      libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_void_p, ctypes.c_ulong, ctypes.c_ulong]
      # PR_SET_NO_NEW_PRIVS, then PR_SET_SECCOMP with SECCOMP_MODE_FILTER
      if libc.prctl(38, 1, None, 0, 0) != 0 or libc.prctl(22, 2, ctypes.byref(fprog), 0, 0) != 0:
          sys.exit("RuntimeDefault model: seccomp: " + os.strerror(ctypes.get_errno()))
      os.execvp(sys.argv[1], sys.argv[1:])
      """;

  /**
   * The container's environment as the process gets it: the rendered env after the kubelet, on the image's (PATH,
   * and HOME: root's, or {@code home} for the pod's user).
   */
  static Map<String, String> environment(PodSpec pod, Container c, Path home) {
    Map<String, String> env = new HashMap<>(Rendered.env(c));
    env.put("PATH", PATH);
    boolean root = pod.getSecurityContext() == null || pod.getSecurityContext().getRunAsUser() == null;
    env.put("HOME", root ? "/root" : home.toString());
    return env;
  }

  /**
   * The pod's host name and name resolution, its user in passwd and group (an image for restricted jobs has one),
   * and its mounted Secret and ConfigMap at their mount paths with the modes the volumes render: a Secret's files
   * owned by root with the pod's fsGroup as their group, as the kubelet writes them.
   */
  private void prepareHost(String ns, String hostname, String hosts, PodSpec pod, DesiredObjects objects)
      throws Exception {
    net.writeEtc(ns, "hosts", hosts, "rw-r--r--");
    net.writeEtc(ns, "hostname", hostname + "\n", "rw-r--r--");
    var context = pod.getSecurityContext();
    Long fsGroup = context == null ? null : context.getFsGroup();
    if (context != null && context.getRunAsUser() != null) {
      Path home = Files.createDirectories(home());
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
      } else if (volume.getSecret() != null && volume.getSecret().getSecretName()
          .equals(objects.sshSecret().orElseThrow().getMetadata().getName())) {
        files = objects.sshSecret().orElseThrow().getStringData();
        mode = PosixFilePermissions.toString(permissions(volume.getSecret().getDefaultMode()));
      } else if (volume.getConfigMap() != null && volume.getConfigMap().getName()
          .equals(objects.mpiConfigMap().orElseThrow().getMetadata().getName())) {
        // Not a job's own code in a ConfigMap: its copy step's result is the test's to provide.
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

  private static Set<PosixFilePermission> permissions(int mode) {
    String bits = "rwxrwxrwx";
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < 9; i++) {
      out.append((mode & (1 << (8 - i))) != 0 ? bits.charAt(i) : '-');
    }
    return PosixFilePermissions.fromString(out.toString());
  }
}
