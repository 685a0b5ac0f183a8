package dev.chainer.operator.runtime;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.api.reconciler.RetryInfo;
import io.javaoperatorsdk.operator.processing.event.Event;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counters the Java Operator SDK reports, kept in a few atomics and served in the Prometheus text
 * format (no metrics library: the operator's memory stays small).
 */
public final class OperatorMetrics implements Metrics {
  private final AtomicLong events = new AtomicLong();
  private final AtomicLong reconciliations = new AtomicLong();
  private final AtomicLong retries = new AtomicLong();
  private final AtomicLong failures = new AtomicLong();
  private final AtomicLong running = new AtomicLong();
  private final JobMetrics jobs = new JobMetrics();

  /** The jobs' own metrics (counts, durations, phases), which the reconciler records. */
  public JobMetrics jobs() {
    return jobs;
  }

  @Override
  public void receivedEvent(Event event, Map<String, Object> metadata) {
    events.incrementAndGet();
    if (event instanceof io.javaoperatorsdk.operator.processing.event.source.controller.ResourceEvent r
        && r.getAction() == io.javaoperatorsdk.operator.processing.event.source.controller.ResourceAction.DELETED) {
      r.getResource().map(job -> job.getMetadata().getUid()).ifPresent(jobs::forget);
    }
  }

  @Override
  public void reconcileCustomResource(HasMetadata resource, RetryInfo retryInfo, Map<String, Object> metadata) {
    reconciliations.incrementAndGet();
    if (retryInfo != null && retryInfo.getAttemptCount() > 0) {
      retries.incrementAndGet();
    }
  }

  /** Called by the reconciler for every reconcile that threw (each is retried with backoff). */
  public void reconcileFailed() {
    failures.incrementAndGet();
  }

  @Override
  public void reconciliationExecutionStarted(HasMetadata resource, Map<String, Object> metadata) {
    running.incrementAndGet();
  }

  @Override
  public void reconciliationExecutionFinished(HasMetadata resource, Map<String, Object> metadata) {
    running.decrementAndGet();
  }

  public long reconciliations() {
    return reconciliations.get();
  }

  public long failures() {
    return failures.get();
  }

  /** The counters in the Prometheus text exposition format. */
  public String prometheus() {
    StringBuilder out = new StringBuilder();
    counter(out, "chainer_operator_events_received_total", "Events received from the informers.", events.get());
    counter(out, "chainer_operator_reconciliations_total", "Reconciliations started.", reconciliations.get());
    counter(out, "chainer_operator_reconciliation_retries_total", "Reconciliations that were retries.",
        retries.get());
    counter(out, "chainer_operator_reconciliation_failures_total", "Reconciliations that threw.", failures.get());
    out.append("# HELP chainer_operator_jvm_heap_used_bytes Heap in use (after the last GC, call GC first).\n")
        .append("# TYPE chainer_operator_jvm_heap_used_bytes gauge\n")
        .append("chainer_operator_jvm_heap_used_bytes ")
        .append(java.lang.management.ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()).append('\n');
    out.append("# HELP chainer_operator_reconciliations_running Reconciliations in progress.\n")
        .append("# TYPE chainer_operator_reconciliations_running gauge\n")
        .append("chainer_operator_reconciliations_running ").append(running.get()).append('\n');
    out.append(jobs.prometheus());
    return out.toString();
  }

  private static void counter(StringBuilder out, String name, String help, long value) {
    out.append("# HELP ").append(name).append(' ').append(help).append('\n')
        .append("# TYPE ").append(name).append(" counter\n")
        .append(name).append(' ').append(value).append('\n');
  }
}
