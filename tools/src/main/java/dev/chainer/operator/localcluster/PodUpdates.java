package dev.chainer.operator.localcluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chainer.operator.localcluster.admission.Refusal;
import java.util.List;

/**
 * What an update or patch of a pod may not change, as Kubernetes' ValidatePodUpdate
 * (pkg/apis/core/validation) refuses it: here {@code spec.nodeName}. Only a few spec fields of a pod may change after
 * creation (container images, activeDeadlineSeconds, additions to tolerations, ...); nodeName is not one of them,
 * so a pod is placed on a node only through the pods/binding subresource ({@link Bindings}) and never moved. The
 * real server answers 422 Invalid with a Forbidden cause on {@code spec}. The status subresource is not checked:
 * there the real server keeps the stored spec whatever the request carries.
 */
final class PodUpdates {
  static final String FORBIDDEN = "Forbidden: pod updates may not change fields other than "
      + "`spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` "
      + "(only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it "
      + "was previously negative)";

  private PodUpdates() {}

  /** Refuses the new state of a stored pod when it changes spec.nodeName; anything else passes. */
  static void check(String path, JsonNode updated, JsonNode old) throws Refusal {
    if (old == null || path.contains("/status") || !"Pod".equals(updated.path("kind").asText())) {
      return;
    }
    String before = old.path("spec").path("nodeName").asText("");
    String after = updated.path("spec").path("nodeName").asText("");
    if (!before.equals(after)) {
      throw new Refusal("Pod", "", updated.path("metadata").path("name").asText(),
          List.of(Refusal.cause("spec", FORBIDDEN + " (spec.nodeName: \"" + before + "\" -> \"" + after + "\")")));
    }
  }
}
