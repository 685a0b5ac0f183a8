package dev.chainer.operator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CpuSplitTest {
  @Test
  void readsTasksetCpuLists() {
    assertEquals(List.of(0, 1, 2, 5), CpuSplit.expand("0-2,5"));
    assertEquals(List.of(3), CpuSplit.expand("3"));
    assertEquals(List.of(0, 1, 4, 5, 6), CpuSplit.expand(" 0-1, 4-6 "));
  }

  @Test
  void theOperatorGetsTheLastCpuAndTheClusterTheRest() {
    Optional<CpuSplit> machine = CpuSplit.ofThisMachine();
    assumeTrue(machine.isPresent(), "this machine has no CPUs to split (one CPU, or no taskset)");
    CpuSplit split = machine.get();
    List<Integer> cluster = CpuSplit.expand(split.cluster());
    int operator = Integer.parseInt(split.operator());
    assertFalse(cluster.isEmpty());
    assertFalse(cluster.contains(operator), "the operator's CPU is its own: " + split);
    assertEquals(Runtime.getRuntime().availableProcessors(), cluster.size() + 1);
  }
}
