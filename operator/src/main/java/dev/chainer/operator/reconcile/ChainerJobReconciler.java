package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.ImageRegistryDetails;
import dev.chainer.operator.config.GangScheduler;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.kueue.Kueue;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.render.SshKeyPair;
import dev.chainer.operator.runtime.OperatorMetrics;
import dev.chainer.operator.spec.JobContext;
import dev.chainer.operator.spec.JobLabels;
import dev.chainer.operator.spec.RunSpec;
import dev.chainer.operator.status.JobConditions;
import dev.chainer.operator.status.JobObjects;
import dev.chainer.operator.status.JobTransitions;
import dev.chainer.operator.status.ObjectRef;
import dev.chainer.operator.status.Observed;
import dev.chainer.operator.status.Refusal;
import dev.chainer.operator.validation.ManagedByRule;
import dev.chainer.operator.validation.ObjectRules;
import dev.chainer.operator.validation.Problem;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.DeletionPropagation;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.PrimaryUpdateAndCacheUtils;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.processing.GroupVersionKind;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thin shell around {@link JobPlanner}: reads the job and what it owns from the informer caches,
 * asks the planner what to do, and does it. Owned objects are only ever created or deleted, never
 * updated, and the job's spec is never written.
 */
@ControllerConfiguration(name = ChainerJobReconciler.NAME)
public class ChainerJobReconciler implements Reconciler<ChainerJob> {
  public static final String NAME = "chainerjob";
  /** Informers watch only objects carrying this label: the operator's own, never unrelated pods. */
  public static final String OWNED_SELECTOR = JobLabels.MANAGED_BY + "=" + JobLabels.OPERATOR;
  private static final Logger LOG = LoggerFactory.getLogger(ChainerJobReconciler.class);

  private final OperatorConfig config;
  private final Clock clock;
  private final OperatorMetrics metrics;
  private final ProgressReader progress;
  /**
   * Objects this operator deleted in the last minute, by uid. Until the informer sees a deletion, a
   * reconcile still finds the object in its cache; this keeps it from deleting it again. Losing it (a
   * restart) costs at most one redundant, harmless DELETE.
   */
  private final RecentTimes recentlyDeleted = new RecentTimes(Duration.ofSeconds(60));
  /** Objects created that the caches have not shown yet: not created again meanwhile. */
  private final RecentCreations recentlyCreated = new RecentCreations();
  /** When each job's status was last written: a waiting job's passing states wait out a hold (WaitingStatus). */
  private final RecentTimes statusWrites = new RecentTimes(WaitingStatus.HOLD);
  /** Each job's validation verdict, kept while what the validator reads stays the same. */
  private final Validations validations = new Validations();
  private final WorkerRefusals workerRefusals = new WorkerRefusals();
  /** The last state of the job's pods that are gone, which their absence alone does not tell (see VanishedPods). */
  private final VanishedPods vanishedPods;

  public ChainerJobReconciler(OperatorConfig config, Clock clock, OperatorMetrics metrics) {
    this.config = config;
    this.clock = clock;
    this.metrics = metrics;
    this.progress = new ProgressReader(config);
    this.vanishedPods = new VanishedPods(clock);
  }

  @Override
  public List<EventSource<?, ChainerJob>> prepareEventSources(EventSourceContext<ChainerJob> context) {
    // Owner references tell the job's objects from others holding its names (see JobObjects).
    String[] existence = {"metadata.labels", "metadata.uid", "metadata.ownerReferences"};
    List<EventSource<?, ChainerJob>> sources = new java.util.ArrayList<>(List.of(
        informer(Pod.class, context, PlannerInputs::podChanged, vanishedPods::recording, "metadata.labels",
            "metadata.uid",
            "metadata.ownerReferences", "metadata.annotations", "metadata.deletionTimestamp", "status"),
        informer(StatefulSet.class, context, PlannerInputs::statefulSetChanged, "metadata.labels", "metadata.uid",
            "metadata.ownerReferences", "metadata.annotations", "metadata.deletionTimestamp", "metadata.generation",
            "spec.replicas"),
        informer(Service.class, context, PlannerInputs::ownershipChanged, existence),
        informer(ConfigMap.class, context, PlannerInputs::ownershipChanged, existence),
        informer(Secret.class, context, PlannerInputs::ownershipChanged, existence)));
    // Kinds of optional integrations are watched only when configured: their CRDs may not be installed.
    GangScheduler gang = config.getGangScheduler();
    if (gang != GangScheduler.NONE) {
      sources.add(genericInformer("podgroups", new GroupVersionKind(gang.apiVersion(), "PodGroup"), context));
    }
    if (config.isKueueIntegration()) {
      sources.add(genericInformer("workloads", new GroupVersionKind(Kueue.apiVersion(config), "Workload"), context));
    }
    return sources;
  }

