package dev.chainer.operator.reconcile;

import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.spec.JobContext;
import dev.chainer.operator.validation.Problem;
import dev.chainer.operator.validation.SpecValidator;
import java.util.HashMap;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** A job's verdict is reused while what the validator reads stays the same, and only then. */
class ValidationsTest {
  private static final OperatorConfig CONFIG = OperatorConfig.defaults();

  private static ChainerJob stored(ChainerJob job, long generation) {
    job.getMetadata().setGeneration(generation);
    return job;
  }

  private static JobContext running(ChainerJob job) {
    return JobContext.of(job, CONFIG);
  }

  /** Validations whose validator counts its calls. */
  private static final class Counted {
    final AtomicInteger calls = new AtomicInteger();
    final Validations validations = new Validations(job -> {
      calls.incrementAndGet();
      return SpecValidator.validate(job);
    });

    List<Problem> of(ChainerJob job, Optional<String> snapshot) {
      return validations.of(running(job), snapshot);
    }
  }

  @Test
  void theSameJobIsValidatedOnceAndGetsTheValidatorsOwnVerdict() {
    Counted v = new Counted();
    ChainerJob job = stored(mpi(""), 1);
    assertEquals(SpecValidator.validate(running(job)), v.of(job, Optional.empty()));
    assertEquals(SpecValidator.validate(running(job)), v.of(stored(mpi(""), 1), Optional.empty()));
    assertEquals(1, v.calls.get(), "a resync of the same job reuses the verdict");
  }

  @Test
  void aNewGenerationALabelOrAnotherRunSnapshotIsValidatedAfresh() {
    Counted v = new Counted();
    v.of(stored(mpi(""), 1), Optional.empty());
    v.of(stored(mpi("nodeCount: 3"), 2), Optional.empty());
    assertEquals(2, v.calls.get(), "a new generation");
    ChainerJob labelled = stored(mpi("nodeCount: 3"), 2);
    labelled.getMetadata().setLabels(new HashMap<>(java.util.Map.of("kueue.x-k8s.io/queue-name", "team-queue")));
    List<Problem> reserved = v.of(labelled, Optional.empty());
    assertEquals(3, v.calls.get(), "a label changed (no new generation)");
    assertTrue(reserved.stream().anyMatch(p -> p.isError() && p.field().startsWith("metadata.labels")),
        "a Kueue queue without the Kueue integration: " + reserved);
    v.of(labelled, Optional.of("{\"nodeCount\":3}"));
    assertEquals(4, v.calls.get(), "the run started: its snapshot is what runs");
  }

  @Test
  void aJobNeverStoredIsNotKept() {
    Counted v = new Counted();
    v.of(mpi(""), Optional.empty());
    v.of(mpi(""), Optional.empty());
    assertEquals(2, v.calls.get(), "no generation: nothing to key a verdict on");
    assertEquals(0, v.validations.size());
  }
}
