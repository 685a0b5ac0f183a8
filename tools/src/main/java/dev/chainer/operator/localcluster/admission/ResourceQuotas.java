package dev.chainer.operator.localcluster.admission;

import dev.chainer.operator.localcluster.admission.Quantities.Amount;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The ResourceQuota admission plugin for pods (plugin/pkg/admission/resourcequota, checkRequest, with the pod evaluator
 * of pkg/quota/v1/evaluator/core/pods.go), and the usage the ResourceQuota controller writes to a quota's status.
 * A pod created in a namespace with quotas is refused with 403 when, for a quota that tracks one of its resources:
 * <ul>
 *   <li>the quota tracks cpu or memory (requests or limits) and a container does not set it: {@code failed quota:
 *       <quota>: must specify limits.cpu for: <containers>; requests.cpu for: ...} (Constraints);
 *   <li>what the pod adds to what the namespace's pods already use would pass a hard limit: {@code exceeded quota:
 *       <quota>, requested: <r>, used: <u>, limited: <l>}, each listing only the exceeded resources.
 * </ul>
 * Usage (PodUsageFunc): {@code count/pods} counts every stored pod; {@code pods} and the compute resources
 * ({@code requests.cpu}, {@code limits.memory}, bare {@code cpu}/{@code memory} meaning requests, ephemeral storage,
 * hugepages, and extended resources as {@code requests.nvidia.com/gpu}) count pods that have not ended and are not
 * past their deletion's grace period. Extended resources are quota'd by their requests only, as Kubernetes does (a
 * {@code limits.nvidia.com/gpu} hard limit is accepted and never enforced). Scopes Terminating, NotTerminating,
 * BestEffort, NotBestEffort and PriorityClass are honoured. Where a real API server compares against the quota's
 * status (and refuses while the controller has not yet written it), this one counts the stored pods at the time of
 * the request, as if the controller were always up to date.
 */
public final class ResourceQuotas {
  private ResourceQuotas() {}

  /** The resources the pod evaluator tracks besides the prefixed ones (podResources). */
  private static final Set<String> POD_RESOURCES = Set.of("count/pods", "cpu", "memory", "ephemeral-storage",
      "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
      "limits.ephemeral-storage", "pods");
  /** What a quota on them makes every container set (validationSet: "it was a mistake", kept for compatibility). */
  private static final Set<String> MUST_SPECIFY = Set.of("cpu", "memory", "requests.cpu", "requests.memory",
      "limits.cpu", "limits.memory");

  /**
   * Refuses a pod that a quota of its namespace does not allow.
   *
   * @param quotas the namespace's ResourceQuotas
   * @param existing the namespace's stored pods
   */
  public static void admit(Pod pod, List<ResourceQuota> quotas, List<Pod> existing, Instant now) throws Refusal {
    String name = pod.getMetadata().getName();
    List<ResourceQuota> sorted = quotas.stream()
        .sorted(Comparator.comparing(q -> q.getMetadata().getName())).toList();
    List<ResourceQuota> interesting = new ArrayList<>();
    for (ResourceQuota quota : sorted) {
      Set<String> tracked = matchingResources(hard(quota).keySet());
      if (tracked.isEmpty() || !inScope(quota, pod)) {
        continue;
      }
      String missing = missing(pod, tracked);
      if (!missing.isEmpty()) {
        throw Refusal.forbidden("pods", name, "failed quota: " + quota.getMetadata().getName() + ": must specify "
            + missing);
      }
      interesting.add(quota);
    }
    if (interesting.isEmpty()) {
      return;
    }
    Map<String, Amount> delta = usage(pod, now);
    for (ResourceQuota quota : interesting) {
      Map<String, Amount> hard = hard(quota);
      Map<String, Amount> used = used(quota, existing, now);
      Map<String, Amount> requested = mask(delta, hard.keySet());
      Map<String, Amount> newUsage = new LinkedHashMap<>(used);
      requested.forEach((k, v) -> newUsage.merge(k, v, Amount::plus));
      Set<String> exceeded = new TreeSet<>();
      for (String k : requested.keySet()) {
        if (hard.containsKey(k) && newUsage.get(k).compareTo(hard.get(k)) > 0) {
          exceeded.add(k);
        }
      }
      if (!exceeded.isEmpty()) {
        throw Refusal.forbidden("pods", name, "exceeded quota: " + quota.getMetadata().getName() + ", requested: "
            + Quantities.pretty(mask(requested, exceeded)) + ", used: " + Quantities.pretty(mask(used, exceeded))
            + ", limited: " + Quantities.pretty(mask(hard, exceeded)));
      }
    }
  }

