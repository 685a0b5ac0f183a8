package dev.chainer.operator.mpi;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Hosts for the MPI runtime test: one network namespace per "pod", all joined by a bridge that lives in
 * a namespace of its own, with addresses that exist only inside them. `ip netns exec` overlays each
 * host's /etc/hosts, /etc/hostname and /etc/chainer with the files under /etc/netns/NAME, which is how a
 * pod's mounted Secret and ConfigMap are materialised at the paths the rendered objects name.
 */
final class TestNetwork implements AutoCloseable {
  static final String IP = "/usr/sbin/ip";
  static final Path ETC_NETNS = Path.of("/etc/netns");
  /** Mount point for the per-host /etc/chainer overlays; created (empty) if the machine has none. */
  static final Path ETC_CHAINER = Path.of("/etc/chainer");

  private final String prefix;
  private final String hub;
  private final List<String> namespaces = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();
  private final boolean createdEtcChainer;

  TestNetwork(String prefix) throws Exception {
    this.prefix = prefix;
    this.hub = prefix + "hub";
    createdEtcChainer = !Files.exists(ETC_CHAINER);
    Files.createDirectories(ETC_CHAINER);
    run(IP, "netns", "add", hub);
    namespaces.add(hub);
    run(IP, "-n", hub, "link", "add", "br0", "type", "bridge");
    run(IP, "-n", hub, "link", "set", "br0", "up");
  }

  /** Adds a host: its namespace, a veth to the bridge, and the address. Returns the namespace's name. */
  String addHost(int index, String address) throws Exception {
    String ns = prefix + "h" + index;
    run(IP, "netns", "add", ns);
    namespaces.add(ns);
    String inside = ns + "a";
    String outside = ns + "b";
    run(IP, "link", "add", inside, "type", "veth", "peer", "name", outside);
    run(IP, "link", "set", inside, "netns", ns);
    run(IP, "link", "set", outside, "netns", hub);
    run(IP, "-n", hub, "link", "set", outside, "master", "br0");
    run(IP, "-n", hub, "link", "set", outside, "up");
    run(IP, "-n", ns, "addr", "add", address + "/24", "dev", inside);
    run(IP, "-n", ns, "link", "set", inside, "up");
    run(IP, "-n", ns, "link", "set", "lo", "up");
    Files.createDirectories(ETC_NETNS.resolve(ns));
    return ns;
  }

  /** Writes a file that the host sees at /etc/{relative}. */
  void writeEtc(String ns, String relative, String content, String mode) throws IOException {
    Path file = ETC_NETNS.resolve(ns).resolve(relative);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
  }

  /** Starts argv on a host, with the given host name (its own UTS namespace) and exactly the given environment. */
  Process start(String ns, String hostname, Map<String, String> env, List<String> argv, Path log) throws IOException {
    List<String> command = new ArrayList<>(List.of(IP, "netns", "exec", ns, "/usr/bin/unshare", "--uts", "--",
        "/bin/sh", "-c", "hostname \"$1\" && shift && exec \"$@\"", "set-hostname", hostname));
    command.addAll(argv);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().clear();
    pb.environment().putAll(env);
    Process p = pb.start();
    processes.add(p);
    return p;
  }

  static String run(String... argv) throws Exception {
    Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException(String.join(" ", argv) + " failed: " + out);
    }
    return out;
  }

  /**
   * Ends every process of every host (sshd sessions, orted and the ranks too, whoever's children they are), waits
   * until each is gone, so nothing of this network writes a file after it closes, and removes the hosts.
   */
  @Override
  public void close() throws Exception {
    for (Process p : processes) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
    }
    List<ProcessHandle> killed = new ArrayList<>();
    for (String ns : namespaces) {
      try {
        for (String pid : run(IP, "netns", "pids", ns).split("\\s+")) {
          if (!pid.isBlank()) {
            ProcessHandle.of(Long.parseLong(pid)).ifPresent(h -> {
              h.destroyForcibly();
              killed.add(h);
            });
          }
        }
      } catch (IllegalStateException e) {
        // already gone
      }
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (killed.stream().anyMatch(TestNetwork::running) && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    for (String ns : namespaces) {
      try {
        run(IP, "netns", "del", ns);
      } catch (IllegalStateException e) {
        // already gone
      }
      Path dir = ETC_NETNS.resolve(ns);
      if (Files.exists(dir)) {
        try (Stream<Path> files = Files.walk(dir)) {
          for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
            Files.delete(f);
          }
        }
      }
    }
    if (createdEtcChainer) {
      Files.deleteIfExists(ETC_CHAINER);
    }
  }

  /** Whether the process still runs: a killed one that nobody reaped yet (a zombie) runs no more. */
  private static boolean running(ProcessHandle h) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
      return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
