package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.PodSettings;
import dev.chainer.operator.config.GangScheduler;
import dev.chainer.operator.spec.EffectiveSpec;
import dev.chainer.operator.spec.JobContext;
import dev.chainer.operator.spec.JobLabels;
import dev.chainer.operator.spec.RunSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The labels and annotations a user puts on the job's pods ({@code spec.kubernetes.<role>.labels / annotations}),
 * checked as the API server checks the pods they end up on, with what the operator adds counted in, so that a
 * refusal names the user's field and never a key the user did not write:
 *
 * <ul>
 *   <li>keys the operator sets or owns ({@link JobLabels#isReserved}: everything under chainer.dev/, its own labels,
 *       the gang schedulers' keys) are refused: the operator would overwrite them, or they would move a pod to
 *       another job's selectors or gang;</li>
 *   <li>keys are qualified names and label values at most 63 characters of {@code [A-Za-z0-9-_.]}
 *       (apimachinery's ValidateLabels);</li>
 *   <li>a pod's annotations, keys and values, are at most 256 KiB counted in UTF-8 bytes as Go's len() counts them
 *       (apimachinery's ValidateAnnotationsSize, TotalAnnotationSizeLimitB = 256 * 1024), including the operator's
 *       own: the run-spec snapshot on the launcher, the worker uids, the gang's group; and the run-spec snapshot, which
 *       holds the pods' annotations once more, on the worker StatefulSet.</li>
 * </ul>
 */
final class PodMetadataRules {
  private static final int MAX_ANNOTATION_BYTES = ObjectRules.MAX_ANNOTATION_BYTES;
  /** A pod uid as the launcher's worker-uids annotation records it, with its comma. */
  private static final int UID_BYTES = 37;

  private PodMetadataRules() {}

  static void check(JobContext context, List<Problem> out) {
    ChainerJobSpec spec = context.spec();
    PodSettings launcher = spec.getKubernetes() == null ? null : spec.getKubernetes().getLauncher();
    PodSettings worker = spec.getKubernetes() == null ? null : spec.getKubernetes().getWorker();
    long runSpec = bytes(RunSpec.ANNOTATION) + bytes(RunSpec.snapshot(spec));
    if (spec.getKubernetes() != null) {
      EffectiveSpec effective = context.effective();
      GangScheduler gang = context.config().getGangScheduler();
      long workerUids = effective.mpi() ? bytes(JobLabels.WORKER_UIDS) + (long) UID_BYTES * effective.nodeCount()
          : 0;
      long group = gang == null || gang == GangScheduler.NONE || !effective.mpi() || gang.podKey() == null ? 0
          : bytes(gang.podKey()) + bytes(context.names().podGroup(0)) + 10; // room for the attempt's number
      checkRole(launcher, "spec.kubernetes.launcher", runSpec + workerUids + group, out);
      checkRole(worker, "spec.kubernetes.worker", group, out);
    }
    if (runSpec > MAX_ANNOTATION_BYTES) {
      // Checked for every job, not only one with pod settings: a large value anywhere in the spec (an environment
      // variable, a script parameter) makes the snapshot too large, and the API server would refuse the pods while
      // naming an annotation the user never wrote. The worker StatefulSet records the spec as its only annotation.
      String field = userBytes(worker) >= userBytes(launcher) && userBytes(worker) > 0 ? "spec.kubernetes.worker"
          + ".annotations" : userBytes(launcher) > 0 ? "spec.kubernetes.launcher.annotations" : "spec";
      out.add(Problem.error(field, (field.equals("spec") ? "is " : "make the job's spec ") + runSpec + " bytes as "
          + "the operator records it on the worker StatefulSet and the launcher (the annotation " + RunSpec.ANNOTATION
          + ", which a run keeps its spec in), over the API server's limit of " + MAX_ANNOTATION_BYTES + " bytes "
          + "(256 KiB) for an object's annotations: " + (field.equals("spec") ? "put large values in a ConfigMap or "
          + "a data store instead" : "keep the pods' annotations well under 128 KiB")));
    }
  }

  private static long userBytes(PodSettings role) {
    long n = 0;
    if (role != null && role.getAnnotations() != null) {
      for (Map.Entry<String, String> e : role.getAnnotations().entrySet()) {
        n += bytes(e.getKey()) + bytes(e.getValue());
      }
    }
    return n;
  }

  private static void checkRole(PodSettings role, String field, long operatorBytes, List<Problem> out) {
    if (role == null) {
      return;
    }
    reserved(role.getLabels(), field + ".labels", out);
    reserved(role.getAnnotations(), field + ".annotations", out);
    if (role.getLabels() != null) {
      role.getLabels().forEach((key, value) -> {
        List<Problem> found = new ArrayList<>();
        ObjectRules.labels(Map.of(key, value == null ? "" : value), field + ".labels[" + key + "]", found);
        found.forEach(p -> out.add(Problem.error(p.field(), p.message() + ", as Kubernetes requires of a label")));
      });
    }
    if (role.getAnnotations() == null) {
      return;
    }
    for (String key : role.getAnnotations().keySet()) {
      ObjectRules.qualifiedName(key, field + ".annotations[" + key + "]", out);
    }
    long user = userBytes(role);
    if (user + operatorBytes > MAX_ANNOTATION_BYTES) {
      out.add(Problem.error(field + ".annotations", "are " + user + " bytes (keys and values in UTF-8); with the "
          + operatorBytes + " bytes of the operator's own annotations the pods would carry " + (user + operatorBytes)
          + ", over the API server's limit of " + MAX_ANNOTATION_BYTES + " bytes (256 KiB) for a pod's annotations: "
          + "keep them under " + Math.max(0, MAX_ANNOTATION_BYTES - operatorBytes) + " bytes"));
    }
  }

  private static void reserved(Map<String, String> keys, String field, List<Problem> out) {
    if (keys == null) {
      return;
    }
    for (String key : keys.keySet()) {
      if (JobLabels.isReserved(key)) {
        out.add(Problem.error(field + "[" + key + "]", "is a key the operator sets or owns on the job's pods (every "
            + "key under " + JobLabels.DOMAIN + "/, " + String.join(", ", JobLabels.OWN_LABELS.stream()
                .filter(k -> !k.startsWith(JobLabels.DOMAIN)).toList()) + ", the gang schedulers' "
            + String.join(", ", JobLabels.GANG_KEYS) + " and " + String.join("*, ", JobLabels.GANG_PREFIXES)
            + "*): a user value would be overwritten or would move the pod to another job or gang; choose "
            + "another key"));
      }
    }
  }

  static long bytes(String s) {
    return s == null ? 0 : s.getBytes(StandardCharsets.UTF_8).length;
  }
}
