package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.ChainerJobStatus;
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
  private boolean deleteWorkers;
  private boolean deleteLauncher;
  private boolean deleteJob;
  private final List<JobEvent> events = new ArrayList<>();
  private Duration requeueAfter;
  private List<String> launcherWorkerUids = List.of();

  public ChainerJobStatus status() { return status; }
  /** Create whichever of the Service, ConfigMap, SSH and registry Secrets are missing. */
  public boolean createInfrastructure() { return createInfrastructure; }
  public boolean createWorkers() { return createWorkers; }
  public boolean createLauncher() { return createLauncher; }
  /** Delete the worker StatefulSet (its pods go with it). */
  public boolean deleteWorkers() { return deleteWorkers; }
  /** Delete the current attempt's launcher pod. */
  public boolean deleteLauncher() { return deleteLauncher; }
  public boolean deleteJob() { return deleteJob; }
  public List<JobEvent> events() { return events; }
  public Optional<Duration> requeueAfter() { return Optional.ofNullable(requeueAfter); }
  /** The uids of the workers a launcher created now starts with; stamped on it to recognise replacements later. */
  public List<String> launcherWorkerUids() { return launcherWorkerUids; }

  Plan status(ChainerJobStatus s) { this.status = s; return this; }
  Plan createInfrastructure(boolean v) { this.createInfrastructure = v; return this; }
  Plan createWorkers(boolean v) { this.createWorkers = v; return this; }
  Plan createLauncher(boolean v) { this.createLauncher = v; return this; }
  Plan deleteWorkers(boolean v) { this.deleteWorkers = v; return this; }
  Plan deleteLauncher(boolean v) { this.deleteLauncher = v; return this; }
  Plan deleteJob(boolean v) { this.deleteJob = v; return this; }
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

  public boolean writesNothing(ChainerJobStatus previous) {
    return java.util.Objects.equals(status, previous) && !createInfrastructure && !createWorkers && !createLauncher
        && !deleteWorkers && !deleteLauncher && !deleteJob && events.isEmpty();
  }
}
