package dev.chainer.operator.validation;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a Kubernetes API server refuses in the objects this operator creates (Pod, StatefulSet, Service, ConfigMap,
 * Secret, PersistentVolumeClaim), for every field the operator sets, written from the API reference's validation rules.
 * This class answers for every object's metadata (names, label and annotation keys and values, the annotations' size,
 * owner references), ConfigMap and Secret data, and the name syntaxes; {@link PodSpecRules} for a pod's spec and
 * {@link ClaimRules} for a claim and what of it may change ({@link #checkUpdate}). Pure; problems name the object's
 * own field paths.
 */
public final class ObjectRules {
  /** etcd's request limit, which Kubernetes applies to a ConfigMap's or Secret's data. */
  public static final int MAX_DATA_BYTES = 1024 * 1024;
  /** TotalAnnotationSizeLimitB: an object's annotations, keys and values, in bytes. */
  static final int MAX_ANNOTATION_BYTES = 256 * 1024;
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern CONFIG_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  private ObjectRules() {}

  /** Every problem of one object; unknown kinds are only checked for their metadata. */
  public static List<Problem> check(HasMetadata object) {
    List<Problem> out = new ArrayList<>();
    boolean dns1035 = object instanceof Service;
    metadata(object.getMetadata(), dns1035, out);
    if (object instanceof Pod pod && pod.getSpec() != null) {
      PodSpecRules.podSpec(pod.getSpec(), "spec", out);
    } else if (object instanceof StatefulSet sts && sts.getSpec() != null) {
      PodSpecRules.statefulSet(sts, out);
    } else if (object instanceof ConfigMap cm) {
      data(cm.getData(), cm.getBinaryData(), false, out);
    } else if (object instanceof Secret secret) {
      data(secret.getStringData(), secret.getData(), true, out);
    } else if (object instanceof PersistentVolumeClaim claim) {
      ClaimRules.claimSpec(claim.getSpec() == null ? new PersistentVolumeClaimSpec() : claim.getSpec(), out);
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
      ClaimRules.claimUpdate(claim, was, out);
    }
    return out;
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

  static void annotations(Map<String, String> annotations, String field, List<Problem> out) {
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

  /** A quantity's amount, or null (and a problem) when it is negative or not a quantity. */
  static BigDecimal amount(Quantity q, String field, List<Problem> out) {
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
