package dev.chainer.operator.testing;

import static org.junit.jupiter.api.Assertions.fail;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Watches every pod in the cluster and checks, at every event, in the API server's order, what must hold
 * whatever happens to a job: at most one live launcher per job; a launcher only once every worker of its own
 * attempt is Ready; no pod of an earlier attempt (or of a deleted job of the same name) left when a pod of a later
 * one is created; no pod mounting a Secret or ConfigMap its job does not own. Objects registered as foreign must be
 * neither changed (spec, labels, annotations, owners) nor deleted. The first break is kept; {@link #assertHeld()} fails with it.
 */
public final class InvariantWatcher implements Watcher<Pod>, AutoCloseable {
  private final KubernetesClient client;
  private final Map<String, Pod> pods = new LinkedHashMap<>();
  private final Map<HasMetadata, String> foreign = new LinkedHashMap<>();
  private final List<String> breaks = new ArrayList<>();
  private final Watch watch;

  public InvariantWatcher(KubernetesClient client) {
    this.client = client;
    this.watch = client.pods().inAnyNamespace().watch(this);
  }

  /** An object somebody else made: the operator must never change, delete or mount it. */
  public <T extends HasMetadata> T foreign(T object) {
    foreign.put(object, owned(object));
    return object;
  }

  @Override
  public synchronized void eventReceived(Action action, Pod pod) {
    String key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
    if (action == Action.DELETED) {
      pods.remove(key);
      return;
    }
    if (label(pod, JobLabels.JOB_NAME) == null) {
      return; // not a job's pod
    }
    pods.put(key, pod);
    if (action == Action.ADDED) {
      checkCreation(pod);
    }
    checkOneLiveLauncher(pod);
  }

  private void checkCreation(Pod pod) {
    String uid = jobUid(pod);
    int attempt = attempt(pod);
    for (Pod other : sameJobName(pod)) {
      if (other == pod) {
        continue;
      }
      if (!Objects.equals(jobUid(other), uid)) {
        broken(name(pod) + " was created while " + name(other) + " of a deleted job of the same name was there");
      } else if (attempt(other) < attempt) {
        broken(name(pod) + " (attempt " + attempt + ") was created while " + name(other) + " of attempt "
            + attempt(other) + " was there");
      }
    }
    if (isLauncher(pod)) {
      checkWorkersReady(pod, uid, attempt);
    }
    checkMounts(pod, uid);
  }

  private void checkWorkersReady(Pod launcher, String uid, int attempt) {
    ChainerJob job = client.resources(ChainerJob.class).inNamespace(launcher.getMetadata().getNamespace())
        .withName(label(launcher, JobLabels.JOB_NAME)).get();
    boolean mpi = job != null && job.getSpec().getDistributedTraining() != null
        && job.getSpec().getDistributedTraining().getMpi() != null;
    if (!mpi) {
      return;
    }
    int nodeCount = job.getSpec().getNodeCount() == null ? 1 : job.getSpec().getNodeCount();
    long ready = sameJobName(launcher).stream().filter(p -> !isLauncher(p) && Objects.equals(jobUid(p), uid)
        && attempt(p) == attempt && isReady(p)).count();
    if (ready < nodeCount) {
      broken(name(launcher) + " was created with " + ready + "/" + nodeCount + " workers of attempt " + attempt
          + " Ready");
    }
  }

  private void checkMounts(Pod pod, String uid) {
    for (Volume v : pod.getSpec().getVolumes()) {
      HasMetadata mounted = v.getSecret() != null ? client.secrets().inNamespace(pod.getMetadata().getNamespace())
          .withName(v.getSecret().getSecretName()).get()
          : v.getConfigMap() != null ? client.configMaps().inNamespace(pod.getMetadata().getNamespace())
              .withName(v.getConfigMap().getName()).get() : null;
      if (mounted != null && isOperators(mounted) && !uid.equals(controllerUid(mounted))) {
        broken(name(pod) + " mounts " + mounted.getKind() + " " + mounted.getMetadata().getName()
            + ", which its job does not own");
      }
    }
  }

  /** Objects named like the job's but made by the user (an image pull Secret, a data ConfigMap) are theirs to mount. */
  private boolean isOperators(HasMetadata o) {
    return foreign.keySet().stream().anyMatch(f -> f.getKind().equals(o.getKind())
        && f.getMetadata().getName().equals(o.getMetadata().getName()))
        || label(o, JobLabels.MANAGED_BY) != null;
  }

  private void checkOneLiveLauncher(Pod pod) {
    List<Pod> live = sameJobName(pod).stream().filter(InvariantWatcher::isLauncher).filter(p -> !isFinished(p))
        .toList();
    if (live.size() > 1) {
      broken("two live launchers of job " + label(pod, JobLabels.JOB_NAME) + ": " + live.stream()
          .map(InvariantWatcher::name).toList());
    }
  }

  private List<Pod> sameJobName(Pod pod) {
    String job = label(pod, JobLabels.JOB_NAME);
    return pods.values().stream().filter(p -> p.getMetadata().getNamespace().equals(pod.getMetadata().getNamespace())
        && job.equals(label(p, JobLabels.JOB_NAME))).toList();
  }

  private void broken(String what) {
    breaks.add(what);
  }

  /** Fails with the first break seen, or when a foreign object was changed or deleted. */
  public void assertHeld() {
    synchronized (this) {
      if (!breaks.isEmpty()) {
        fail("invariant broken (first of " + breaks.size() + "): " + breaks.get(0));
      }
    }
    foreign.forEach((o, version) -> {
      HasMetadata now = client.resource(o).get();
      if (now == null || !version.equals(owned(now))) {
        fail("foreign " + o.getKind() + " " + o.getMetadata().getName() + " was " + (now == null ? "deleted"
            : "changed"));
      }
    });
  }

  /** What a client other than the object's controllers would change: spec (generation), labels, owners. */
  private static String owned(HasMetadata o) {
    var m = o.getMetadata();
    return m.getGeneration() + " " + m.getLabels() + " " + m.getAnnotations() + " " + m.getOwnerReferences() + " "
        + m.getFinalizers() + " " + m.getDeletionTimestamp();
  }

  private static String jobUid(Pod pod) {
    return isLauncher(pod) ? controllerUid(pod) : label(pod, JobLabels.JOB_UID);
  }

  private static String controllerUid(HasMetadata o) {
    List<OwnerReference> refs = o.getMetadata().getOwnerReferences();
    return Optional.ofNullable(refs).flatMap(r -> r.stream().filter(x -> Boolean.TRUE.equals(x.getController()))
        .findFirst()).map(OwnerReference::getUid).orElse(null);
  }

  private static int attempt(Pod pod) {
    String value = label(pod, JobLabels.ATTEMPT);
    return value == null ? -1 : Integer.parseInt(value);
  }

  private static boolean isLauncher(Pod pod) {
    return JobLabels.ROLE_LAUNCHER.equals(label(pod, JobLabels.ROLE));
  }

  private static boolean isFinished(Pod pod) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }

  private static boolean isReady(Pod pod) {
    return pod.getStatus() != null && pod.getStatus().getConditions() != null && pod.getStatus().getConditions()
        .stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private static String label(HasMetadata o, String key) {
    return o.getMetadata().getLabels() == null ? null : o.getMetadata().getLabels().get(key);
  }

  private static String name(Pod pod) {
    return "pod " + pod.getMetadata().getName();
  }

  @Override
  public void onClose(WatcherException cause) {
    if (cause != null) {
      synchronized (this) {
        broken("the watch closed: " + cause.getMessage());
      }
    }
  }

  @Override
  public void close() {
    watch.close();
  }
}
