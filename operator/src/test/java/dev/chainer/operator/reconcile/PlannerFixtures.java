package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.spec.JobContext;
import dev.chainer.operator.spec.JobLabels;
import dev.chainer.operator.status.Observed;
import dev.chainer.operator.testing.Observations;
import dev.chainer.operator.testing.Rendered;
import dev.chainer.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Jobs, clusters and plans for the planner's tests: what the cluster holds of a job, as the planner is shown it. */
final class PlannerFixtures {
  static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  static final OperatorConfig CONFIG = OperatorConfig.defaults();

  private PlannerFixtures() {}

  /** A plan with the job's outputs claim as read from the cluster (null: not read). */
  static Plan plan(ChainerJob job, Observed observed, Optional<PersistentVolumeClaim> claim, Instant now) {
    return plan(job, observed, claim, now, CONFIG);
  }

  /** A plan made after the API server refused one of the job's objects. */
  static Plan planRefused(ChainerJob job, Observed observed, dev.chainer.operator.status.Refusal refusal,
      Instant now) {
    job.getMetadata().setGeneration(1L);
    JobContext context = JobContext.of(job, CONFIG);
    return JobPlanner.plan(context, Observations.of(context, observed).withRefusal(Optional.of(refusal)),
        SpecValidator.validate(context), now, false, false);
  }

  /** A plan by an operator with another configuration. */
  static Plan plan(ChainerJob job, Observed observed, Optional<PersistentVolumeClaim> claim, Instant now,
      OperatorConfig config) {
    job.getMetadata().setGeneration(1L);
    JobContext context = JobContext.of(job, config);
    return JobPlanner.plan(context, Observations.of(context, observed).withOutputsClaim(claim),
        SpecValidator.validate(context), now, false, false);
  }

  static Plan plan(ChainerJob job, Observed observed, Instant now) {
    job.getMetadata().setGeneration(1L);
    JobContext context = JobContext.of(job, CONFIG);
    return JobPlanner.plan(context, Observations.of(context, observed), SpecValidator.validate(context), now, false,
        false);
  }

  static boolean deletes(Plan p, String kind) {
    return p.deletions().stream().anyMatch(d -> d.kind().equals(kind));
  }

  /** Whether carrying the plan out would write nothing at all (an idle resync). */
  static boolean writesNothing(Plan p, ChainerJobStatus previous) {
    return p.status().equals(previous) && !p.createInfrastructure() && !p.createWorkers() && !p.createLauncher()
        && p.deletions().isEmpty() && !p.deleteJob() && p.events().isEmpty() && !p.createWorkload()
        && !p.releaseQuota() && !p.finishWorkload();
  }

  static Pod withPhase(Pod pod, String phase, boolean ready) {
    return new PodBuilder(pod).withNewStatus().withPhase(phase)
        .addNewCondition().withType("PodScheduled").withStatus("True").endCondition()
        .addNewCondition().withType("Ready").withStatus(ready ? "True" : "False").endCondition()
        .endStatus().build();
  }

  static List<Pod> workers(DesiredObjects objects, boolean ready) {
    var template = objects.workers().orElseThrow().getSpec().getTemplate();
    var owner = new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder().withKind("StatefulSet")
        .withName("train-worker").withUid("sts-uid").withController(true).build();
    return List.of(0, 1).stream().map(i -> withPhase(new PodBuilder().withMetadata(template.getMetadata())
        .editMetadata().withName("train-worker-" + i).withUid("worker-uid-" + i).withOwnerReferences(owner)
        .endMetadata().withSpec(template.getSpec()).build(), "Running", ready)).toList();
  }

  /** What the cluster holds of an MPI job's attempt: its objects as rendered, workers Running, maybe a launcher. */
  static Observed world(ChainerJob job, int attempt, boolean workersReady, Optional<String> launcherPhase) {
    DesiredObjects objects = JobRenderer.render(job, CONFIG, Rendered.KEYS, null, attempt);
    StatefulSet set = new StatefulSetBuilder(objects.workers().orElseThrow()).editMetadata().withUid("sts-uid")
        .withGeneration(1L).endMetadata().build();
    List<Pod> launchers = launcherPhase.map(p -> List.of(withPhase(objects.launcher(), p, false))).orElse(List.of());
    List<Pod> pods = new ArrayList<>(workers(objects, workersReady));
    pods.addAll(launchers);
    return new Observed(List.of(set), pods, List.of(objects.workerService().orElseThrow()),
        List.of(objects.mpiConfigMap().orElseThrow()), List.of(objects.sshSecret().orElseThrow()), List.of());
  }

  static Observed running(ChainerJob job, boolean workersReady, Optional<String> launcherPhase) {
    return world(job, 0, workersReady, launcherPhase);
  }

  static ChainerJob started(ChainerJob job, Instant start) {
    ChainerJobStatus status = new ChainerJobStatus();
    status.setPhase(JobPhase.Running);
    status.setStartTime(start.toString());
    job.setStatus(status);
    return job;
  }

}
