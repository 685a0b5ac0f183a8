package dev.chainer.operator.testing;

import dev.chainer.operator.spec.JobContext;
import dev.chainer.operator.status.JobObjects;
import dev.chainer.operator.status.Observed;
import java.util.List;

/** What the planner is given to see, for tests that plan without a cluster. */
public final class Observations {
  private Observations() {}

  /** An empty cluster. */
  public static Observed nothing() {
    return new Observed(List.of(), List.of(), List.of(), List.of(), List.of(), List.of());
  }

  /** What the cluster holds of the job, sorted by ownership as the reconciler sorts it. */
  public static JobObjects of(JobContext job, Observed observed) {
    return JobObjects.of(observed, job.names(), job.job().getMetadata().getUid());
  }
}
