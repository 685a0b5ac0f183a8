package dev.chainer.operator.kueue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What a Workload's status says: admitted (quota reserved and admission checks passed), evicted, finished. */
public record WorkloadState(boolean admitted, boolean evicted, Optional<String> evictionMessage, boolean holdsQuota,
    boolean finished) {

  @SuppressWarnings("unchecked")
  public static WorkloadState of(GenericKubernetesResource workload) {
    Map<String, Object> status = workload.getAdditionalProperties().get("status") instanceof Map<?, ?> m
        ? (Map<String, Object>) m : Map.of();
    List<Map<String, Object>> conditions = status.get("conditions") instanceof List<?> l
        ? (List<Map<String, Object>>) l : List.of();
    Optional<Map<String, Object>> evicted = condition(conditions, "Evicted");
    boolean holdsQuota = status.get("admission") != null;
    return new WorkloadState(holdsQuota && condition(conditions, "Admitted").isPresent(), evicted.isPresent(),
        evicted.map(c -> (String) c.get("message")), holdsQuota, condition(conditions, "Finished").isPresent());
  }

  private static Optional<Map<String, Object>> condition(List<Map<String, Object>> conditions, String type) {
    return conditions.stream().filter(c -> type.equals(c.get("type")) && "True".equals(c.get("status"))).findFirst();
  }
}
