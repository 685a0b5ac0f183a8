package dev.chainer.operator.spec;

import dev.chainer.operator.api.CleanPodPolicy;
import dev.chainer.operator.api.RunPolicy;
import dev.chainer.operator.api.SchedulingPolicy;
import java.util.Optional;

/**
 * A job's runPolicy with its defaults: no restart after a failure (backoffLimit 0), up to 10 after a disruption
 * (disruptionLimit: a preempted pod is not the job's fault, and with checkpoints costs little), workers removed as soon as the job ends
 * (cleanPodPolicy Running), kept for ever (no ttlSecondsAfterFinished), neither suspended nor canceled.
 */
public record EffectiveRunPolicy(int backoffLimit, int disruptionLimit, CleanPodPolicy cleanPodPolicy,
    Optional<Long> ttlSecondsAfterFinished, boolean suspend, boolean cancel, SchedulingPolicy schedulingPolicy) {

  public static final int DEFAULT_DISRUPTION_LIMIT = 10;

  public static EffectiveRunPolicy of(RunPolicy policy) {
    RunPolicy p = policy == null ? new RunPolicy() : policy;
    return new EffectiveRunPolicy(
        p.getBackoffLimit() == null ? 0 : p.getBackoffLimit(),
        p.getDisruptionLimit() == null ? DEFAULT_DISRUPTION_LIMIT : p.getDisruptionLimit(),
        p.getCleanPodPolicy() == null ? CleanPodPolicy.Running : p.getCleanPodPolicy(),
        Optional.ofNullable(p.getTtlSecondsAfterFinished()),
        Boolean.TRUE.equals(p.getSuspend()),
        Boolean.TRUE.equals(p.getCancel()),
        p.getSchedulingPolicy() == null ? new SchedulingPolicy() : p.getSchedulingPolicy());
  }
}
