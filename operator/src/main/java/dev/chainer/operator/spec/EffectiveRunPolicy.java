package dev.chainer.operator.spec;

import dev.chainer.operator.api.CleanPodPolicy;
import dev.chainer.operator.api.RunPolicy;
import dev.chainer.operator.api.SchedulingPolicy;
import java.util.Optional;

/**
 * A job's runPolicy with its defaults: no restart (backoffLimit 0), workers removed as soon as the job ends
 * (cleanPodPolicy Running), kept for ever (no ttlSecondsAfterFinished), neither suspended nor canceled.
 */
public record EffectiveRunPolicy(int backoffLimit, CleanPodPolicy cleanPodPolicy,
    Optional<Long> ttlSecondsAfterFinished, boolean suspend, boolean cancel, SchedulingPolicy schedulingPolicy) {

  public static EffectiveRunPolicy of(RunPolicy policy) {
    RunPolicy p = policy == null ? new RunPolicy() : policy;
    return new EffectiveRunPolicy(
        p.getBackoffLimit() == null ? 0 : p.getBackoffLimit(),
        p.getCleanPodPolicy() == null ? CleanPodPolicy.Running : p.getCleanPodPolicy(),
        Optional.ofNullable(p.getTtlSecondsAfterFinished()),
        Boolean.TRUE.equals(p.getSuspend()),
        Boolean.TRUE.equals(p.getCancel()),
        p.getSchedulingPolicy() == null ? new SchedulingPolicy() : p.getSchedulingPolicy());
  }
}
