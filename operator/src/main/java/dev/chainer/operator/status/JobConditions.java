package dev.chainer.operator.status;

import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Kubernetes-style conditions derived from a status: Running, Succeeded, Failed, Suspended, Canceled,
 * Stalled (True while an object the job does not own holds one of its names, or its outputs claim cannot serve it), and WorkersReady for MPI
 * jobs. Tools such as Argo CD, Flux and kubectl wait read these. A
 * condition's lastTransitionTime only moves when its status flips.
 */
public final class JobConditions {
  public static final String WORKERS_READY = "WorkersReady";
  public static final String RUNNING = "Running";
  public static final String SUCCEEDED = "Succeeded";
  public static final String FAILED = "Failed";
  public static final String SUSPENDED = "Suspended";
  public static final String CANCELED = "Canceled";
  /** kstatus' abnormal-true condition: True while the job cannot go on without somebody's help. */
  public static final String STALLED = "Stalled";
  public static final String RESOURCE_CONFLICT = "ResourceConflict";
  /** False while the launcher's log cannot be read: the progress shown is older than it could be. */
  public static final String PROGRESS_READ = "ProgressRead";
  public static final String LOG_UNREADABLE = "LogUnreadable";
  /** An accepted job that the operator's configuration no longer allows waits for it to come back. */
  public static final String REFUSED_BY_CONFIGURATION = "RefusedByConfiguration";

  private JobConditions() {}

  public static List<Condition> of(ChainerJobStatus status, boolean mpi, boolean suspended, long generation,
      List<Condition> previous, Instant now) {
    JobPhase phase = status.getPhase();
    List<Condition> out = new ArrayList<>();
    if (mpi) {
      boolean ready = status.getTotalWorkers() != null && status.getTotalWorkers() > 0
          && Objects.equals(status.getReadyWorkers(), status.getTotalWorkers());
      out.add(condition(WORKERS_READY, ready, ready ? "AllWorkersReady" : "WorkersNotReady", status.getReady(),
          generation, previous, now));
    }
    out.add(condition(RUNNING, phase == JobPhase.Running, phase.name(), null, generation, previous, now));
    out.add(condition(SUCCEEDED, phase == JobPhase.Completed, phase.name(), null, generation, previous, now));
    boolean failed = phase == JobPhase.Failed;
    out.add(condition(FAILED, failed, failed && status.getReason() != null ? status.getReason() : phase.name(),
        failed ? status.getMessage() : null, generation, previous, now));
    out.add(condition(SUSPENDED, suspended, suspended ? "Suspended" : phase.name(), null, generation, previous, now));
    boolean canceled = phase == JobPhase.Canceled;
    out.add(condition(CANCELED, canceled, phase.name(), null, generation, previous, now));
    boolean stalled = isStall(status.getReason());
    out.add(condition(STALLED, stalled, stalled ? status.getReason() : phase.name(), stalled ? status.getMessage()
        : null, generation, previous, now));
    return out;
  }

  /**
   * The conditions with ProgressRead False: the launcher's log could not be read, so the progress is left as it was.
   * Present only while that lasts (a job whose log reads fine carries no such condition); its transition time is
   * the one the job already had for it, so saying it again writes nothing.
   */
  public static List<Condition> withProgressNotRead(List<Condition> conditions, String message,
      List<Condition> previous, Instant now) {
    List<Condition> out = new ArrayList<>(conditions == null ? List.of() : conditions);
    out.removeIf(c -> PROGRESS_READ.equals(c.getType()));
    long generation = out.stream().map(Condition::getObservedGeneration).filter(Objects::nonNull).findFirst()
        .orElse(0L);
    out.add(condition(PROGRESS_READ, false, LOG_UNREADABLE, message, generation, previous, now));
    return out;
  }

  /** Reasons of a job that waits for somebody's help: a foreign object on its names, a store it cannot use. */
  public static boolean isStall(String reason) {
    return reason != null && (RESOURCE_CONFLICT.equals(reason) || REFUSED_BY_CONFIGURATION.equals(reason)
        || OutputsReadiness.REASONS.contains(reason) || PodStall.REASONS.contains(reason)
        || java.util.Arrays.stream(Refusal.Kind.values()).anyMatch(k -> k.mayClear() && k.name().equals(reason)));
  }

  private static Condition condition(String type, boolean value, String reason, String message, long generation,
      List<Condition> previous, Instant now) {
    String status = value ? "True" : "False";
    String since = previous == null ? null : previous.stream()
        .filter(c -> type.equals(c.getType()) && status.equals(c.getStatus()))
        .map(Condition::getLastTransitionTime).findFirst().orElse(null);
    return new ConditionBuilder().withType(type).withStatus(status).withReason(reason).withMessage(message)
        .withObservedGeneration(generation).withLastTransitionTime(since != null ? since : now.toString()).build();
  }
}
