package dev.chainer.operator.localcluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chainer.operator.localcluster.admission.Admission;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.server.mock.KubernetesAttributesExtractor;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesResponseComposer;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.crud.Attribute;
import io.fabric8.mockwebserver.crud.AttributeSet;
import io.fabric8.mockwebserver.crud.AttributeType;
import io.fabric8.mockwebserver.http.MockResponse;
import java.net.HttpURLConnection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * Fabric8's CRUD dispatcher with an index. The original answers every read and every write by comparing the
 * request with each stored object (and each comparison walks the object's attributes): with the ~8,000
 * objects of 1,000 jobs, the in-process API server, not the operator, was what a benchmark measured. This
 * one finds candidates by kind, namespace and name first, as a real API server reads one key range of its
 * store; Fabric8's own matching still decides, so answers are the same. A deletion of one named object is found
 * the same way (the original copied and matched the whole store for each: a third of the server's CPU at 1,000
 * jobs, where a real API server deletes one etcd key); watches and collection deletions are left to the original.
 */
final class IndexedCrudDispatcher extends KubernetesCrudDispatcher {
  private static final String ANY = "*";
  /** Stored objects' keys under "kind", "kind|namespace" and "kind|namespace|name". */
  private final Map<String, Set<AttributeSet>> index = new ConcurrentHashMap<>();
  private final AtomicLong lastVersion = new AtomicLong();
  private final KubernetesResponseComposer lists = new KubernetesResponseComposer();
  private static final String CRDS = "customresourcedefinitions";
  private final Map<String, Map.Entry<String, CustomResourceDefinition>> parsedCrds = new ConcurrentHashMap<>();
  private final Admission admission;
  private final Tombstones tombstones = new Tombstones();
  private final Outages outages;
  private final GeneratedNames generatedNames = new GeneratedNames(new java.security.SecureRandom());
  private final WatchHolds holds = new WatchHolds();
  private final java.util.concurrent.locks.ReadWriteLock storeLock;
  private static final java.util.regex.Pattern WATCHED_NAME =
      java.util.regex.Pattern.compile("fieldSelector=metadata\\.name(?:%3D|=)([^&]+)");

  /** @param cel whether CRDs keep their CEL rules, as on Kubernetes 1.25 and later (see {@link Admission}) */
  IndexedCrudDispatcher(boolean cel, Outages outages) {
    this.admission = new Admission(this::crd, this::namespaceLabels, this::stored, cel);
    this.outages = outages;
    this.storeLock = storeLock(this);
  }

  @Override
  public long requestResourceVersion() {
    long version = super.requestResourceVersion();
    lastVersion.accumulateAndGet(version, Math::max);
    return version;
  }

  /**
   * Every change of the store passes here (under the original's write lock): admission decides what is stored (a
   * refusal is thrown to the original's request handling, which answers with its Status), and the index follows.
   */
  @Override
  public void processEvent(String path, AttributeSet pathAttributes, AttributeSet oldAttributes,
      GenericKubernetesResource resource, String newState) {
    if (newState != null) {
      String admitted = admitted(path, newState, oldAttributes == null ? null : map.get(oldAttributes));
      if (!admitted.equals(newState)) {
        newState = admitted;
        resource = null;
      }
    }
    if (newState == null && oldAttributes != null) {
      tombstones.deleted(requestResourceVersion(), oldAttributes, map.get(oldAttributes));
    }
    super.processEvent(path, pathAttributes, oldAttributes, resource, newState);
    if (oldAttributes != null) {
      keys(oldAttributes).forEach(k -> index.computeIfPresent(k, (key, set) -> {
        set.remove(oldAttributes);
        return set.isEmpty() ? null : set;
      }));
    }
    if (newState != null) {
      AttributeSet stored = storedKey(pathAttributes, resource, newState);
      keys(stored).forEach(k -> index.computeIfAbsent(k, key -> ConcurrentHashMap.newKeySet()).add(stored));
    }
  }

  /**
   * A watch from a resourceVersion also hears of the deletions since then, as on a real API server; an outage can
   * end it, a hold delay its events.
   */
  @Override
  public MockResponse handleWatch(String path) {
    return holds.holding(resource(path), outages.tracking(resource(path), tombstones.replaying(path,
        watchQuery(path), super.handleWatch(path))));
  }

  WatchHolds holds() {
    return holds;
  }

  /** The resource (plural) a request's path names, as the store reads it; empty for paths of no resource. */
  String resource(String path) {
    return exact(((KubernetesAttributesExtractor) getAttributeExtractor()).fromPath(path),
        KubernetesAttributesExtractor.PLURAL).orElse("");
  }

  /** The attributes a watch request selects, as the original computes them (path, labels, a name field selector). */
  private AttributeSet watchQuery(String path) {
    AttributeSet query = ((KubernetesAttributesExtractor) getAttributeExtractor()).fromPath(path);
    java.util.regex.Matcher name = WATCHED_NAME.matcher(path);
    return name.find() ? query.add(new Attribute("name", name.group(1))) : query;
  }

  /** What to store: the new state as admission leaves it (pruned), or a refusal for the request to answer. */
  private String admitted(String path, String newState, String old) {
    try {
      JsonNode object = asNode(newState);
      if (!binding.get()) {
        PodUpdates.check(path, object, old == null ? null : asNode(old));
      }
      JsonNode admitted = admission.admit(object, old == null ? null : asNode(old));
      return admitted.equals(object) ? newState : Serialization.asJson(admitted);
    } catch (KubernetesCrudDispatcherException refused) { // a Refusal, or a body that is not JSON
      throw IndexedCrudDispatcher.<RuntimeException>sneaky(refused);
    }
  }

  /** Set while the pods/binding subresource writes a pod's nodeName, which no update or patch may change. */
  private final ThreadLocal<Boolean> binding = ThreadLocal.withInitial(() -> false);

  /** Runs a write of the {@link Bindings} subresource: the one that may set a pod's spec.nodeName. */
  void bindingNodeName(Runnable write) {
    binding.set(true);
    try {
      write.run();
    } finally {
      binding.set(false);
    }
  }

  /** Rethrows a checked exception where the overridden signature cannot declare it. */
  @SuppressWarnings("unchecked")
  private static <E extends Throwable> E sneaky(Throwable e) throws E {
    throw (E) e;
  }

  /** A stored CRD by {@code <kind>.<group>}. */
  private Optional<CustomResourceDefinition> crd(String kindAndGroup) {
    return crds().stream().filter(crd -> kindAndGroup.equals(crd.getSpec().getNames().getKind() + "."
        + crd.getSpec().getGroup())).findFirst();
  }

  /** Every stored CRD; each parsed once per stored version. */
  List<CustomResourceDefinition> crds() {
    List<CustomResourceDefinition> out = new java.util.ArrayList<>();
    for (AttributeSet key : index.getOrDefault(CRDS, Set.of())) {
      String json = map.get(key);
      if (json != null) {
        out.add(parsedCrds.compute(key.toString(), (k, cached) -> cached != null && cached.getKey().equals(json)
            ? cached : Map.entry(json, Serialization.unmarshal(json, CustomResourceDefinition.class))).getValue());
      }
    }
    return out;
  }

  /** A stored Namespace's labels; none when it is not stored (the in-process server does not require them). */
  private Map<String, String> namespaceLabels(String namespace) {
    var stored = findResource(getKey("/api/v1/namespaces/" + namespace));
    if (stored == null) {
      return Map.of();
    }
    var labels = Serialization.unmarshal(stored.getValue(), io.fabric8.kubernetes.api.model.Namespace.class)
        .getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  /** The stored objects (JSON) of a resource (plural) in a namespace, found through the index. */
  private List<String> stored(String resource, String namespace) {
    return index.getOrDefault(resource + "|" + namespace, Set.of()).stream().map(map::get)
        .filter(java.util.Objects::nonNull).toList();
  }

  /** The key the original stored the new state under (computed the same way). */
  private AttributeSet storedKey(AttributeSet pathAttributes, GenericKubernetesResource resource, String newState) {
    KubernetesAttributesExtractor extractor = (KubernetesAttributesExtractor) getAttributeExtractor();
    AttributeSet attributes = resource != null ? extractor.extract(resource) : extractor.fromResource(newState);
    return attributes.containsKey(KubernetesAttributesExtractor.PLURAL) ? attributes
        : AttributeSet.merge(pathAttributes, attributes);
  }

  /** A create names an object with only a generateName as the API server does (see {@link GeneratedNames}). */
  @Override
  public MockResponse handleCreate(io.fabric8.mockwebserver.http.RecordedRequest request) {
    AttributeSet collection = getKey(request.getPath());
    try {
      return super.handleCreate(generatedNames.named(request,
          name -> findResource(collection.add(new Attribute(KubernetesAttributesExtractor.NAME, name))) != null));
    } catch (dev.chainer.operator.localcluster.admission.Refusal refused) {
      return new MockResponse().setResponseCode(refused.getCode()).setBody(refused.toStatusBody());
    }
  }

  /**
   * A DELETE of one named object, found through the index, carried out as the original does (under its write lock):
   * an object without finalizers goes; one with finalizers is marked (deletionTimestamp) and stays until they are
   * removed; one already marked is left as it is. The answer is the object as it was, or 404.
   */
  @Override
  public MockResponse handleDelete(String path) {
    AttributeSet query = getKey(path);
    Optional<Set<AttributeSet>> candidates = query.containsKey(KubernetesAttributesExtractor.NAME)
        ? candidates(query) : Optional.empty();
    if (candidates.isEmpty()) {
      return super.handleDelete(path);
    }
    java.util.concurrent.locks.Lock write = storeLock.writeLock();
    write.lock();
    try {
      Map.Entry<AttributeSet, String> found = matching(candidates.get(), query).findFirst().orElse(null);
      if (found == null) {
        return new MockResponse().setResponseCode(HttpURLConnection.HTTP_NOT_FOUND);
      }
      GenericKubernetesResource resource = Serialization.unmarshal(found.getValue(), GenericKubernetesResource.class);
      if (resource.getFinalizers().isEmpty()) {
        processEvent(path, query, found.getKey(), null, null);
      } else if (!resource.isMarkedForDeletion()) {
        resource.getMetadata().setDeletionTimestamp(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC)
            .truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
            .format(java.time.format.DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        resource.getMetadata().setResourceVersion(String.valueOf(requestResourceVersion()));
        processEvent(path, query, found.getKey(), resource, Serialization.asJson(resource));
      }
      return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(found.getValue());
    } finally {
      write.unlock();
    }
  }

  /** The original's store lock (private there): a deletion found here must hold it as the original's own do. */
  private static java.util.concurrent.locks.ReadWriteLock storeLock(KubernetesCrudDispatcher store) {
    try {
      java.lang.reflect.Field lock = KubernetesCrudDispatcher.class.getDeclaredField("lock");
      lock.setAccessible(true);
      return (java.util.concurrent.locks.ReadWriteLock) lock.get(store);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("Fabric8's KubernetesCrudDispatcher has no 'lock' field any more", e);
    }
  }

  @Override
  public Map.Entry<AttributeSet, String> findResource(AttributeSet query) {
    Optional<Set<AttributeSet>> candidates = candidates(query);
    if (candidates.isEmpty()) {
      return super.findResource(query);
    }
    return matching(candidates.get(), query).findFirst().orElse(null);
  }

  @Override
  public MockResponse handleGet(String path) {
    Optional<MockResponse> selected = EventFieldSelectors.serve(path, this::handleGet);
    if (selected.isPresent()) {
      return selected.get(); // Events by involvedObject, reason, ...: fields the mock's matching does not know
    }
    AttributeSet query = getKey(path);
    Optional<Set<AttributeSet>> candidates = path.contains("watch=true") ? Optional.empty() : candidates(query);
    if (candidates.isEmpty()) {
      return super.handleGet(path);
    }
    List<String> items = matching(candidates.get(), query).map(Map.Entry::getValue).toList();
    boolean named = query.containsKey(KubernetesAttributesExtractor.NAME);
    if (items.isEmpty() && !named) {
      return super.handleGet(path); // nothing stored: perhaps an API discovery request, which the original knows
    }
    if (named) {
      return items.isEmpty() ? new MockResponse().setResponseCode(HttpURLConnection.HTTP_NOT_FOUND)
          : new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK).setBody(items.get(0));
    }
    return new MockResponse().setResponseCode(HttpURLConnection.HTTP_OK)
        .setBody(lists.compose(items, String.valueOf(lastVersion.get())));
  }

  /** The stored objects among the candidates that the query matches (a candidate may just have been removed). */
  private Stream<Map.Entry<AttributeSet, String>> matching(Set<AttributeSet> candidates, AttributeSet query) {
    return candidates.stream().filter(key -> key.matches(query))
        .map(key -> Optional.ofNullable(map.get(key)).map(value -> Map.entry(key, value)))
        .flatMap(Optional::stream);
  }

  /** The stored keys a query can match, or empty when the index cannot narrow it (no kind). */
  private Optional<Set<AttributeSet>> candidates(AttributeSet query) {
    Optional<String> kind = exact(query, KubernetesAttributesExtractor.PLURAL);
    if (kind.isEmpty()) {
      return Optional.empty();
    }
    Optional<String> namespace = exact(query, KubernetesAttributesExtractor.NAMESPACE);
    Optional<String> name = exact(query, KubernetesAttributesExtractor.NAME);
    String key = kind.get() + namespace.map(ns -> "|" + ns + name.map(n -> "|" + n).orElse("")).orElse("");
    return Optional.of(index.getOrDefault(key, Set.of()));
  }

  private static List<String> keys(AttributeSet stored) {
    String kind = exact(stored, KubernetesAttributesExtractor.PLURAL).orElse(null);
    if (kind == null) {
      return List.of();
    }
    String namespace = exact(stored, KubernetesAttributesExtractor.NAMESPACE).orElse("");
    String name = exact(stored, KubernetesAttributesExtractor.NAME).orElse("");
    return List.of(kind, kind + "|" + namespace, kind + "|" + namespace + "|" + name);
  }

  /** An attribute's one value when it must equal it (not a wildcard, a set or a negation). */
  private static Optional<String> exact(AttributeSet set, String key) {
    Attribute a = set.getAttribute(key);
    if (a == null || a.getType() != AttributeType.WITH || a.getValues().size() != 1) {
      return Optional.empty();
    }
    String value = a.getValues().get(0).toString();
    return value == null || ANY.equals(value) ? Optional.empty() : Optional.of(value);
  }
}
