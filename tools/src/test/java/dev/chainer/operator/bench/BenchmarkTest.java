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
  private static final int JOBS = 20;

  @Test
  void writesPerJobStayWithinFivePercentOfTheMinimumEachObjectIsCreatedOnceAndIdleResyncsWriteNothing()
      throws Exception {
    Benchmark.Result r = Benchmark.run(Benchmark.Options.of(JOBS));
    System.out.println(BenchReport.markdown(java.util.List.of(r)));
    assertEquals(12, r.minimumWrites(), "the minimum of a 2-worker MPI job");
    assertTrue(r.writesPerJob() <= 1.05 * r.minimumWrites(),
        "writes per job " + r.writesPerJob() + " > 1.05 x " + r.minimumWrites() + ": " + r.requestsByPhase());
    assertEquals(0, r.writes("idle"), "idle resyncs: " + r.requestsByPhase().get("idle"));
    for (String kind : BenchReport.CREATED_KINDS) {
      assertEquals(JOBS, r.objectsCreated(kind), kind + " made for each job: " + r.created());
      assertEquals(JOBS, r.requests("create " + kind), kind + " created with one request each (no AlreadyExists): "
          + r.requestsByPhase());
    }
    assertEquals(0, r.refusedCreations());
    Map<String, Long> creation = r.requestsByPhase().get("creation");
    assertEquals(JOBS, creation.get("create apps/statefulsets"), "every StatefulSet before the workers were counted");
    assertEquals(JOBS, r.launcherLatencyMillis().size());
  }
}
