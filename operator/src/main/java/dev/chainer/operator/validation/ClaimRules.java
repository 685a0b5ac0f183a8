package dev.chainer.operator.validation;

import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/** What the API server refuses in a PersistentVolumeClaim the operator creates, and in an update of one. */
final class ClaimRules {
  /** The access modes a claim may ask for (validation's supportedAccessModes), sorted as its messages list them. */
  private static final Set<String> ACCESS_MODES = new TreeSet<>(Set.of("ReadOnlyMany", "ReadWriteMany",
      "ReadWriteOnce", "ReadWriteOncePod"));
  private static final Set<String> VOLUME_MODES = new TreeSet<>(Set.of("Block", "Filesystem"));

  private ClaimRules() {}

  /**
   * ValidatePersistentVolumeClaimSpec (pkg/apis/core/validation), for the fields an operator sets: at least one
   * supported access mode, ReadWriteOncePod alone, a positive storage request, a class and volume mode that exist.
   */
  static void claimSpec(PersistentVolumeClaimSpec spec, List<Problem> out) {
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
      BigDecimal size = ObjectRules.amount(storage, "spec.resources[storage]", out);
      if (size != null && size.signum() <= 0) {
        out.add(Problem.error("spec.resources[storage]", "Invalid value: \"" + storage + "\": must be greater than "
            + "zero"));
      }
    }
    String storageClass = spec.getStorageClassName();
    if (storageClass != null && !storageClass.isEmpty() && !ObjectRules.isDnsSubdomain(storageClass)) {
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
  static void claimUpdate(PersistentVolumeClaim claim, PersistentVolumeClaim old, List<Problem> out) {
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
}