  /** An informer on the operator's own objects of a kind it has no Java model of (PodGroups). */
  private static EventSource<?, ChainerJob> genericInformer(String name, GroupVersionKind kind,
      EventSourceContext<ChainerJob> context) {
    var configuration = InformerEventSourceConfiguration.from(kind, ChainerJob.class)
        .withName(name)
        .withLabelSelector(OWNED_SELECTOR)
        .withSecondaryToPrimaryMapper(ChainerJobReconciler::jobOf)
        .build();
    return new InformerEventSource<>(configuration, context);
  }

  /** Every kind maps back to its job by the job-name label (worker pods are owned by their StatefulSet). */
  private static Set<ResourceID> jobOf(HasMetadata r) {
    String job = r.getMetadata().getLabels() == null ? null : r.getMetadata().getLabels().get(JobLabels.JOB_NAME);
    return job == null ? Set.of() : Set.of(new ResourceID(job, r.getMetadata().getNamespace()));
  }

  /**
   * An informer on the operator's own objects of one kind, caching only the fields the planner reads
   * ({@code kept}): a pod's spec or a Secret's keys are never needed again once created, and dropping them
   * is most of the operator's memory with many jobs. An update that changes nothing the planner reads
   * ({@code changed} says: see {@link PlannerInputs}) triggers no reconcile.
   */
  private static <R extends HasMetadata> EventSource<?, ChainerJob> informer(Class<R> type,
      EventSourceContext<ChainerJob> context, java.util.function.BiPredicate<R, R> changed, String... kept) {
    return informer(type, context, changed, UnaryOperator.identity(), kept);
  }

  /** The same, with its store wrapped ({@code store}), as the pods' is to remember the pods it drops. */
  private static <R extends HasMetadata> EventSource<?, ChainerJob> informer(Class<R> type,
      EventSourceContext<ChainerJob> context, java.util.function.BiPredicate<R, R> changed,
      UnaryOperator<ItemStore<R>> store, String... kept) {
    var configuration = InformerEventSourceConfiguration.from(type, ChainerJob.class)
        .withName(HasMetadata.getPlural(type)) // the name health probes report
        .withLabelSelector(OWNED_SELECTOR)
        .withItemStore(store.apply(new ReducedStateItemStore<>(ReducedStateItemStore.NAME_KEY_STATE, type,
            context.getClient().getKubernetesSerialization(), kept)))
        .withSecondaryToPrimaryMapper(ChainerJobReconciler::jobOf)
        .withOnUpdateFilter(changed::test)
        .build();
    return new InformerEventSource<>(configuration, context);
  }

