package dev.chainer.operator.validation;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the API server refuses in a pod's spec (a Pod's, a StatefulSet's template) as the operator renders it: volume
 * and container names, mount paths, images, resources, tolerations, referenced names, the deadline; and a
 * StatefulSet's selector and replicas.
 */
final class PodSpecRules {
  private static final Set<String> TOLERATION_OPERATORS = Set.of("", "Exists", "Equal");
  private static final Set<String> TOLERATION_EFFECTS = Set.of("", "NoSchedule", "PreferNoSchedule", "NoExecute");
  private static final Set<String> NATIVE_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage", "storage");

  private PodSpecRules() {}

  static void statefulSet(StatefulSet sts, List<Problem> out) {
    var spec = sts.getSpec();
    if (spec.getReplicas() != null && spec.getReplicas() < 0) {
      out.add(Problem.error("spec.replicas", "Invalid value: " + spec.getReplicas() + ": must be greater than or "
          + "equal to 0"));
    }
    if (spec.getTemplate() == null || spec.getTemplate().getSpec() == null) {
      out.add(Problem.error("spec.template", "Required value"));
      return;
    }
    Map<String, String> templateLabels = spec.getTemplate().getMetadata() == null ? Map.of()
        : spec.getTemplate().getMetadata().getLabels();
    Map<String, String> selector = spec.getSelector() == null ? null : spec.getSelector().getMatchLabels();
    if (selector == null || selector.isEmpty()) {
      out.add(Problem.error("spec.selector", "Invalid value: empty selector is invalid for statefulset"));
    } else if (templateLabels == null || !templateLabels.entrySet().containsAll(selector.entrySet())) {
      out.add(Problem.error("spec.template.metadata.labels", "Invalid value: `selector` does not match template "
          + "`labels`"));
    }
    if (spec.getTemplate().getMetadata() != null) {
      ObjectRules.labels(spec.getTemplate().getMetadata().getLabels(), "spec.template.metadata.labels", out);
      ObjectRules.annotations(spec.getTemplate().getMetadata().getAnnotations(), "spec.template.metadata.annotations", out);
    }
    podSpec(spec.getTemplate().getSpec(), "spec.template.spec", out);
  }

  /** The rules of a pod's spec, for a Pod and a StatefulSet's template alike. */
  static void podSpec(PodSpec spec, String field, List<Problem> out) {
    Set<String> volumes = new HashSet<>();
    List<Volume> declared = spec.getVolumes() == null ? List.of() : spec.getVolumes();
    for (int i = 0; i < declared.size(); i++) {
      Volume v = declared.get(i);
      String at = field + ".volumes[" + i + "]";
      if (v.getName() == null || !ObjectRules.isDnsLabel(v.getName())) {
        out.add(Problem.error(at + ".name", "Invalid value: \"" + v.getName() + "\": a lowercase RFC 1123 label "
            + "must consist of lower case alphanumeric characters or '-' (at most 63 characters)"));
      } else if (!volumes.add(v.getName())) {
        out.add(Problem.error(at + ".name", "Duplicate value: \"" + v.getName() + "\""));
      }
      if (v.getHostPath() != null) {
        out.add(Problem.error(at + ".hostPath", "Forbidden: the operator never mounts host paths"));
      }
      referencedName(v.getPersistentVolumeClaim() == null ? null : v.getPersistentVolumeClaim().getClaimName(),
          at + ".persistentVolumeClaim.claimName", out);
      referencedName(v.getConfigMap() == null ? null : v.getConfigMap().getName(), at + ".configMap.name", out);
      referencedName(v.getSecret() == null ? null : v.getSecret().getSecretName(), at + ".secret.secretName", out);
    }
    Set<String> containerNames = new HashSet<>();
    List<Container> init = spec.getInitContainers() == null ? List.of() : spec.getInitContainers();
    List<Container> main = spec.getContainers() == null ? List.of() : spec.getContainers();
    if (main.isEmpty()) {
      out.add(Problem.error(field + ".containers", "Required value"));
    }
    for (int i = 0; i < init.size(); i++) {
      container(init.get(i), field + ".initContainers[" + i + "]", volumes, containerNames, out);
    }
    for (int i = 0; i < main.size(); i++) {
      container(main.get(i), field + ".containers[" + i + "]", volumes, containerNames, out);
    }
    tolerations(spec.getTolerations(), field + ".tolerations", out);
    ObjectRules.labels(spec.getNodeSelector(), field + ".nodeSelector", out);
    referencedName(spec.getServiceAccountName(), field + ".serviceAccountName", out);
    referencedName(spec.getPriorityClassName(), field + ".priorityClassName", out);
    if (spec.getSchedulerName() != null && !ObjectRules.isDnsSubdomain(spec.getSchedulerName())) {
      out.add(Problem.error(field + ".schedulerName", "Invalid value: \"" + spec.getSchedulerName() + "\": must be "
          + "a lowercase RFC 1123 subdomain"));
    }
    Long deadline = spec.getActiveDeadlineSeconds();
    if (deadline != null && (deadline < 1 || deadline > Integer.MAX_VALUE)) {
      out.add(Problem.error(field + ".activeDeadlineSeconds", "Invalid value: " + deadline + ": must be between 1 "
          + "and 2147483647, inclusive"));
    }
    if (spec.getImagePullSecrets() != null) {
      for (int i = 0; i < spec.getImagePullSecrets().size(); i++) {
        referencedName(spec.getImagePullSecrets().get(i).getName(), field + ".imagePullSecrets[" + i + "].name",
            out);
      }
    }
  }

