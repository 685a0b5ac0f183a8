package dev.chainer.operator.kueue;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an admission puts into the pods of one pod set: the assigned flavors' node labels and tolerations, and the
 * admission checks' updates (labels, annotations, node selector, tolerations).
 */
public record PodSetUpdate(Map<String, String> labels, Map<String, String> annotations,
    Map<String, String> nodeSelector, List<Toleration> tolerations) {

  public static PodSetUpdate none() {
    return new PodSetUpdate(Map.of(), Map.of(), Map.of(), List.of());
  }

  /** This update followed by another (the later wins on a key). */
  public PodSetUpdate and(PodSetUpdate other) {
    return new PodSetUpdate(merged(labels, other.labels), merged(annotations, other.annotations),
        merged(nodeSelector, other.nodeSelector), concat(tolerations, other.tolerations));
  }

  /** Puts the update into a pod's metadata and spec. */
  public void applyTo(ObjectMeta metadata, PodSpec spec) {
    if (!labels.isEmpty()) {
      metadata.setLabels(merged(metadata.getLabels(), labels));
    }
    if (!annotations.isEmpty()) {
      metadata.setAnnotations(merged(metadata.getAnnotations(), annotations));
    }
    if (!nodeSelector.isEmpty()) {
      spec.setNodeSelector(merged(spec.getNodeSelector(), nodeSelector));
    }
    if (!tolerations.isEmpty()) {
      spec.setTolerations(concat(spec.getTolerations(), tolerations));
    }
  }

  private static Map<String, String> merged(Map<String, String> a, Map<String, String> b) {
    Map<String, String> out = new LinkedHashMap<>(a == null ? Map.of() : a);
    out.putAll(b);
    return out;
  }

  private static List<Toleration> concat(List<Toleration> a, List<Toleration> b) {
    List<Toleration> out = new ArrayList<>(a == null ? List.of() : a);
    b.stream().filter(t -> !out.contains(t)).forEach(out::add);
    return out;
  }
}
