package dev.chainer.operator.reconcile;

import dev.chainer.operator.spec.JobLabels;
import dev.chainer.operator.status.ObjectRef;
import dev.chainer.operator.status.Observed;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Objects this operator created that its informers have not shown yet. On a real API server a watch event can come
 * seconds after the create it reports (a loaded server, a watch being re-established after a 410), and a reconcile
 * in between would find the object missing and POST it again, only to be answered AlreadyExists. An object is
 * remembered by kind, namespace, name, owner uid and attempt, until the cache shows it, the operator deletes it, or
 * {@link #TIMEOUT} passes. Losing it in a restart costs at most one refused, harmless create.
 */
final class RecentCreations {
  /** Long past any watch lag worth waiting out; an object removed meanwhile by somebody is made again after it. */
  static final Duration TIMEOUT = Duration.ofSeconds(30);
  private final Map<String, Instant> created = new ConcurrentHashMap<>();

  /** Whether this object was created lately and the cache has not shown it yet: it is not to be created again. */
  boolean awaitingCache(HasMetadata object, Instant now) {
    Instant at = created.get(key(object));
    return at != null && now.isBefore(at.plus(TIMEOUT));
  }

  void created(HasMetadata object, Instant now) {
    created.put(key(object), now);
  }

  /** What a cache shows is no longer awaited; entries past their timeout are dropped. */
  void seen(Stream<HasMetadata> cached, Instant now) {
    if (created.isEmpty()) {
      return;
    }
    cached.forEach(o -> created.remove(key(o)));
    created.values().removeIf(t -> !now.isBefore(t.plus(TIMEOUT)));
  }

  /** A deletion ends the wait for every object of that kind and name: the next one of that name is a new one. */
  void deleted(ObjectRef object, String namespace) {
    String prefix = object.kind() + "/" + namespace + "/" + object.name() + "/";
    created.keySet().removeIf(k -> k.startsWith(prefix));
  }

  int size() {
    return created.size();
  }

  private static String key(HasMetadata o) {
    String kind = o.getKind() == null ? o.getClass().getSimpleName() : o.getKind();
    List<OwnerReference> owners = o.getMetadata().getOwnerReferences();
    String owner = owners == null ? "" : owners.stream().filter(r -> Boolean.TRUE.equals(r.getController()))
        .map(OwnerReference::getUid).findFirst().orElse("");
    String attempt = Observed.label(o, JobLabels.ATTEMPT);
    return kind + "/" + o.getMetadata().getNamespace() + "/" + o.getMetadata().getName() + "/" + owner + "/"
        + (attempt == null ? "" : attempt);
  }
}
