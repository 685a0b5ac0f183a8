package dev.chainer.operator.spec;

import java.util.Optional;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.config.OperatorConfig;

/**
 * One job as one reconcile sees it, derived once and handed to the validator, the planner and the renderers: the
 * job (with the spec it runs with), its objects' names, its attempt and its effective spec. The effective spec is
 * computed on first use, so that a spec the schema refuses is only ever read by the validator's guarded rules.
 * Not shared between threads: each reconcile builds its own.
 */
public final class JobContext {
  private final ChainerJob job;
  private final OperatorConfig config;
  private final JobNames names;
  private final int attempt;
  private EffectiveSpec effective;
  private Optional<EffectiveOutputs> outputs;

  private JobContext(ChainerJob job, OperatorConfig config, JobNames names, int attempt, EffectiveSpec effective) {
    this.job = job;
    this.config = config;
    this.names = names;
    this.attempt = attempt;
    this.effective = effective;
  }

  /** The job at the attempt its status names. */
  public static JobContext of(ChainerJob job, OperatorConfig config) {
    return new JobContext(job, config, new JobNames(job.getMetadata().getName(), job.getMetadata().getNamespace(),
        config.getClusterDomain()), job.getStatus() == null ? 0 : job.getStatus().currentAttempt(), null);
  }

  /** The same job running another spec (the one its run started with): the names and attempt stay. */
  public JobContext withJob(ChainerJob running) {
    return new JobContext(running, config, names, attempt, running.getSpec() == job.getSpec() ? effective : null);
  }

  /** The same job at another attempt (the one a plan starts); the effective spec is not computed again. */
  public JobContext atAttempt(int other) {
    return other == attempt ? this : new JobContext(job, config, names, other, effective);
  }

  public ChainerJob job() {
    return job;
  }

  /** The spec, never null (an empty one for a job stored without a spec, which validation refuses). */
  public ChainerJobSpec spec() {
    return job.getSpec() == null ? new ChainerJobSpec() : job.getSpec();
  }

  public OperatorConfig config() {
    return config;
  }

  public JobNames names() {
    return names;
  }

  public int attempt() {
    return attempt;
  }

  /** The job's outputs with their defaults; empty when the job keeps none. */
  public Optional<EffectiveOutputs> outputs() {
    if (outputs == null) {
      outputs = EffectiveOutputs.of(spec(), names);
    }
    return outputs;
  }

  public EffectiveSpec effective() {
    if (effective == null) {
      effective = EffectiveSpec.of(spec(), config);
    }
    return effective;
  }
}