  private static void referencedName(String name, String field, List<Problem> out) {
    if (name != null && !ObjectRules.isDnsSubdomain(name)) {
      out.add(Problem.error(field, "Invalid value: \"" + name + "\": a lowercase RFC 1123 subdomain must consist "
          + "of lower case alphanumeric characters, '-' or '.' (at most 253 characters)"));
    }
  }

  private static void container(Container c, String field, Set<String> volumes, Set<String> names,
      List<Problem> out) {
    if (c.getName() == null || !ObjectRules.isDnsLabel(c.getName())) {
      out.add(Problem.error(field + ".name", "Invalid value: \"" + c.getName() + "\": a lowercase RFC 1123 label "
          + "must consist of lower case alphanumeric characters or '-' (at most 63 characters)"));
    } else if (!names.add(c.getName())) {
      out.add(Problem.error(field + ".name", "Duplicate value: \"" + c.getName() + "\""));
    }
    String image = c.getImage();
    if (image == null || image.isBlank()) {
      out.add(Problem.error(field + ".image", "Required value"));
    } else if (!image.equals(image.strip()) || image.chars().anyMatch(Character::isWhitespace)) {
      out.add(Problem.error(field + ".image", "Invalid value: \"" + image + "\": must not have leading or trailing "
          + "whitespace"));
    }
    Set<String> mountPaths = new HashSet<>();
    List<VolumeMount> mounts = c.getVolumeMounts() == null ? List.of() : c.getVolumeMounts();
    for (int i = 0; i < mounts.size(); i++) {
      VolumeMount m = mounts.get(i);
      String at = field + ".volumeMounts[" + i + "]";
      if (!volumes.contains(m.getName())) {
        out.add(Problem.error(at + ".name", "Not found: \"" + m.getName() + "\""));
      }
      String path = m.getMountPath();
      if (path == null || path.isEmpty()) {
        out.add(Problem.error(at + ".mountPath", "Required value"));
      } else if (!path.startsWith("/") || path.equals("/") || path.contains(":")) {
        out.add(Problem.error(at + ".mountPath", "Invalid value: \"" + path + "\": must be an absolute path other "
            + "than '/', without ':'"));
      } else if (!mountPaths.add(path)) {
        out.add(Problem.error(at + ".mountPath", "Invalid value: \"" + path + "\": must be unique"));
      }
    }
    if (c.getEnv() != null) {
      for (int i = 0; i < c.getEnv().size(); i++) {
        EnvVar e = c.getEnv().get(i);
        if (e.getName() == null || e.getName().isEmpty() || e.getName().contains("=")) {
          out.add(Problem.error(field + ".env[" + i + "].name", "Invalid value: \"" + e.getName() + "\": a valid "
              + "environment variable name must not be empty or contain '='"));
        }
      }
    }
    resources(c.getResources(), field + ".resources", out);
  }