  /**
   * What the ResourceQuota controller writes as the quota's {@code status.used}: for each hard limit, the usage of the
   * pods in its scope (zero for resources no pod uses; resources pods do not account for are left out).
   */
  public static Map<String, Amount> used(ResourceQuota quota, List<Pod> pods, Instant now) {
    Map<String, Amount> hard = hard(quota);
    Set<String> tracked = matchingResources(hard.keySet());
    Map<String, Amount> used = new TreeMap<>();
    tracked.forEach(k -> used.put(k, Amount.ZERO));
    for (Pod pod : pods) {
      if (inScope(quota, pod)) {
        mask(usage(pod, now), tracked).forEach((k, v) -> used.merge(k, v, Amount::plus));
      }
    }
    return used;
  }

  private static Map<String, Amount> hard(ResourceQuota quota) {
    Map<String, Amount> out = new TreeMap<>();
    if (quota.getSpec() != null && quota.getSpec().getHard() != null) {
      quota.getSpec().getHard().forEach((k, v) -> out.put(k, Quantities.of(v)));
    }
    return out;
  }

  /** MatchingResources: the hard limits the pod evaluator accounts for. */
  static Set<String> matchingResources(Set<String> hard) {
    return hard.stream().filter(r -> POD_RESOURCES.contains(r) || r.startsWith("hugepages-")
        || r.startsWith("requests.hugepages-") || (r.startsWith("requests.") && !isNative(r)))
        .collect(Collectors.toCollection(TreeSet::new));
  }

  /** helper.IsNativeResource: no domain, or the kubernetes.io domain. */
  private static boolean isNative(String name) {
    return !name.contains("/") || name.startsWith("kubernetes.io/");
  }

  /** helper.IsExtendedResourceName, for a name a container requests. */
  private static boolean extended(String name) {
    return !isNative(name) && !name.startsWith("requests.");
  }

  /** PodUsageFunc. */
  static Map<String, Amount> usage(Pod pod, Instant now) {
    Map<String, Amount> out = new LinkedHashMap<>();
    out.put("count/pods", Quantities.of("1"));
    if (!charged(pod, now)) {
      return out;
    }
    out.put("pods", Quantities.of("1"));
    Map<String, Amount> requests = PodResources.requests(pod.getSpec());
    Map<String, Amount> limits = PodResources.limits(pod.getSpec());
    for (String r : List.of("cpu", "memory", "ephemeral-storage")) {
      if (requests.containsKey(r)) {
        out.put(r, requests.get(r));
        out.put("requests." + r, requests.get(r));
      }
      if (limits.containsKey(r)) {
        out.put("limits." + r, limits.get(r));
      }
    }
    requests.forEach((r, v) -> {
      if (r.startsWith("hugepages-")) {
        out.put(r, v);
        out.put("requests." + r, v);
      } else if (extended(r)) {
        out.put("requests." + r, v);
      }
    });
    return out;
  }

