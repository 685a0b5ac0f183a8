package dev.chainer.operator.kueue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What Kueue's admission of a Workload means for each pod set's pods: the node labels and tolerations of the
 * ResourceFlavors assigned to it, then what the admission checks ask for. Pure: the flavors are looked up through
 * the given function.
 */
public final class Admission {
  private Admission() {}

  @SuppressWarnings("unchecked")
  public static Map<String, PodSetUpdate> updates(GenericKubernetesResource workload,
      Function<String, GenericKubernetesResource> flavors) {
    Map<String, Object> status = map(workload.getAdditionalProperties().get("status"));
    Map<String, PodSetUpdate> out = new HashMap<>();
    for (Object a : list(map(status.get("admission")).get("podSetAssignments"))) {
      Map<String, Object> assignment = map(a);
      String podSet = (String) assignment.get("name");
      for (Object flavorName : map(assignment.get("flavors")).values().stream().distinct().toList()) {
        GenericKubernetesResource flavor = flavors.apply((String) flavorName);
        if (flavor != null) {
          out.merge(podSet, fromFlavor(map(flavor.getAdditionalProperties().get("spec"))), PodSetUpdate::and);
        }
      }
    }
    for (Object check : list(status.get("admissionChecks"))) {
      for (Object u : list(map(check).get("podSetUpdates"))) {
        Map<String, Object> update = map(u);
        out.merge((String) update.get("name"), new PodSetUpdate(strings(update.get("labels")),
            strings(update.get("annotations")), strings(update.get("nodeSelector")), tolerations(update.get(
            "tolerations"))), PodSetUpdate::and);
      }
    }
    return out;
  }

  private static PodSetUpdate fromFlavor(Map<String, Object> spec) {
    return new PodSetUpdate(Map.of(), Map.of(), strings(spec.get("nodeLabels")), tolerations(spec.get("tolerations")));
  }

  private static List<Toleration> tolerations(Object value) {
    return list(value).stream().map(t -> Serialization.jsonMapper().convertValue(t, Toleration.class)).toList();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> strings(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
  }

  private static List<?> list(Object value) {
    return value instanceof List<?> l ? l : List.of();
  }
}