  /** Requests at most limits; an extended resource (a GPU) cannot be overcommitted: request equals limit. */
  static void resources(ResourceRequirements r, String field, List<Problem> out) {
    if (r == null) {
      return;
    }
    Map<String, Quantity> requests = r.getRequests() == null ? Map.of() : r.getRequests();
    Map<String, Quantity> limits = r.getLimits() == null ? Map.of() : r.getLimits();
    for (Map.Entry<String, Quantity> e : requests.entrySet()) {
      String name = e.getKey();
      Quantity limit = limits.get(name);
      BigDecimal request = ObjectRules.amount(e.getValue(), field + ".requests[" + name + "]", out);
      if (request == null) {
        continue;
      }
      boolean extended = !NATIVE_RESOURCES.contains(name) && !name.startsWith("hugepages-")
          && !name.startsWith("requests.");
      if (extended && limit == null) {
        out.add(Problem.error(field + ".limits[" + name + "]", "Required value: Limit must be set for non "
            + "overcommitable resources"));
      }
      BigDecimal max = limit == null ? null : ObjectRules.amount(limit, field + ".limits[" + name + "]", out);
      if (max == null) {
        continue;
      }
      if (extended && request.compareTo(max) != 0) {
        out.add(Problem.error(field + ".requests[" + name + "]", "Invalid value: \"" + e.getValue() + "\": must "
            + "be equal to " + name + " limit of " + limit));
      } else if (request.compareTo(max) > 0) {
        out.add(Problem.error(field + ".requests[" + name + "]", "Invalid value: \"" + e.getValue() + "\": must "
            + "be less than or equal to " + name + " limit of " + limit));
      }
    }
    limits.forEach((name, q) -> {
      if (!requests.containsKey(name)) {
        ObjectRules.amount(q, field + ".limits[" + name + "]", out);
      }
    });
  }

  static void tolerations(List<Toleration> tolerations, String field, List<Problem> out) {
    if (tolerations == null) {
      return;
    }
    for (int i = 0; i < tolerations.size(); i++) {
      Toleration t = tolerations.get(i);
      String at = field + "[" + i + "]";
      String op = t.getOperator() == null ? "" : t.getOperator();
      String effect = t.getEffect() == null ? "" : t.getEffect();
      if (!TOLERATION_OPERATORS.contains(op)) {
        out.add(Problem.error(at + ".operator", "Unsupported value: \"" + op + "\": supported values: \"Equal\", "
            + "\"Exists\""));
      }
      if (!TOLERATION_EFFECTS.contains(effect)) {
        out.add(Problem.error(at + ".effect", "Unsupported value: \"" + effect + "\": supported values: "
            + "\"NoExecute\", \"NoSchedule\", \"PreferNoSchedule\""));
      }
      if (t.getKey() != null && !t.getKey().isEmpty()) {
        ObjectRules.qualifiedName(t.getKey(), at + ".key", out);
      } else if (!op.equals("Exists")) {
        out.add(Problem.error(at + ".operator", "Invalid value: \"" + op + "\": operator must be Exists when `key` "
            + "is empty, which means \"match all values and all keys\""));
      }
      if (op.equals("Exists") && t.getValue() != null && !t.getValue().isEmpty()) {
        out.add(Problem.error(at + ".operator", "Invalid value: \"" + t.getValue() + "\": value must be empty when "
            + "`operator` is 'Exists'"));
      }
      if (op.equals("Equal") || op.isEmpty()) {
        String value = t.getValue() == null ? "" : t.getValue();
        if (!Rules.isLabelValue(value)) {
          out.add(Problem.error(at + ".value", "Invalid value: \"" + value + "\": a valid label value must be an "
              + "empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
              + "alphanumeric character (at most 63 characters)"));
        }
      }
      if (t.getTolerationSeconds() != null && !effect.equals("NoExecute")) {
        out.add(Problem.error(at + ".effect", "Invalid value: \"" + effect + "\": effect must be 'NoExecute' when "
            + "`tolerationSeconds` is set"));
      }
    }
  }
}
