package dev.chainer.operator.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The small benchmark (20 jobs) inside `mvn verify`: API write counts are exact, not timing-dependent, so
 * a regression in API cost fails the build.
 */
class BenchmarkTest {
  @Test
  void writesPerJobStayWithinTenPercentOfTheMinimumAndIdleResyncsWriteNothing() throws Exception {
    Benchmark.Result r = Benchmark.run(Benchmark.Options.of(20));
    System.out.println(BenchReport.markdown(java.util.List.of(r)));
    assertTrue(r.writesPerJob() <= 1.1 * Benchmark.MINIMUM_WRITES_PER_JOB,
        "writes per job " + r.writesPerJob() + " > 1.1 x " + Benchmark.MINIMUM_WRITES_PER_JOB + ": "
            + r.requestsByPhase());
    assertEquals(0, r.writes("idle"), "idle resyncs: " + r.requestsByPhase().get("idle"));
    Map<String, Long> creation = r.requestsByPhase().get("creation");
    assertEquals(20L, creation.get("create apps/statefulsets"));
    assertEquals(20L, creation.get("create services"));
    assertEquals(20, r.launcherLatencyMillis().size());
  }
}
