package dev.chainer.operator.status;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a PodGroup (Volcano's or scheduler-plugins') says of its gang: its phase, size and the latest word. */
public record PodGroupStatus(String phase, int minMember, Optional<String> detail) {

  @SuppressWarnings("unchecked")
  public static PodGroupStatus of(GenericKubernetesResource group) {
    Map<String, Object> props = group.getAdditionalProperties();
    Map<String, Object> spec = props.get("spec") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    Map<String, Object> status = props.get("status") instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    String phase = status.get("phase") instanceof String p ? p : "Pending";
    int minMember = spec.get("minMember") instanceof Number n ? n.intValue() : 0;
    Optional<String> detail = Optional.empty();
    if (status.get("conditions") instanceof List<?> conditions && !conditions.isEmpty()
        && conditions.get(conditions.size() - 1) instanceof Map<?, ?> last && last.get("message") instanceof String s
        && !s.isBlank()) {
      detail = Optional.of(s);
    }
    return new PodGroupStatus(phase, minMember, detail);
  }
}