  @Override
  public UpdateControl<ChainerJob> reconcile(ChainerJob job, Context<ChainerJob> context) {
    if (job.getSpec() != null && !job.getSpec().isManagedByOperator()
        && ManagedByRule.isValid(job.getSpec().getManagedBy())) {
      return UpdateControl.noUpdate(); // another controller's (MultiKueue's): not even a status is written
    }
    Instant now = clock.instant();
    JobContext observedJob = JobContext.of(job, config);
    Observed observed = observe(context).withLastStates(vanishedPods.of(job.getMetadata().getNamespace(),
        job.getMetadata().getName()));
    recentlyCreated.seen(observed.all(), now);
    String uid = job.getMetadata().getUid();
    JobObjects objects = JobObjects.of(observed, observedJob.names(), uid)
        .withOutputsClaim(OutputsClaims.read(observedJob, context.getClient()));
    objects.withRefusal(workerRefusals.read(observedJob, objects, context.getClient(), now));
    Optional<String> snapshot = runSnapshot(observedJob, objects);
    // The job as it runs: once started, with the spec its run started with (and the current runPolicy).
    JobContext running = snapshot.map(s -> observedJob.withJob(withSpec(job, RunSpec.restore(s,
        job.getSpec().getRunPolicy())))).orElse(observedJob);
    boolean edited = snapshot.isPresent() && !snapshot.get().equals(RunSpec.snapshot(job.getSpec()));
    List<Problem> problems = validations.of(running, snapshot);
    boolean kueue = Kueue.manages(job, config);
    Optional<Duration> requeue;
    try {
      requeue = carryOut(job, running, JobPlanner.plan(running, objects, problems, now, edited, kueue), objects,
          context, now);
    } catch (Creations.NotOwned conflict) {
      // A create ran into an object that is not the job's: plan again knowing it, so nothing is made beside it.
      JobObjects seen = JobObjects.of(observed.withConflict(conflict.object()), observedJob.names(), uid)
          .withOutputsClaim(objects.outputsClaim());
      requeue = carryOut(job, running, JobPlanner.plan(running, seen, problems, now, edited, kueue), seen, context,
          now);
    } catch (Refused refused) {
      // The server refused a create: plan again knowing it, so the job says so (and stops, or waits) at once.
      JobObjects seen = JobObjects.of(observed, observedJob.names(), uid).withOutputsClaim(objects.outputsClaim())
          .withRefusal(Optional.of(refused.refusal()));
      requeue = carryOut(job, running, JobPlanner.plan(running, seen, problems, now, edited, kueue), seen, context,
          now);
    }
    UpdateControl<ChainerJob> control = UpdateControl.noUpdate();
    requeue.ifPresent(d -> control.rescheduleAfter(d.plusMillis(100)));
    return control;
  }

  /** Reads the training's progress into the planned status when due, then carries the plan out. */
  private Optional<Duration> carryOut(ChainerJob job, JobContext running, Plan plan, JobObjects objects,
      Context<ChainerJob> context, Instant now) {
    WaitingStatus.hold(plan, job.getStatus(), statusWrites.last(job.getMetadata().getUid(), now), now);
    Optional<Duration> requeue = plan.requeueAfter();
    if (progress.applies(plan.status())) {
      progress.update(context.getClient(), running, plan.status(), now);
      progress.resumedFrom(running, plan.status()).ifPresent(plan::event);
      requeue = Optional.of(requeue.filter(d -> d.compareTo(progress.interval()) < 0).orElse(progress.interval()));
    } else if (progress.lastReadDue(running, plan.status(), now)) {
      progress.update(context.getClient(), running, plan.status(), now);
      Duration soon = Duration.ofSeconds(1);
      requeue = Optional.of(requeue.filter(d -> d.compareTo(soon) < 0).orElse(soon));
    }
    apply(job, running, plan, objects, context, now);
    metrics.jobs().record(job.getMetadata().getNamespace(), job.getMetadata().getUid(),
        JobTransitions.between(job.getStatus(), plan.status(), now), plan.status().getPhase());
    return requeue;
  }

  /** The spec the current run started with, stamped on its workers or launcher; empty before it starts. */
  private static Optional<String> runSnapshot(JobContext job, JobObjects objects) {
    if (job.job().getSpec() == null) {
      return Optional.empty();
    }
    int attempt = job.attempt();
    Optional<HasMetadata> started = objects.workers(attempt).map(HasMetadata.class::cast)
        .or(() -> objects.launcher(job.names().launcherPod(attempt)));
    return started.map(o -> o.getMetadata().getAnnotations() == null ? null
        : o.getMetadata().getAnnotations().get(RunSpec.ANNOTATION));
  }

