package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.DataReference;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.render.SshKeyPair;
import dev.chainer.operator.spec.JobContext;
import dev.chainer.operator.spec.SecuritySettings;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders a job that passed every other check and checks each object as the API server would
 * ({@link ObjectRules}), before any of them is created: a spec that would produce an object Kubernetes refuses
 * fails at once, naming the spec field it came from, instead of after its workers and GPUs are up. Pure.
 */
public final class Preflight {
  /** Stands in for the job's key pair: only its presence shapes the objects. */
  private static final SshKeyPair PLACEHOLDER_KEYS = new SshKeyPair("placeholder", "ssh-ed25519 placeholder");
  private static final String PLACEHOLDER_UID = "00000000-0000-0000-0000-000000000000";
  private static final Pattern MOUNT = Pattern.compile("volumeMounts\\[(\\d+)]");

  private Preflight() {}

  public static List<Problem> check(JobContext context) {
    ChainerJob job = context.job();
    OperatorConfig config = context.config();
    List<HasMetadata> objects;
    try {
      objects = JobRenderer.render(context.withJob(withUid(job)).atAttempt(0), PLACEHOLDER_KEYS, "placeholder").all();
    } catch (RuntimeException e) {
      return List.of(Problem.error("spec", "cannot be turned into Kubernetes objects: " + e.getMessage()));
    }
    // The same mistake shows in several containers and objects: say it once per spec field.
    Map<String, Problem> out = new LinkedHashMap<>();
    for (HasMetadata object : objects) {
      for (Problem p : ObjectRules.check(object)) {
        String field = specField(job.getSpec(), object, p.field());
        out.putIfAbsent(field + " " + p.message(), Problem.error(field, p.message() + " (in the " + object.getKind()
            + " " + object.getMetadata().getName() + " the operator would create, at " + p.field() + ")"));
      }
    }
    podSecurity(job, config, objects).ifPresent(p -> out.putIfAbsent(p.toString(), p));
    return List.copyOf(out.values());
  }

  /**
   * A restricted job's pods must pass the Pod Security Standard restricted, or a namespace that enforces it
   * refuses them (the workers' only after their StatefulSet exists). The rules above keep users from getting
   * there; this says so if anything still would.
   */
  private static java.util.Optional<Problem> podSecurity(ChainerJob job, OperatorConfig config,
      List<HasMetadata> objects) {
    if (!SecuritySettings.of(job.getSpec(), config).restricted()) {
      return java.util.Optional.empty();
    }
    List<String> violations = objects.stream().map(Preflight::podSpec).filter(java.util.Objects::nonNull)
        .flatMap(p -> PodSecurityStandard.violations(p, PodSecurityStandard.Level.RESTRICTED).stream()).distinct()
        .toList();
    return violations.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(Problem.error(
        "spec.kubernetes.securityProfile", "its pods would not pass the Pod Security Standard restricted: "
        + String.join(", ", violations)));
  }

  private static io.fabric8.kubernetes.api.model.PodSpec podSpec(HasMetadata object) {
    return object instanceof Pod pod ? pod.getSpec()
        : object instanceof io.fabric8.kubernetes.api.model.apps.StatefulSet set ? set.getSpec().getTemplate()
            .getSpec() : null;
  }

  /** A job read from a file has no uid yet; the API server will give it one, which owner references carry. */
  private static ChainerJob withUid(ChainerJob job) {
    if (job.getMetadata().getUid() != null) {
      return job;
    }
    ChainerJob copy = new ChainerJob();
    copy.setMetadata(new ObjectMetaBuilder(job.getMetadata()).withUid(PLACEHOLDER_UID).build());
    copy.setSpec(job.getSpec());
    return copy;
  }

  /** The spec field an object field is rendered from; "spec" when no single one is. */
  static String specField(ChainerJobSpec spec, HasMetadata object, String field) {
    String role = "spec.kubernetes." + (object instanceof Pod ? "launcher" : "worker");
    if (field.contains(".tolerations")) {
      return role + ".tolerations";
    }
    if (field.contains(".nodeSelector")) {
      return role + ".nodeSelector";
    }
    if (field.contains(".resources")) {
      return role + ".resources";
    }
    for (String own : List.of("serviceAccountName", "priorityClassName", "schedulerName")) {
      if (field.endsWith("." + own)) {
        return role + "." + own;
      }
    }
    if (field.endsWith("metadata.labels")) {
      return role + ".labels";
    }
    if (field.endsWith("metadata.annotations")) {
      return role + ".annotations";
    }
    if (field.endsWith(".image")) {
      return spec.getEnvironmentDefinition() != null ? "spec.environmentDefinition.docker.image"
          : "spec.customDockerImage";
    }
    if (field.endsWith(".activeDeadlineSeconds")) {
      return "spec.maxRunDurationSeconds";
    }
    if (field.contains(".env[")) {
      return spec.getEnvironmentDefinition() != null ? "spec.environmentDefinition.environmentVariables"
          : "spec.environmentVariables";
    }
    if (field.contains(".imagePullSecrets")) {
      return "spec.imageRegistryDetails";
    }
    if (field.startsWith("data")) {
      return "spec.nodeCount"; // the hostfile grows with the workers
    }
    if (field.contains(".volumeMounts[") || field.contains(".volumes[")) {
      return dataField(spec, object, field);
    }
    return field.startsWith("metadata.name") ? "metadata.name" : "spec";
  }

  /** A mount or volume comes from an input, resumeFrom or the source directory's store. */
  private static String dataField(ChainerJobSpec spec, HasMetadata object, String field) {
    Matcher m = MOUNT.matcher(field);
    String mountPath = m.find() ? mountPath(object, field, Integer.parseInt(m.group(1))) : null;
    if (mountPath != null) {
      List<DataReference> inputs = spec.getInputs() == null ? List.of() : spec.getInputs();
      for (int i = 0; i < inputs.size(); i++) {
        if (inputs.get(i) != null && mountPath.equals(inputs.get(i).getPathOnCompute())) {
          return "spec.inputs[" + i + "].pathOnCompute";
        }
      }
      if (spec.getResumeFrom() != null && mountPath.equals(spec.getResumeFrom().getPathOnCompute())) {
        return "spec.resumeFrom.pathOnCompute";
      }
    }
    return spec.getInputs() != null ? "spec.inputs" : spec.getResumeFrom() != null ? "spec.resumeFrom"
        : "spec.sourceDirectoryDataStore";
  }

  private static String mountPath(HasMetadata object, String field, int index) {
    var podSpec = object instanceof Pod pod ? pod.getSpec()
        : ((io.fabric8.kubernetes.api.model.apps.StatefulSet) object).getSpec().getTemplate().getSpec();
    Matcher c = Pattern.compile("(initContainers|containers)\\[(\\d+)]").matcher(field);
    if (!c.find()) {
      return null;
    }
    var containers = c.group(1).equals("containers") ? podSpec.getContainers() : podSpec.getInitContainers();
    var mounts = containers.get(Integer.parseInt(c.group(2))).getVolumeMounts();
    return index < mounts.size() ? mounts.get(index).getMountPath() : null;
  }
}
