package dev.chainer.operator.bench;

import java.util.Map;

/** The operator being measured: in this JVM (for the test), or in a JVM of its own (for memory figures). */
interface OperatorUnderTest extends AutoCloseable {
  /** The operator's API requests so far, "verb resource" to count. */
  Map<String, Long> requests() throws Exception;

  long reconciliations() throws Exception;

  /** Heap in use after a full GC, in bytes. */
  long heapAfterGc() throws Exception;

  /** Resident set size of the operator's process, in bytes (-1 when it shares the benchmark's). */
  long rss() throws Exception;

  /** Fails when the operator is no longer running, so that a benchmark stops instead of waiting. */
  default void checkAlive() {
  }
}
