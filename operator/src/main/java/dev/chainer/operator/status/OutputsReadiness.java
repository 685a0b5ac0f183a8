package dev.chainer.operator.status;

import dev.chainer.operator.api.OutputsStatus;
import dev.chainer.operator.spec.EffectiveOutputs;
import dev.chainer.operator.spec.JobLabels;
import dev.chainer.operator.spec.JobNames;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Whether a job's outputs store can serve its pods, from the claim as the cluster holds it: a claim that is missing,
 * that not every pod can mount at once, or that stays unbound would leave the pods Pending with no word on the job,
 * so each is a stall with a reason naming the claim and the rule.
 */
public final class OutputsReadiness {
  public static final String MISSING = "OutputsClaimMissing";
  public static final String NOT_SHARED = "OutputsClaimNotShared";
  public static final String NOT_BOUND = "OutputsClaimNotBound";
  public static final String CONFLICT = "OutputsClaimConflict";
  public static final List<String> REASONS = List.of(MISSING, NOT_SHARED, NOT_BOUND, CONFLICT);

  /**
   * What to do about the outputs before the pods start.
   *
   * @param createClaim the operator must create the job's claim
   * @param stall why the pods cannot use the store, if they cannot
   * @param blocksPods whether creating pods now is pointless (the store cannot serve them however long they wait)
   * @param lookAgain when to read the claim again: claims are not watched, so a wait that can end must be timed
   */
  public record Verdict(boolean createClaim, Optional<Stall> stall, boolean blocksPods, Optional<Duration> lookAgain) {
    public static final Verdict READY = new Verdict(false, Optional.empty(), false, Optional.empty());
  }

  public record Stall(String reason, String message) {}

  private static final Duration RETRY = Duration.ofSeconds(10);

  private OutputsReadiness() {}

  /**
   * @param claim the claim of that name as the API server holds it, if it was read
   * @param workers the job's worker pods (0 for a single-process job), which all mount the claim at once
   * @param since when the job started waiting for its pods (its start time)
   */
  public static Verdict of(Optional<EffectiveOutputs> outputs, Optional<PersistentVolumeClaim> claim, JobNames names,
      int workers, Instant since, Instant now, Duration bindTimeout) {
    if (outputs.isEmpty() || outputs.get().claim() == null) {
      return Verdict.READY;
    }
    EffectiveOutputs o = outputs.get();
    String name = o.claim();
    if (claim.isEmpty()) {
      return o.createsClaim() ? new Verdict(true, Optional.empty(), false, Optional.empty()) : stall(MISSING, "PersistentVolumeClaim "
          + name + " (spec.outputs.dataStore.persistentVolumeClaim) does not exist in namespace " + names.namespace()
          + ": create it, or let the operator create one with spec.outputs.claimTemplate", true);
    }
    PersistentVolumeClaim pvc = claim.get();
    if (o.createsClaim() && !names.job().equals(Observed.label(pvc, JobLabels.JOB_NAME))) {
      return stall(CONFLICT, "PersistentVolumeClaim " + name + " exists and was not made for this job (no label "
          + JobLabels.JOB_NAME + "=" + names.job() + "): rename it or the job", true);
    }
    List<String> modes = pvc.getSpec() == null || pvc.getSpec().getAccessModes() == null ? List.of()
        : pvc.getSpec().getAccessModes();
    Optional<String> unshared = unshared(modes, workers);
    if (unshared.isPresent()) {
      return stall(NOT_SHARED, "PersistentVolumeClaim " + name + " has access modes " + modes + ": "
          + unshared.get(), true);
    }
    String phase = pvc.getStatus() == null || pvc.getStatus().getPhase() == null ? "Pending"
        : pvc.getStatus().getPhase();
    if (phase.equals("Lost")) {
      return stall(NOT_BOUND, "PersistentVolumeClaim " + name + " is Lost: its volume is gone", true);
    }
    if (!phase.equals("Bound") && now.isBefore(since.plus(bindTimeout))) {
      return new Verdict(false, Optional.empty(), false, Optional.of(Duration.between(now, since.plus(bindTimeout))));
    }
    if (!phase.equals("Bound")) {
      // Not blocking: a claim whose class binds on first use (WaitForFirstConsumer) binds only once a pod needs it.
      return stall(NOT_BOUND, "PersistentVolumeClaim " + name + " is still " + phase + " after "
          + bindTimeout.toSeconds() + "s: no volume was bound to it (check its StorageClass and `kubectl describe "
          + "pvc " + name + "`)", false);
    }
    return Verdict.READY;
  }

  /** Why the pods cannot all write to a claim with these access modes, if they cannot. */
  private static Optional<String> unshared(List<String> modes, int workers) {
    if (!modes.contains("ReadWriteOnce") && !modes.contains("ReadWriteMany") && !modes.contains("ReadWriteOncePod")
        && !modes.isEmpty()) {
      return Optional.of("it is read-only, and the job writes its outputs there");
    }
    if (modes.contains("ReadWriteMany")) {
      return Optional.empty();
    }
    if (modes.contains("ReadWriteOncePod") && !modes.contains("ReadWriteOnce") && workers > 0) {
      return Optional.of("ReadWriteOncePod lets one pod mount it, and the launcher and workers all do; it needs "
          + "ReadWriteMany");
    }
    if (workers > 1) {
      return Optional.of("ReadWriteOnce lets the pods of one node mount it, and the job's " + workers + " workers run "
          + "on different nodes; it needs ReadWriteMany (or use an NFS store)");
    }
    return Optional.empty();
  }

  /** A stall; the claim is looked at again soon, as it is not watched. */
  private static Verdict stall(String reason, String message, boolean blocks) {
    return new Verdict(false, Optional.of(new Stall(reason, message)), blocks, Optional.of(RETRY));
  }

  /** What status.outputs says of a job without spec.outputs. */
  public static final String NOT_KEPT = "not kept (no spec.outputs): files the script writes are lost when its pods "
      + "are removed, and a restarted attempt starts from the beginning";

  /** status.outputs of a job without spec.outputs: only the message that nothing it writes is kept. */
  public static OutputsStatus notKept() {
    OutputsStatus s = new OutputsStatus();
    s.setMessage(NOT_KEPT);
    return s;
  }

  /** Where the results are and how to read them back, for status.outputs. */
  public static OutputsStatus report(EffectiveOutputs o) {
    OutputsStatus s = new OutputsStatus();
    s.setPersistentVolumeClaim(o.claim());
    s.setNfs(o.nfs() == null ? null : o.nfs().getServer() + ":" + o.nfs().getPath());
    s.setPath(o.subPath());
    s.setPathOnCompute(o.pathOnCompute());
    s.setMessage((o.claim() != null ? "mount claim " + o.claim() + " (subPath " + o.subPath() + ") in any pod to "
        : "mount NFS export " + s.getNfs() + " (directory " + o.subPath() + ") in any pod to ")
        + "read the results; while the launcher runs, kubectl cp <launcher pod>:" + o.pathOnCompute() + " ./outputs");
    return s;
  }
}
