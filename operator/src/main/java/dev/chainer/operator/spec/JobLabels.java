package dev.chainer.operator.spec;

import dev.chainer.operator.api.ChainerJob;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Labels and owner references that tie every object to its job (and let informers select only ours). */
public final class JobLabels {
  public static final String JOB_NAME = "chainer.dev/job-name";
  public static final String ROLE = "chainer.dev/role";
  /** Which run of the job (0, then one more per restart) a worker StatefulSet, worker or launcher belongs to. */
  public static final String ATTEMPT = "chainer.dev/attempt";
  /**
   * Annotation on a launcher: the uids of the worker pods it started with, comma-separated. A worker of the same
   * name with another uid was replaced by its StatefulSet while the launcher ran: the attempt lost a worker.
   */
  public static final String WORKER_UIDS = "chainer.dev/worker-uids";
  /**
   * Label on worker pods: the uid of their job. A worker pod's owner is its StatefulSet, which may be gone while
   * the pod terminates; this still tells this job's pods from those of a deleted job of the same name.
   */
  public static final String JOB_UID = "chainer.dev/job-uid";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String OPERATOR = "chainer-operator";
  /** The operator's own domain: every key under it (or a subdomain of it) is the operator's, never a user's. */
  public static final String DOMAIN = "chainer.dev";

  /** Every label the operator puts on the objects and pods it creates. */
  public static final List<String> OWN_LABELS = List.of(JOB_NAME, ROLE, ATTEMPT, JOB_UID, MANAGED_BY);
  /** Every annotation the operator puts on the objects and pods it creates. */
  public static final List<String> OWN_ANNOTATIONS = List.of(RunSpec.ANNOTATION, WORKER_UIDS);
  /**
   * The gang schedulers' keys the operator writes on pods (Volcano's group annotation, the coscheduling plugin's
   * group label, and its older spelling), and the key prefixes of Volcano's own pod settings: a user value would move
   * a pod to another gang or queue than its PodGroup's.
   */
  public static final List<String> GANG_KEYS = List.of("scheduling.k8s.io/group-name", "scheduling.x-k8s.io/pod-group",
      "pod-group.scheduling.sigs.k8s.io");
  public static final List<String> GANG_PREFIXES = List.of("scheduling.volcano.sh/", "volcano.sh/");

  public static final String ROLE_LAUNCHER = "launcher";
  public static final String ROLE_WORKER = "worker";
  public static final String ROLE_MPI = "mpi";
  public static final String ROLE_SSH = "ssh";
  public static final String ROLE_REGISTRY = "registry";

  private JobLabels() {}

  /**
   * Whether a label or annotation key is one the operator sets or owns on a job's pods: under chainer.dev/ or a
   * subdomain of it (any case: DNS names are case-insensitive), one of its own labels, or a gang scheduler's key.
   */
  public static boolean isReserved(String key) {
    if (key == null) {
      return false;
    }
    int slash = key.indexOf('/');
    String prefix = slash < 0 ? "" : key.substring(0, slash).toLowerCase(java.util.Locale.ROOT);
    if (prefix.equals(DOMAIN) || prefix.endsWith("." + DOMAIN)) {
      return true;
    }
    return OWN_LABELS.contains(key) || GANG_KEYS.contains(key)
        || GANG_PREFIXES.stream().anyMatch(p -> key.toLowerCase(java.util.Locale.ROOT).startsWith(p));
  }

  /**
   * A user's pod labels or annotations without the reserved keys: the validator refuses them, and a job stored
   * before it did (or by a server that skips validation) still never gets to set the operator's own keys.
   */
  public static Map<String, String> userKeys(Map<String, String> keys) {
    if (keys == null) {
      return null;
    }
    Map<String, String> out = new LinkedHashMap<>();
    keys.forEach((k, v) -> {
      if (!isReserved(k)) {
        out.put(k, v);
      }
    });
    return out;
  }

  /** Selects every pod of a job: the headless Service resolves launcher and workers alike. */
  public static Map<String, String> jobSelector(String job) {
    return Map.of(JOB_NAME, job);
  }

  public static Map<String, String> roleSelector(String job, String role) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(JOB_NAME, job);
    labels.put(ROLE, role);
    return labels;
  }

  public static Map<String, String> labels(String job, String role) {
    Map<String, String> labels = roleSelector(job, role);
    labels.put(MANAGED_BY, OPERATOR);
    return labels;
  }

  public static OwnerReference ownerReference(ChainerJob job) {
    return new OwnerReferenceBuilder()
        .withApiVersion(ChainerJob.API_VERSION)
        .withKind("ChainerJob")
        .withName(job.getMetadata().getName())
        .withUid(job.getMetadata().getUid())
        .withController(true)
        .build();
  }

  /** Metadata of an object owned by the job. */
  public static ObjectMeta ownedMetadata(ChainerJob job, String name, String role) {
    return new ObjectMetaBuilder()
        .withName(name)
        .withNamespace(job.getMetadata().getNamespace())
        .withLabels(labels(job.getMetadata().getName(), role))
        .withOwnerReferences(List.of(ownerReference(job)))
        .build();
  }
}
