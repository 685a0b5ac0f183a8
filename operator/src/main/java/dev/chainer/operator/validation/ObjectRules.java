package dev.chainer.operator.validation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * What a Kubernetes API server refuses in the objects this operator creates (Pod, StatefulSet, Service, ConfigMap,
 * Secret, PersistentVolumeClaim), for every field the operator sets, written from the API reference's validation rules:
 * object and reference names, label and annotation keys and values, unique volume and container names, mount paths,
 * resource requests and limits, tolerations, activeDeadlineSeconds, ConfigMap and Secret sizes, images, owner
 * references, a claim's access modes, size and class, and what of a claim may change ({@link #checkUpdate}). Pure;
 * problems name the object's own field paths.
 */
public final class ObjectRules {
  /** etcd's request limit, which Kubernetes applies to a ConfigMap's or Secret's data. */
  public static final int MAX_DATA_BYTES = 1024 * 1024;
  private static final int MAX_ANNOTATION_BYTES = 256 * 1024;
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  private static final Set<String> TOLERATION_OPERATORS = Set.of("", "Exists", "Equal");
  private static final Set<String> TOLERATION_EFFECTS = Set.of("", "NoSchedule", "PreferNoSchedule", "NoExecute");
  private static final Set<String> NATIVE_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage", "storage");
  /** The access modes a claim may ask for (validation's supportedAccessModes), sorted as its messages list them. */
  private static final Set<String> ACCESS_MODES = new TreeSet<>(Set.of("ReadOnlyMany", "ReadWriteMany",
      "ReadWriteOnce", "ReadWriteOncePod"));
  private static final Set<String> VOLUME_MODES = new TreeSet<>(Set.of("Block", "Filesystem"));

  private ObjectRules() {}

  /** Every problem of one object; unknown kinds are only checked for their metadata. */
  public static List<Problem> check(HasMetadata object) {
    List<Problem> out = new ArrayList<>();
    boolean dns1035 = object instanceof Service;
    metadata(object.getMetadata(), dns1035, out);
    if (object instanceof Pod pod && pod.getSpec() != null) {
      podSpec(pod.getSpec(), "spec", out);
    } else if (object instanceof StatefulSet sts && sts.getSpec() != null) {
      statefulSet(sts, out);
    } else if (object instanceof ConfigMap cm) {
      data(cm.getData(), cm.getBinaryData(), false, out);
    } else if (object instanceof Secret secret) {
      data(secret.getStringData(), secret.getData(), true, out);
    } else if (object instanceof PersistentVolumeClaim claim) {
      claimSpec(claim.getSpec() == null ? new PersistentVolumeClaimSpec() : claim.getSpec(), out);
    }
    return out;
  }

  /**
   * Every problem of an update of {@code old} to {@code object}: the object's own ({@link #check}), and what the kind
   * forbids to change. A claim's spec is fixed at creation (ValidatePersistentVolumeClaimUpdate): only a bound claim's
   * storage request may change, and not below what it has; its volumeName may be set once (the volume binder does).
   */
  public static List<Problem> checkUpdate(HasMetadata object, HasMetadata old) {
    List<Problem> out = check(object);
    if (object instanceof PersistentVolumeClaim claim && old instanceof PersistentVolumeClaim was) {
      claimUpdate(claim, was, out);
    }
    return out;
  }

  /**
   * ValidatePersistentVolumeClaimSpec (pkg/apis/core/validation), for the fields an operator sets: at least one
   * supported access mode, ReadWriteOncePod alone, a positive storage request, a class and volume mode that exist.
   */
  private static void claimSpec(PersistentVolumeClaimSpec spec, List<Problem> out) {
    List<String> modes = spec.getAccessModes() == null ? List.of() : spec.getAccessModes();
    if (modes.isEmpty()) {
      out.add(Problem.error("spec.accessModes", "Required value: at least 1 access mode is required"));
    }
    boolean oncePod = false;
    boolean others = false;
    for (String mode : modes) {
      if (!ACCESS_MODES.contains(mode)) {
        out.add(Problem.error("spec.accessModes", "Unsupported value: \"" + mode + "\": supported values: "
            + quoted(ACCESS_MODES)));
      } else if (mode.equals("ReadWriteOncePod")) {
        oncePod = true;
      } else {
        others = true;
      }
    }
    if (oncePod && others) {
      out.add(Problem.error("spec.accessModes", "Forbidden: may not use ReadWriteOncePod with other access modes"));
    }
    Quantity storage = spec.getResources() == null || spec.getResources().getRequests() == null ? null
        : spec.getResources().getRequests().get("storage");
    if (storage == null) {
      out.add(Problem.error("spec.resources[storage]", "Required value"));
    } else {
      BigDecimal size = amount(storage, "spec.resources[storage]", out);
      if (size != null && size.signum() <= 0) {
        out.add(Problem.error("spec.resources[storage]", "Invalid value: \"" + storage + "\": must be greater than "
            + "zero"));
      }
    }
    String storageClass = spec.getStorageClassName();
    if (storageClass != null && !storageClass.isEmpty() && !isDnsSubdomain(storageClass)) {
      out.add(Problem.error("spec.storageClassName", "Invalid value: \"" + storageClass + "\": a lowercase RFC 1123 "
          + "subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an "
          + "alphanumeric character (at most 253 characters)"));
    }
    if (spec.getVolumeMode() != null && !VOLUME_MODES.contains(spec.getVolumeMode())) {
      out.add(Problem.error("spec.volumeMode", "Unsupported value: \"" + spec.getVolumeMode() + "\": supported "
          + "values: " + quoted(VOLUME_MODES)));
    }
  }

