package dev.chainer.operator.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The operator on a CPU of its own and the simulated cluster (API server, kubelet, the benchmark's clients) on
 * the others, as on a real cluster, where the operator's node is not the API server's. On one small machine
 * both would otherwise share every core, and the operator's CPU would slow the API server it is measured
 * against (see BENCHMARKS.md). Uses taskset (util-linux).
 *
 * @param operator the CPU list for the operator process, as taskset takes it
 * @param cluster the CPU list for this process
 */
record CpuSplit(String operator, String cluster) {
  /** The last CPU this process may use for the operator, the rest for this process; empty with fewer than two. */
  static Optional<CpuSplit> ofThisMachine() {
    try {
      String out = run("taskset", "-c", "-p", Long.toString(ProcessHandle.current().pid()));
      List<Integer> cpus = expand(out.substring(out.lastIndexOf(':') + 1).trim());
      if (cpus.size() < 2) {
        return Optional.empty();
      }
      String rest = String.join(",", cpus.subList(0, cpus.size() - 1).stream().map(String::valueOf).toList());
      return Optional.of(new CpuSplit(String.valueOf(cpus.get(cpus.size() - 1)), rest));
    } catch (IOException e) {
      return Optional.empty(); // no taskset: the processes share the CPUs
    }
  }

  /** Moves every thread of this process (and the threads it starts later) to the cluster's CPUs. */
  void pinThisProcess() throws IOException {
    run("taskset", "-a", "-c", "-p", cluster, Long.toString(ProcessHandle.current().pid()));
  }

  /** "0-2,5" as [0, 1, 2, 5]. */
  static List<Integer> expand(String list) {
    return Arrays.stream(list.split(",")).map(String::trim).filter(s -> !s.isEmpty()).flatMap(range -> {
      String[] ends = range.split("-");
      int from = Integer.parseInt(ends[0]);
      int to = Integer.parseInt(ends[ends.length - 1]);
      return java.util.stream.IntStream.rangeClosed(from, to).boxed();
    }).toList();
  }

  private static String run(String... command) throws IOException {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    try {
      if (p.waitFor() != 0) {
        throw new IOException(String.join(" ", command) + " failed: " + out.trim());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
    return out;
  }
}
