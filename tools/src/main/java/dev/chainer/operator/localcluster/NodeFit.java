package dev.chainer.operator.localcluster;

import dev.chainer.operator.localcluster.admission.PodResources;
import dev.chainer.operator.localcluster.admission.Quantities;
import dev.chainer.operator.localcluster.admission.Quantities.Amount;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scheduler's Filter plugins NodeAffinity and NodeResourcesFit for the simulated node, which is all the cluster
 * has ("0/1 nodes"). Both are off by default, so that every pod fits as before; a test turns them on:
 * <ul>
 *   <li>{@link #labels}: the node's labels (added to kubernetes.io/hostname, os and arch); a pod whose nodeSelector or
 *       required node affinity they do not satisfy is not placed: "node(s) didn't match Pod's node affinity/selector",
 *       and preemption cannot help;
 *   <li>{@link #capacity}: what the node can give (resources not named take {@link #DEFAULT_CAPACITY}); a pod whose
 *       requests (extended resources such as GPUs are requested at their limits) exceed what the pods bound to the node
 *       and not ended leave is not placed: "Insufficient nvidia.com/gpu" per resource short, "Too many pods" past the
 *       pod count, and preemption finds no victims (every pod has the same priority here).
 * </ul>
 * The message is the scheduler's FitError; the scheduler tries again as pods go, here at every tick. Pods it has
 * decided to bind count at once (the scheduler cache's "assumed" pods), so two pods never take the same GPUs.
 * Taints, pod affinity and topology spread are not modelled.
 */
final class NodeFit {
  /** A generous GPU node: what a capacity leaves unnamed. */
  static final Map<String, String> DEFAULT_CAPACITY = Map.of("cpu", "64", "memory", "256Gi", "nvidia.com/gpu", "8",
      "pods", "110", "ephemeral-storage", "1Ti");
  /** The well-known labels every node has. */
  static final Map<String, String> DEFAULT_LABELS = Map.of("kubernetes.io/hostname", SimulatedKubelet.NODE,
      "kubernetes.io/os", "linux", "kubernetes.io/arch", "amd64");
  static final String NOT_HELPFUL = "1 Preemption is not helpful for scheduling";
  static final String NO_VICTIMS = "1 No preemption victims found for incoming pod";
  private static final int NODES = 1;

  private volatile Map<String, Amount> capacity;
  private volatile Map<String, String> labels;
  /** Pods decided for the node and not yet seen bound, by namespace/name/uid, with what they request. */
  private final Map<String, Map<String, Amount>> assumed = new ConcurrentHashMap<>();

  void capacity(Map<String, String> given) {
    Map<String, Amount> out = new TreeMap<>();
    DEFAULT_CAPACITY.forEach((k, v) -> out.put(k, Quantities.of(v)));
    given.forEach((k, v) -> out.put(k, Quantities.of(v)));
    this.capacity = out;
  }

  void labels(Map<String, String> given) {
    Map<String, String> out = new HashMap<>(DEFAULT_LABELS);
    out.putAll(given);
    this.labels = out;
  }

  /**
   * Why the pod cannot be placed on the node now, as the PodScheduled condition's message; empty when it fits, and it
   * is then counted on the node until it is seen bound or {@link #forget forgotten}.
   *
   * @param known the pods the scheduler knows of
   */
  synchronized Optional<String> reserve(Pod pod, Collection<Pod> known) {
    Map<String, String> nodeLabels = labels;
    if (nodeLabels != null && !matchesAffinity(pod, nodeLabels)) {
      return Optional.of(fitError("1 node(s) didn't match Pod's node affinity/selector", NOT_HELPFUL));
    }
    Map<String, Amount> allocatable = capacity;
    if (allocatable == null) {
      return Optional.empty(); // room for every pod
    }
    Map<String, Amount> requests = PodResources.requests(pod.getSpec());
    List<String> reasons = insufficient(requests, used(known), allocatable);
    if (!reasons.isEmpty()) {
      return Optional.of(fitError(String.join(", ", reasons.stream().map(r -> NODES + " " + r).sorted().toList()),
          NO_VICTIMS));
    }
    assumed.put(key(pod), requests);
    return Optional.empty();
  }

  /** The binding failed: the pod no longer counts on the node. */
  void forget(Pod pod) {
    assumed.remove(key(pod));
  }

  /** What the node's pods request: bound and not ended (a terminating pod counts until it is gone), or assumed. */
  private Map<String, Amount> used(Collection<Pod> known) {
    Map<String, Amount> used = new HashMap<>();
    Map<String, Pod> byKey = new HashMap<>();
    known.forEach(p -> byKey.put(key(p), p));
    for (Pod p : known) {
      String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
      if (SimulatedKubelet.NODE.equals(p.getSpec().getNodeName()) && !"Succeeded".equals(phase)
          && !"Failed".equals(phase)) {
        add(used, PodResources.requests(p.getSpec()));
      }
    }
    assumed.keySet().removeIf(k -> !byKey.containsKey(k) || byKey.get(k).getSpec().getNodeName() != null);
    assumed.values().forEach(r -> add(used, r));
    return used;
  }

  private static void add(Map<String, Amount> into, Map<String, Amount> requests) {
    requests.forEach((k, v) -> into.merge(k, v, Amount::plus));
    into.merge("pods", Quantities.of("1"), Amount::plus);
  }

  /** fitsRequest: the pod count, then cpu, memory, ephemeral storage, then each other resource the pod requests. */
  private static List<String> insufficient(Map<String, Amount> requests, Map<String, Amount> used,
      Map<String, Amount> allocatable) {
    List<String> reasons = new ArrayList<>();
    Amount zero = Quantities.of("0");
    Amount pods = used.getOrDefault("pods", zero).plus(Quantities.of("1"));
    if (pods.compareTo(allocatable.getOrDefault("pods", zero)) > 0) {
      reasons.add("Too many pods");
    }
    Map<String, Amount> ordered = new LinkedHashMap<>();
    for (String r : List.of("cpu", "memory", "ephemeral-storage")) {
      if (requests.containsKey(r)) {
        ordered.put(r, requests.get(r));
      }
    }
    requests.forEach(ordered::putIfAbsent);
    ordered.forEach((r, q) -> {
      if (r.equals("pods") || q.value().signum() <= 0) {
        return;
      }
      Amount free = new Amount(allocatable.getOrDefault(r, zero).value().subtract(used.getOrDefault(r, zero).value()),
          q.format());
      if (q.compareTo(free) > 0) {
        reasons.add("Insufficient " + r);
      }
    });
    return reasons;
  }

  /** NodeAffinity's Filter: the nodeSelector, and one of the required node selector terms. */
  private static boolean matchesAffinity(Pod pod, Map<String, String> nodeLabels) {
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    if (selector != null && !selector.entrySet().stream()
        .allMatch(e -> e.getValue().equals(nodeLabels.get(e.getKey())))) {
      return false;
    }
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return true;
    }
    List<NodeSelectorTerm> terms = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms();
    return terms != null && terms.stream().anyMatch(t -> matches(t, nodeLabels));
  }

  /** A term: all of its expressions and fields; a term with none matches no node. */
  private static boolean matches(NodeSelectorTerm term, Map<String, String> nodeLabels) {
    List<NodeSelectorRequirement> expressions = term.getMatchExpressions() == null ? List.of()
        : term.getMatchExpressions();
    List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
    if (expressions.isEmpty() && fields.isEmpty()) {
      return false;
    }
    return expressions.stream().allMatch(r -> matches(r, nodeLabels))
        && fields.stream().allMatch(r -> "metadata.name".equals(r.getKey())
            && matches(r, Map.of("metadata.name", SimulatedKubelet.NODE)));
  }

  private static boolean matches(NodeSelectorRequirement r, Map<String, String> nodeLabels) {
    String value = nodeLabels.get(r.getKey());
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> value != null && values.contains(value);
      case "NotIn" -> value == null || !values.contains(value);
      case "Exists" -> value != null;
      case "DoesNotExist" -> value == null;
      case "Gt", "Lt" -> value != null && values.size() == 1 && compare(value, values.get(0), r.getOperator());
      default -> false;
    };
  }

  private static boolean compare(String label, String bound, String operator) {
    try {
      long l = Long.parseLong(label);
      long b = Long.parseLong(bound);
      return operator.equals("Gt") ? l > b : l < b;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  /**
   * FitError.Error(): {@code 0/N nodes are available: <reasons>.}, then DefaultPreemption's PostFilter message
   * {@code preemption: 0/N nodes are available: <why preemption cannot help>.}
   */
  static String fitError(String reasons, String preemption) {
    return "0/" + NODES + " nodes are available: " + reasons + ". preemption: 0/" + NODES + " nodes are available: "
        + preemption + ".";
  }

  private static String key(Pod pod) {
    return pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName() + "/" + pod.getMetadata().getUid();
  }
}