  /**
   * ValidatePersistentVolumeClaimUpdate: the spec is immutable except the storage request of a bound claim (claims are
   * immutable so that quota and limits cannot be gamed), and the volumeName the binder sets once. The real message
   * ends with a cmp.Diff of the two specs; this one lists the changed fields in the same {@code -}/{@code +} form.
   * Shrinking is refused below the capacity the claim has (RecoverVolumeExpansionFailure, on by default since 1.32;
   * older servers said "field can not be less than previous value").
   */
  private static void claimUpdate(PersistentVolumeClaim claim, PersistentVolumeClaim old, List<Problem> out) {
    PersistentVolumeClaimSpec now = claim.getSpec() == null ? new PersistentVolumeClaimSpec() : claim.getSpec();
    PersistentVolumeClaimSpec was = old.getSpec() == null ? new PersistentVolumeClaimSpec() : old.getSpec();
    // The server keeps the stored status on a spec update, so "bound" is what the stored claim says.
    boolean bound = old.getStatus() != null && "Bound".equals(old.getStatus().getPhase());
    Map<String, Quantity> requestsNow = requests(now);
    Map<String, Quantity> requestsWas = requests(was);
    if (bound && requestsWas.containsKey("storage")) {
      requestsNow = new LinkedHashMap<>(requestsNow);
      requestsNow.put("storage", requestsWas.get("storage"));
    }
    Map<String, Object[]> fields = new LinkedHashMap<>();
    fields.put("AccessModes", new Object[] {was.getAccessModes(), now.getAccessModes()});
    fields.put("Selector", new Object[] {was.getSelector(), now.getSelector()});
    fields.put("Resources.Requests", new Object[] {requestsWas, requestsNow});
    fields.put("Resources.Limits", new Object[] {limits(was), limits(now)});
    if (was.getVolumeName() != null && !was.getVolumeName().isEmpty()) {
      fields.put("VolumeName", new Object[] {was.getVolumeName(), now.getVolumeName()});
    }
    fields.put("StorageClassName", new Object[] {was.getStorageClassName(), now.getStorageClassName()});
    fields.put("VolumeMode", new Object[] {was.getVolumeMode(), now.getVolumeMode()});
    fields.put("DataSource", new Object[] {was.getDataSource(), now.getDataSource()});
    fields.put("DataSourceRef", new Object[] {was.getDataSourceRef(), now.getDataSourceRef()});
    StringBuilder diff = new StringBuilder();
    fields.forEach((name, values) -> {
      if (!Objects.equals(values[0], values[1])) {
        diff.append("\n- \t").append(name).append(": ").append(values[0]).append(",\n+ \t").append(name)
            .append(": ").append(values[1]).append(",");
      }
    });
    if (diff.length() > 0) {
      out.add(Problem.error("spec", "Forbidden: spec is immutable after creation except resources.requests and "
          + "volumeAttributesClassName for bound claims\n  core.PersistentVolumeClaimSpec{" + diff + "\n  }"));
    }
    Quantity oldSize = requestsWas.get("storage");
    Quantity newSize = requests(now).get("storage");
    Quantity capacity = old.getStatus() == null || old.getStatus().getCapacity() == null ? null
        : old.getStatus().getCapacity().get("storage");
    if (oldSize != null && newSize != null && capacity != null && smaller(newSize, oldSize)
        && !smaller(capacity, newSize)) {
      out.add(Problem.error("spec.resources.requests.storage", "Forbidden: field can not be less than "
          + "status.capacity"));
    }
  }

  private static Map<String, Quantity> requests(PersistentVolumeClaimSpec spec) {
    return spec.getResources() == null || spec.getResources().getRequests() == null ? Map.of()
        : spec.getResources().getRequests();
  }

  private static Map<String, Quantity> limits(PersistentVolumeClaimSpec spec) {
    return spec.getResources() == null || spec.getResources().getLimits() == null ? Map.of()
        : spec.getResources().getLimits();
  }