  /**
   * The job with another spec. A shallow copy: JOSDK hands each reconcile its own copy of the job, and the
   * planner builds a new status rather than changing this one, so nothing here is shared with the cache.
   */
  private static ChainerJob withSpec(ChainerJob job, ChainerJobSpec spec) {
    ChainerJob copy = new ChainerJob();
    copy.setMetadata(job.getMetadata());
    copy.setSpec(spec);
    copy.setStatus(job.getStatus());
    return copy;
  }

  private static Observed observe(Context<ChainerJob> context) {
    return new Observed(
        context.getSecondaryResourcesAsStream(StatefulSet.class).toList(),
        context.getSecondaryResourcesAsStream(Pod.class).toList(),
        context.getSecondaryResourcesAsStream(Service.class).toList(),
        context.getSecondaryResourcesAsStream(ConfigMap.class).toList(),
        context.getSecondaryResourcesAsStream(Secret.class).toList(),
        context.getSecondaryResourcesAsStream(GenericKubernetesResource.class).toList(),
        List.of());
  }

  /** Carries out a plan: objects are rendered from the running spec, the status is written onto the job. */
  private void apply(ChainerJob job, JobContext running, Plan plan, JobObjects objects,
      Context<ChainerJob> context, Instant now) {
    KubernetesClient client = context.getClient();
    String ns = job.getMetadata().getNamespace();
    if (plan.createOutputsClaim()) {
      OutputsClaims.create(running, context.getClient());
    }
    if (plan.createInfrastructure() || plan.createWorkers() || plan.createLauncher() || plan.createWorkload()) {
      create(running.atAttempt(plan.status().currentAttempt()), plan, objects, context, now);
    }
    KueueWorkloads.carryOut(plan, job, objects, client, config, now);
    plan.deletions().forEach(d -> deleteOnce(d, ns, client, now));
    EventRecorder events = new EventRecorder(client);
    plan.events().forEach(e -> events.record(job, e, now));
    if (!Objects.equals(plan.status(), job.getStatus())) {
      PrimaryUpdateAndCacheUtils.updateStatusAndCacheResource(job, context, latest -> {
        ChainerJob copy = Serialization.clone(latest);
        copy.setStatus(plan.status());
        return copy;
      });
      statusWrites.happened(job.getMetadata().getUid(), now);
    }
    if (plan.deleteJob()) {
      delete(() -> client.resource(job).withPropagationPolicy(DeletionPropagation.BACKGROUND).delete());
    }
  }

  /** Creates what the plan says is missing, rendered for the planned attempt ({@code running}'s). */
  private void create(JobContext running, Plan plan, JobObjects objects, Context<ChainerJob> context, Instant now) {
    ChainerJob job = running.job();
    // A job that already says a foreign object holds one of its names looks before it creates (see Creations).
    boolean conflictKnown = job.getStatus() != null
        && JobConditions.RESOURCE_CONFLICT.equals(job.getStatus().getReason());
    Creations creations = new Creations(context, recentlyCreated, conflictKnown, now);
    int attempt = running.attempt();
    boolean needKeys = plan.createInfrastructure() && !objects.has(Secret.class, JobLabels.ROLE_SSH, attempt);
    String password = plan.createInfrastructure() && !objects.has(Secret.class, JobLabels.ROLE_REGISTRY, attempt)
        ? registryPassword(job, running.effective().imageRegistryDetails(), context) : null;
    DesiredObjects desired = JobRenderer.render(running, needKeys ? SshKeyPair.generate(job.getMetadata()
        .getName()) : null, password);
    if (plan.createWorkload()) {
      creations.create(KueueWorkloads.workload(job, desired, context.getClient(), config), GenericKubernetesResource.class);
    }
    if (Kueue.manages(job, config)) {
      KueueWorkloads.admitted(desired, objects, context.getClient(), config);
    }
    if (plan.createInfrastructure()) {
      if (!objects.has(Service.class, null, attempt)) {
        desired.workerService().ifPresent(s -> creations.create(s, Service.class));
      }
      if (!objects.has(ConfigMap.class, null, attempt)) {
        desired.mpiConfigMap().ifPresent(c -> creations.create(c, ConfigMap.class));
      }
      if (needKeys) {
        desired.sshSecret().ifPresent(s -> creations.create(s, Secret.class));
      }
      if (password != null) {
        desired.registrySecret().ifPresent(s -> creations.create(s, Secret.class));
      }
    }
    if (plan.createWorkers()) {
      // The gang first: a gang scheduler binds no worker of a PodGroup it does not know yet.
      desired.podGroup().ifPresent(g -> creations.create(g, GenericKubernetesResource.class));
      desired.workers().ifPresent(s -> creations.create(s, StatefulSet.class));
    }
    if (plan.createLauncher()) {
      Pod launcher = desired.launcher();
      if (!plan.launcherWorkerUids().isEmpty()) {
        launcher.getMetadata().getAnnotations().put(JobLabels.WORKER_UIDS, String.join(",", plan.launcherWorkerUids()));
      }
      creations.create(launcher, Pod.class);
    }
  }

