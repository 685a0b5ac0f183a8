package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.status.ObjectRef;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * The creates of one reconcile, each sent at most once per object: an object created lately that the cache has not
 * shown yet is not sent again ({@link RecentCreations}); an object the server already holds is the job's (a
 * create whose answer was lost) or somebody else's ({@link NotOwned}); and while the job already says that a foreign
 * object holds one of its names ({@code conflictKnown}), each object is looked up before it is sent, so the create
 * that can only be refused again is not sent at all (a foreign object without the operator's label is in no cache).
 */
final class Creations {
  /** The informer of each kind the operator has no Java model of, by kind (see the reconciler's event sources). */
  private static final Map<String, String> GENERIC_INFORMERS = Map.of("PodGroup", "podgroups", "Workload",
      "workloads");
  private final Context<ChainerJob> context;
  private final RecentCreations recent;
  private final boolean conflictKnown;
  private final Instant now;

  Creations(Context<ChainerJob> context, RecentCreations recent, boolean conflictKnown, Instant now) {
    this.context = context;
    this.recent = recent;
    this.conflictKnown = conflictKnown;
    this.now = now;
  }

  /** Creates an object and puts it in its informer's cache at once, so the next reconcile sees it. */
  <R extends HasMetadata> void create(R object, Class<R> type) {
    if (recent.awaitingCache(object, now)) {
      return;
    }
    if (conflictKnown) {
      R existing = context.getClient().resource(object).get();
      if (existing != null) {
        alreadyThere(object, existing, type);
        return;
      }
    }
    R created;
    try {
      created = context.getClient().resource(object).create();
    } catch (KubernetesClientException e) {
      Optional<Refused> refused = Refused.of(object.getKind() + " " + object.getMetadata().getName(), e);
      if (refused.isPresent()) {
        throw refused.get();
      }
      if (e.getCode() != 409) {
        throw e;
      }
      alreadyThere(object, context.getClient().resource(object).get(), type);
      return;
    }
    recent.created(object, now);
    cache(created, type);
  }

  /**
   * The name is taken: by the job's own object (a create before this one, whose answer or watch event was lost),
   * which is then as good as made, or by somebody else's, which stops this reconcile.
   */
  private <R extends HasMetadata> void alreadyThere(R wanted, R existing, Class<R> type) {
    if (existing == null) {
      return; // gone meanwhile: the next reconcile makes it
    }
    String owner = wanted.getMetadata().getOwnerReferences().get(0).getUid();
    boolean ours = existing.getMetadata().getOwnerReferences() != null
        && existing.getMetadata().getOwnerReferences().stream()
            .anyMatch(r -> Boolean.TRUE.equals(r.getController()) && owner.equals(r.getUid()));
    if (!ours) {
      throw new NotOwned(ObjectRef.of(existing));
    }
    cache(existing, type);
  }

  @SuppressWarnings("unchecked")
  private <R extends HasMetadata> void cache(R object, Class<R> type) {
    EventSource<R, ChainerJob> source;
    try {
      source = type == GenericKubernetesResource.class
          ? (EventSource<R, ChainerJob>) context.eventSourceRetriever().getEventSourceFor(type,
              GENERIC_INFORMERS.get(object.getKind()))
          : context.eventSourceRetriever().getEventSourceFor(type);
    } catch (IllegalArgumentException | io.javaoperatorsdk.operator.OperatorException e) {
      return; // no informer of that kind (an integration switched off): nothing to tell
    }
    if (source instanceof InformerEventSource<R, ChainerJob> informer) {
      informer.handleRecentResourceCreate(ResourceID.fromResource(object), object);
    }
  }

  /** A create found the name taken by an object whose controller is not this job. */
  static final class NotOwned extends RuntimeException {
    private final transient ObjectRef object;

    NotOwned(ObjectRef object) {
      super(object + " is not owned by the job", null, false, false);
      this.object = object;
    }

    ObjectRef object() {
      return object;
    }
  }
}