  private static boolean smaller(Quantity a, Quantity b) {
    try {
      return Quantity.getAmountInBytes(a).compareTo(Quantity.getAmountInBytes(b)) < 0;
    } catch (RuntimeException e) {
      return false; // an unparsable size is refused by check already
    }
  }

  private static String quoted(Set<String> values) {
    return String.join(", ", values.stream().map(v -> "\"" + v + "\"").toList());
  }

  private static void metadata(ObjectMeta meta, boolean dns1035, List<Problem> out) {
    if (meta == null) {
      out.add(Problem.error("metadata", "Required value"));
      return;
    }
    String name = meta.getName();
    if (name == null || name.isEmpty()) {
      if (meta.getGenerateName() == null) {
        out.add(Problem.error("metadata.name", "Required value: name or generateName is required"));
      }
    } else if (dns1035 ? !isDns1035Label(name) : !isDnsSubdomain(name)) {
      out.add(Problem.error("metadata.name", "Invalid value: \"" + name + "\": " + (dns1035
          ? "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "
              + "character, and end with an alphanumeric character (at most 63 characters)"
          : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and "
              + "must start and end with an alphanumeric character (at most 253 characters)")));
    }
    labels(meta.getLabels(), "metadata.labels", out);
    annotations(meta.getAnnotations(), "metadata.annotations", out);
    ownerReferences(meta.getOwnerReferences(), out);
  }

  /** Label keys are qualified names, values at most 63 characters of a restricted set. */
  public static void labels(Map<String, String> labels, String field, List<Problem> out) {
    if (labels == null) {
      return;
    }
    labels.forEach((key, value) -> {
      qualifiedName(key, field, out);
      if (value == null || value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
        out.add(Problem.error(field, "Invalid value: \"" + value + "\": a valid label value must be an empty "
            + "string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an "
            + "alphanumeric character (at most 63 characters)"));
      }
    });
  }

  private static void annotations(Map<String, String> annotations, String field, List<Problem> out) {
    if (annotations == null) {
      return;
    }
    long size = 0;
    for (Map.Entry<String, String> e : annotations.entrySet()) {
      qualifiedName(e.getKey(), field, out);
      // Go's len(): bytes of UTF-8, not characters (ValidateAnnotationsSize).
      size += PodMetadataRules.bytes(e.getKey()) + PodMetadataRules.bytes(e.getValue());
    }
    if (size > MAX_ANNOTATION_BYTES) {
      out.add(Problem.error(field, "Too long: must have at most " + MAX_ANNOTATION_BYTES + " bytes"));
    }
  }

  /** A key such as {@code app} or {@code example.com/app}. */
  public static void qualifiedName(String key, String field, List<Problem> out) {
    String name = key;
    if (key != null && key.contains("/")) {
      String prefix = key.substring(0, key.indexOf('/'));
      name = key.substring(key.indexOf('/') + 1);
      if (!isDnsSubdomain(prefix)) {
        out.add(Problem.error(field, "Invalid value: \"" + key + "\": prefix part a lowercase RFC 1123 subdomain "
            + "must consist of lower case alphanumeric characters, '-' or '.'"));
      }
    }
    if (name == null || name.isEmpty() || name.length() > 63 || !QUALIFIED_NAME.matcher(name).matches()) {
      out.add(Problem.error(field, "Invalid value: \"" + key + "\": name part must consist of alphanumeric "
          + "characters, '-', '_' or '.', and must start and end with an alphanumeric character (at most 63 "
          + "characters)"));
    }
  }

  private static void ownerReferences(List<OwnerReference> refs, List<Problem> out) {
    if (refs == null) {
      return;
    }
    int controllers = 0;
    for (int i = 0; i < refs.size(); i++) {
      OwnerReference ref = refs.get(i);
      String field = "metadata.ownerReferences[" + i + "]";
      if (ref.getUid() == null || ref.getUid().isEmpty()) {
        out.add(Problem.error(field + ".uid", "Invalid value: \"\": uid must not be empty"));
      }
      if (ref.getName() == null || ref.getName().isEmpty() || ref.getKind() == null || ref.getKind().isEmpty()
          || ref.getApiVersion() == null || ref.getApiVersion().isEmpty()) {
        out.add(Problem.error(field, "Invalid value: apiVersion, kind and name must not be empty"));
      }
      if (Boolean.TRUE.equals(ref.getController())) {
        controllers++;
      }
    }
    if (controllers > 1) {
      out.add(Problem.error("metadata.ownerReferences", "Invalid value: Only one reference can have Controller "
          + "set to true"));
    }
  }