  /**
   * Deletes one of the job's objects, only if it still has the uid the planner saw (a precondition the API server
   * checks), so an object re-created meanwhile by somebody else is never touched. Until the informer sees a
   * deletion, a reconcile still finds the object in its cache; {@code recentlyDeleted} keeps it from deleting it
   * again (losing that map in a restart costs at most one redundant, harmless DELETE).
   */
  private void deleteOnce(ObjectRef object, String namespace, KubernetesClient client, Instant now) {
    if (recentlyDeleted.last(object.uid(), now).isPresent()) {
      return;
    }
    DeleteOptions options = new DeleteOptionsBuilder().withPropagationPolicy("Background")
        .withNewPreconditions().withUid(object.uid()).endPreconditions().build();
    try {
      recentlyCreated.deleted(object, namespace);
      client.raw(ApiPaths.of(object, namespace), "DELETE", options);
    } catch (KubernetesClientException e) {
      // Gone already, or replaced by another object of that name (the uid precondition failed): nothing to do.
      if (e.getCode() != 404 && e.getCode() != 409) {
        throw e;
      }
    }
    recentlyDeleted.happened(object.uid(), now);
  }

  private static void delete(Runnable deletion) {
    try {
      deletion.run();
    } catch (KubernetesClientException e) {
      if (e.getCode() != 404) {
        throw e;
      }
    }
  }

  /** The registry password from the user's Secret; null (and no pull Secret yet) when it cannot be read. */
  private String registryPassword(ChainerJob job, ImageRegistryDetails registry, Context<ChainerJob> context) {
    if (registry == null || registry.getPullSecretName() != null || registry.getPasswordSecretRef() == null) {
      return null;
    }
    String key = registry.getPasswordSecretRef().getKey() == null ? "password" : registry.getPasswordSecretRef().getKey();
    if (!ObjectRules.isDnsSubdomain(registry.getPasswordSecretRef().getName())) {
      return null; // never put in a request path (the validator refuses the job for it)
    }
    Secret secret = context.getClient().secrets().inNamespace(job.getMetadata().getNamespace())
        .withName(registry.getPasswordSecretRef().getName()).get();
    String value = secret == null ? null : secret.getData() == null ? null : secret.getData().get(key);
    if (value == null) {
      LOG.warn("{}/{}: registry password Secret {} has no key {}", job.getMetadata().getNamespace(),
          job.getMetadata().getName(), registry.getPasswordSecretRef().getName(), key);
      return null;
    }
    return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
  }

  @Override
  public ErrorStatusUpdateControl<ChainerJob> updateErrorStatus(ChainerJob job, Context<ChainerJob> context,
      Exception e) {
    // Transient API errors are retried with backoff; the job's status is left as it was.
    metrics.reconcileFailed();
    LOG.warn("reconcile of {}/{} failed, will retry: {}", job.getMetadata().getNamespace(),
        job.getMetadata().getName(), e.toString());
    return ErrorStatusUpdateControl.defaultErrorProcessing();
  }
}
