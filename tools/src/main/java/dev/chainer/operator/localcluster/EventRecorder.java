package dev.chainer.operator.localcluster;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Events as a control-plane component writes them through client-go's record.EventRecorder: a core/v1 Event in the
 * involved object's namespace, named {@code <object>.<hex nanoseconds>}, with a reference to the object (kind,
 * namespace, name, uid, apiVersion, resourceVersion), the component as its source and reporting controller, and
 * first and last timestamps. The recorder's EventCorrelator writes an event identical to one it wrote before (same
 * object, type, reason, message and source) as one more occurrence of that Event (count + 1, lastTimestamp now) rather
 * than a new one, as {@code kubectl describe} then shows "(x5 over 2m)"; its cache holds 4096 of them.
 */
final class EventRecorder {
  private static final int CACHE = 4096;
  private final KubernetesClient client;
  private final String component;
  /** The name of the Event each distinct event was written as (eventLogger's LRU cache). */
  private final Map<String, String> written = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
      return size() > CACHE;
    }
  };

  EventRecorder(KubernetesClient client, String component) {
    this.client = client;
    this.component = component;
  }

  void warning(HasMetadata involved, String reason, String message) {
    record(involved, "Warning", reason, message);
  }

  synchronized void record(HasMetadata involved, String type, String reason, String message) {
    ObjectReference ref = new ObjectReferenceBuilder().withKind(involved.getKind())
        .withNamespace(involved.getMetadata().getNamespace()).withName(involved.getMetadata().getName())
        .withUid(involved.getMetadata().getUid()).withApiVersion(involved.getApiVersion())
        .withResourceVersion(involved.getMetadata().getResourceVersion()).build();
    String namespace = ref.getNamespace() == null ? "default" : ref.getNamespace();
    String key = String.join("\u0000", ref.getKind(), namespace, ref.getName(), String.valueOf(ref.getUid()),
        ref.getApiVersion(), type, reason, message);
    String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString(); // metav1.Time: RFC 3339, seconds
    String name = written.get(key);
    if (name != null) {
      try {
        client.v1().events().inNamespace(namespace).withName(name).edit(e -> {
          e.setCount(e.getCount() == null ? 2 : e.getCount() + 1);
          e.setLastTimestamp(now);
          return e;
        });
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() != 404) {
          throw e;
        }
        // deleted since (an Event's TTL): written anew, as the recorder does
      }
    }
    Instant t = Instant.now();
    name = ref.getName() + "." + Long.toHexString(t.getEpochSecond() * 1_000_000_000L + t.getNano());
    Event event = new EventBuilder().withNewMetadata().withName(name).withNamespace(namespace).endMetadata()
        .withInvolvedObject(ref).withType(type).withReason(reason).withMessage(message)
        .withNewSource().withComponent(component).endSource().withReportingComponent(component)
        .withReportingInstance("").withFirstTimestamp(now).withLastTimestamp(now).withCount(1).build();
    client.v1().events().inNamespace(namespace).resource(event).create();
    written.put(key, name);
  }
}