  private static void statefulSet(StatefulSet sts, List<Problem> out) {
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
      labels(spec.getTemplate().getMetadata().getLabels(), "spec.template.metadata.labels", out);
      annotations(spec.getTemplate().getMetadata().getAnnotations(), "spec.template.metadata.annotations", out);
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
      if (v.getName() == null || !isDnsLabel(v.getName())) {
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
    labels(spec.getNodeSelector(), field + ".nodeSelector", out);
    referencedName(spec.getServiceAccountName(), field + ".serviceAccountName", out);
    referencedName(spec.getPriorityClassName(), field + ".priorityClassName", out);
    if (spec.getSchedulerName() != null && !isDnsSubdomain(spec.getSchedulerName())) {
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
    if (name != null && !isDnsSubdomain(name)) {
      out.add(Problem.error(field, "Invalid value: \"" + name + "\": a lowercase RFC 1123 subdomain must consist "
          + "of lower case alphanumeric characters, '-' or '.' (at most 253 characters)"));
    }
  }

  private static void container(Container c, String field, Set<String> volumes, Set<String> names,
      List<Problem> out) {
    if (c.getName() == null || !isDnsLabel(c.getName())) {
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
      BigDecimal request = amount(e.getValue(), field + ".requests[" + name + "]", out);
      if (request == null) {
        continue;
      }
      boolean extended = !NATIVE_RESOURCES.contains(name) && !name.startsWith("hugepages-")
          && !name.startsWith("requests.");
      if (extended && limit == null) {
        out.add(Problem.error(field + ".limits[" + name + "]", "Required value: Limit must be set for non "
            + "overcommitable resources"));
      }
      BigDecimal max = limit == null ? null : amount(limit, field + ".limits[" + name + "]", out);
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
        amount(q, field + ".limits[" + name + "]", out);
      }
    });
  }

  private static BigDecimal amount(Quantity q, String field, List<Problem> out) {
    try {
      BigDecimal v = Quantity.getAmountInBytes(q);
      if (v.signum() < 0) {
        out.add(Problem.error(field, "Invalid value: \"" + q + "\": must be greater than or equal to 0"));
        return null;
      }
      return v;
    } catch (RuntimeException e) {
      out.add(Problem.error(field, "Invalid value: \"" + q + "\": quantities must match the regular expression "
          + "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"));
      return null;
    }
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
        qualifiedName(t.getKey(), at + ".key", out);
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
      // The API server takes a negative tolerationSeconds and treats it as 0 (evict at once): refused as a mistake.
      if (t.getTolerationSeconds() != null && t.getTolerationSeconds() < 0) {
        out.add(Problem.error(at + ".tolerationSeconds", "Invalid value: " + t.getTolerationSeconds() + ": must be 0 "
            + "or more (a negative value means evict at once, as 0 does)"));
      }
      if (t.getTolerationSeconds() != null && !effect.equals("NoExecute")) {
        out.add(Problem.error(at + ".effect", "Invalid value: \"" + effect + "\": effect must be 'NoExecute' when "
            + "`tolerationSeconds` is set"));
      }
    }
  }

  /** ConfigMap and Secret: valid keys, at most 1 MiB in all. */
  private static void data(Map<String, String> text, Map<String, String> base64, boolean secret,
      List<Problem> out) {
    long size = 0;
    for (Map<String, String> m : List.of(text == null ? Map.<String, String>of() : text,
        base64 == null ? Map.<String, String>of() : base64)) {
      for (Map.Entry<String, String> e : m.entrySet()) {
        if (e.getKey().length() > 253 || !CONFIG_KEY.matcher(e.getKey()).matches()) {
          out.add(Problem.error("data[" + e.getKey() + "]", "Invalid value: \"" + e.getKey() + "\": a valid config "
              + "key must consist of alphanumeric characters, '-', '_' or '.'"));
        }
        String v = e.getValue() == null ? "" : e.getValue();
        size += m == base64 ? decodedLength(v) : v.getBytes(StandardCharsets.UTF_8).length;
      }
    }
    if (size > MAX_DATA_BYTES) {
      out.add(Problem.error("data", "Too long: must have at most " + MAX_DATA_BYTES + " bytes"
          + (secret ? "" : " (data and binaryData together)")));
    }
  }

  private static long decodedLength(String base64) {
    try {
      return Base64.getDecoder().decode(base64).length;
    } catch (IllegalArgumentException e) {
      return base64.length();
    }
  }

  public static boolean isDnsLabel(String s) {
    return s != null && s.length() <= 63 && DNS_LABEL.matcher(s).matches();
  }

  public static boolean isDns1035Label(String s) {
    return s != null && s.length() <= 63 && DNS_1035_LABEL.matcher(s).matches();
  }

  public static boolean isDnsSubdomain(String s) {
    return s != null && s.length() <= 253 && DNS_SUBDOMAIN.matcher(s).matches();
  }
}
