package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.status.ObjectRef;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** What one reconcile should do: the status to write, the objects to create or delete, the events to record. */
public final class Plan {
  private ChainerJobStatus status;
  private boolean createInfrastructure;
  private boolean createWorkers;
  private boolean createLauncher;
  private boolean createOutputsClaim;
  private final List<ObjectRef> deletions = new ArrayList<>();
  private boolean deleteJob;
  private boolean createWorkload;
  private boolean releaseQuota;
  private boolean finishWorkload;
  private final List<JobEvent> events = new ArrayList<>();
  private Duration requeueAfter;
  private List<String> launcherWorkerUids = List.of();

  public ChainerJobStatus status() { return status; }
  /** Create whichever of the Service, ConfigMap, the attempt's SSH Secret and the registry Secret are missing. */
  public boolean createInfrastructure() { return createInfrastructure; }
  public boolean createWorkers() { return createWorkers; }
  /** Create the claim the job's outputs.claimTemplate asks for. */
  public boolean createOutputsClaim() { return createOutputsClaim; }
  public boolean createLauncher() { return createLauncher; }
  /** The job's own objects to delete, each by name and uid (a worker StatefulSet takes its pods with it). */
  public List<ObjectRef> deletions() { return List.copyOf(deletions); }
  public boolean deleteJob() { return deleteJob; }
  /** Create the job's Kueue Workload. */
  public boolean createWorkload() { return createWorkload; }
  /** The evicted job's pods are gone: give the Workload's quota back to Kueue, which queues it again. */
  public boolean releaseQuota() { return releaseQuota; }
  /** The job ended: mark its Workload Finished. */
  public boolean finishWorkload() { return finishWorkload; }
  public List<JobEvent> events() { return events; }
  public Optional<Duration> requeueAfter() { return Optional.ofNullable(requeueAfter); }
  /** The uids of the workers a launcher created now starts with; stamped on it to recognise replacements later. */
  public List<String> launcherWorkerUids() { return launcherWorkerUids; }

  Plan status(ChainerJobStatus s) { this.status = s; return this; }
  Plan createInfrastructure(boolean v) { this.createInfrastructure = v; return this; }
  Plan createWorkers(boolean v) { this.createWorkers = v; return this; }
  Plan createOutputsClaim(boolean v) { this.createOutputsClaim = v; return this; }
  Plan createLauncher(boolean v) { this.createLauncher = v; return this; }
  Plan delete(ObjectRef o) {
    if (!deletions.contains(o)) {
      deletions.add(o);
    }
    return this;
  }
  Plan deleteJob(boolean v) { this.deleteJob = v; return this; }
  Plan createWorkload(boolean v) { this.createWorkload = v; return this; }
  Plan releaseQuota(boolean v) { this.releaseQuota = v; return this; }
  Plan finishWorkload(boolean v) { this.finishWorkload = v; return this; }
  Plan event(JobEvent e) { this.events.add(e); return this; }
  Plan launcherWorkerUids(List<String> uids) { this.launcherWorkerUids = List.copyOf(uids); return this; }

  /** Asks for another reconcile after d, keeping the earliest of several requests. */
  Plan requeueAfter(Duration d) {
    Duration positive = d.isNegative() ? Duration.ZERO : d;
    if (requeueAfter == null || positive.compareTo(requeueAfter) < 0) {
      requeueAfter = positive;
    }
    return this;
  }
}