  /** QuotaV1Pod: not ended, and not stuck terminating past its grace period. */
  private static boolean charged(Pod pod, Instant now) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Succeeded".equals(phase) || "Failed".equals(phase)) {
      return false;
    }
    var meta = pod.getMetadata();
    if (meta.getDeletionTimestamp() != null && meta.getDeletionGracePeriodSeconds() != null) {
      Instant deadline = Instant.parse(meta.getDeletionTimestamp()).plusSeconds(meta.getDeletionGracePeriodSeconds());
      return !now.isAfter(deadline);
    }
    return true;
  }

  /** Constraints: the cpu and memory requests and limits the quota tracks that some container does not set. */
  private static String missing(Pod pod, Set<String> tracked) {
    Set<String> required = new TreeSet<>(tracked);
    required.retainAll(MUST_SPECIFY);
    Map<String, Set<String>> missing = new TreeMap<>();
    for (Container c : containers(pod).toList()) {
      Set<String> set = containerResources(c);
      for (String r : required) {
        if (!set.contains(r)) {
          missing.computeIfAbsent(r, k -> new TreeSet<>()).add(c.getName());
        }
      }
    }
    return missing.entrySet().stream().map(e -> e.getKey() + " for: " + String.join(",", e.getValue()))
        .collect(Collectors.joining("; "));
  }

  /** podComputeUsageHelper's keys for one container's own requests and limits. */
  private static Set<String> containerResources(Container c) {
    Set<String> out = new TreeSet<>();
    Map<String, Quantity> requests = PodResources.requests(c);
    Map<String, Quantity> limits = c.getResources() == null || c.getResources().getLimits() == null ? Map.of()
        : c.getResources().getLimits();
    for (String r : List.of("cpu", "memory")) {
      if (requests.containsKey(r)) {
        out.add(r);
        out.add("requests." + r);
      }
      if (limits.containsKey(r)) {
        out.add("limits." + r);
      }
    }
    return out;
  }

  /** Whether every scope of the quota selects the pod (podMatchesScopeFunc); a quota without scopes selects all. */
  private static boolean inScope(ResourceQuota quota, Pod pod) {
    List<ScopedResourceSelectorRequirement> selectors = new ArrayList<>();
    if (quota.getSpec() != null && quota.getSpec().getScopes() != null) {
      quota.getSpec().getScopes().forEach(s -> selectors.add(new ScopedResourceSelectorRequirement("Exists", s,
          List.of())));
    }
    if (quota.getSpec() != null && quota.getSpec().getScopeSelector() != null
        && quota.getSpec().getScopeSelector().getMatchExpressions() != null) {
      selectors.addAll(quota.getSpec().getScopeSelector().getMatchExpressions());
    }
    return selectors.stream().allMatch(s -> inScope(s, pod));
  }

  private static boolean inScope(ScopedResourceSelectorRequirement s, Pod pod) {
    Long deadline = pod.getSpec().getActiveDeadlineSeconds();
    boolean terminating = deadline != null && deadline >= 0;
    String priorityClass = pod.getSpec().getPriorityClassName();
    boolean hasClass = priorityClass != null && !priorityClass.isEmpty();
    List<String> values = s.getValues() == null ? List.of() : s.getValues();
    return switch (s.getScopeName()) {
      case "Terminating" -> terminating;
      case "NotTerminating" -> !terminating;
      case "BestEffort" -> bestEffort(pod);
      case "NotBestEffort" -> !bestEffort(pod);
      case "PriorityClass" -> switch (s.getOperator() == null ? "" : s.getOperator()) {
        case "Exists" -> hasClass;
        case "DoesNotExist" -> !hasClass;
        case "In" -> hasClass && values.contains(priorityClass);
        case "NotIn" -> !hasClass || !values.contains(priorityClass);
        default -> false;
      };
      default -> false;
    };
  }

  /** QoS class BestEffort: no container requests or limits cpu or memory. */
  private static boolean bestEffort(Pod pod) {
    return containers(pod).noneMatch(c -> c.getResources() != null && Stream.of(c.getResources().getRequests(),
        c.getResources().getLimits()).filter(m -> m != null).anyMatch(m -> m.entrySet().stream()
        .anyMatch(e -> (e.getKey().equals("cpu") || e.getKey().equals("memory"))
            && Quantity.getAmountInBytes(e.getValue()).signum() != 0)));
  }

  private static Stream<Container> containers(Pod pod) {
    var spec = pod.getSpec();
    return Stream.concat(spec.getContainers() == null ? Stream.empty() : spec.getContainers().stream(),
        spec.getInitContainers() == null ? Stream.empty() : spec.getInitContainers().stream());
  }

  private static Map<String, Amount> mask(Map<String, Amount> list, Set<String> keys) {
    Map<String, Amount> out = new LinkedHashMap<>();
    list.forEach((k, v) -> {
      if (keys.contains(k)) {
        out.put(k, v);
      }
    });
    return out;
  }
}
