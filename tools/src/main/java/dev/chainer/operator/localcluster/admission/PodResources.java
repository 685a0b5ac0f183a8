package dev.chainer.operator.localcluster.admission;

import dev.chainer.operator.localcluster.admission.Quantities.Amount;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * What a pod requests and is limited to, as the scheduler and the quota plugin count it (k8s.io/component-helpers
 * resource.PodRequests and PodLimits): per resource, the app containers' sum plus the sidecars' (init containers with
 * restartPolicy Always), or the largest regular init container's with the sidecars started before it when that is
 * more, plus the pod's overhead. A container's requests are taken as the API server stores them: a resource it only
 * limits is requested at its limit (SetDefaults_Pod).
 */
public final class PodResources {
  private PodResources() {}

  /** resource.PodRequests on the defaulted pod. */
  public static Map<String, Amount> requests(PodSpec spec) {
    return total(spec, PodResources::requests);
  }

  /** resource.PodLimits. */
  public static Map<String, Amount> limits(PodSpec spec) {
    return total(spec, PodResources::limits);
  }

  /** A container's requests after API defaulting: the limit of a resource it limits but does not request. */
  public static Map<String, Quantity> requests(Container c) {
    Map<String, Quantity> out = new LinkedHashMap<>();
    if (c.getResources() != null && c.getResources().getRequests() != null) {
      out.putAll(c.getResources().getRequests());
    }
    limits(c).forEach(out::putIfAbsent);
    return out;
  }

  private static Map<String, Quantity> limits(Container c) {
    return c.getResources() == null || c.getResources().getLimits() == null ? Map.of()
        : c.getResources().getLimits();
  }

  private static Map<String, Amount> total(PodSpec spec, Function<Container, Map<String, Quantity>> of) {
    Map<String, Amount> sum = new LinkedHashMap<>();
    for (Container c : list(spec.getContainers())) {
      add(sum, of.apply(c));
    }
    Map<String, Amount> sidecars = new LinkedHashMap<>();
    Map<String, Amount> init = new LinkedHashMap<>();
    for (Container c : list(spec.getInitContainers())) {
      Map<String, Amount> own;
      if ("Always".equals(c.getRestartPolicy())) { // a sidecar runs on beside what starts after it
        add(sum, of.apply(c));
        add(sidecars, of.apply(c));
        own = sidecars;
      } else {
        own = new LinkedHashMap<>();
        add(own, of.apply(c));
        sidecars.forEach((k, v) -> own.merge(k, v, Amount::plus));
      }
      max(init, own);
    }
    max(sum, init);
    if (spec.getOverhead() != null) {
      add(sum, spec.getOverhead());
    }
    return sum;
  }

  private static void add(Map<String, Amount> into, Map<String, Quantity> list) {
    list.forEach((k, v) -> into.merge(k, Quantities.of(v), Amount::plus));
  }

  /** maxResourceList: each resource at the larger of the two. */
  private static void max(Map<String, Amount> into, Map<String, Amount> other) {
    other.forEach((k, v) -> into.merge(k, v, (a, b) -> b.compareTo(a) > 0 ? b : a));
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
