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

  public static final String ROLE_LAUNCHER = "launcher";
  public static final String ROLE_WORKER = "worker";
  public static final String ROLE_MPI = "mpi";
  public static final String ROLE_SSH = "ssh";
  public static final String ROLE_REGISTRY = "registry";

  private JobLabels() {}

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
