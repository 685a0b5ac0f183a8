package dev.chainer.operator.localcluster.admission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chainer.operator.validation.ObjectRules;
import dev.chainer.operator.validation.PodSecurityStandard;
import dev.chainer.operator.validation.Problem;
import dev.chainer.operator.validation.StructuralSchema;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * What the in-process API server checks before it stores an object, as a real (1.25+) API server does:
 * <ul>
 *   <li>a CustomResourceDefinition is refused when its CEL rules' estimated cost exceeds the budget;
 *   <li>a Pod, StatefulSet, Service, ConfigMap, Secret, Event, Lease or PersistentVolumeClaim is checked with the API's
 *       validation rules for the fields this operator sets ({@link ObjectRules}), an update also with what the kind
 *       forbids to change (a claim's spec);
 *   <li>a custom resource is checked against the structural schema of its CRD as stored in this server (types,
 *       bounds, enums, required fields), stripped of undeclared fields, and its CEL rules are evaluated, the
 *       transition rules against the stored object on updates;
 *   <li>a pod created in a namespace is checked, after validation, by PodSecurity admission and then by ResourceQuota
 *       admission ({@link ResourceQuotas}), in that order, as the API server's plugins run (ResourceQuota last).
 * </ul>
 * Everything else is stored as it comes.
 */
public final class Admission {
  /** The kinds whose API validation this server applies (ObjectRules): the ones the operator creates. */
  private static final Map<String, Class<? extends HasMetadata>> BUILT_IN = Map.of(
      "v1/Pod", Pod.class, "apps/v1/StatefulSet", StatefulSet.class, "v1/Service", Service.class,
      "v1/ConfigMap", ConfigMap.class, "v1/Secret", Secret.class, "v1/Event", Event.class,
      "events.k8s.io/v1/Event", io.fabric8.kubernetes.api.model.events.v1.Event.class,
      "coordination.k8s.io/v1/Lease", Lease.class, "v1/PersistentVolumeClaim", PersistentVolumeClaim.class);

  /** The namespace label by which PodSecurity admission enforces a level of the Pod Security Standards. */
  public static final String ENFORCE = "pod-security.kubernetes.io/enforce";
  private final Function<String, Optional<CustomResourceDefinition>> crds;
  private final Function<String, Map<String, String>> namespaceLabels;
  private final BiFunction<String, String, List<String>> stored;
  private final boolean cel;

  /**
   * @param crds finds a stored CRD by {@code <kind>.<group>}
   * @param cel false for an API server before 1.25: it drops a CRD's x-kubernetes-validations when it stores it,
   *     so its custom resources are checked against the structural schema only
   */
  public Admission(Function<String, Optional<CustomResourceDefinition>> crds,
      Function<String, Map<String, String>> namespaceLabels, boolean cel) {
    this(crds, namespaceLabels, (resource, namespace) -> List.of(), cel);
  }

  /**
   * @param stored the stored objects (JSON) of a resource ({@code pods}, {@code resourcequotas}) in a namespace, as
   *     the quota plugin reads them (its informers; here the store itself, under its write lock)
   */
  public Admission(Function<String, Optional<CustomResourceDefinition>> crds,
      Function<String, Map<String, String>> namespaceLabels, BiFunction<String, String, List<String>> stored,
      boolean cel) {
    this.crds = crds;
    this.namespaceLabels = namespaceLabels;
    this.stored = stored;
    this.cel = cel;
  }

  /**
   * The object to store in place of {@code object} (pruned), or a {@link Refusal}.
   *
   * @param old the stored object this write replaces, or null for a create
   */
  public JsonNode admit(JsonNode object, JsonNode old) throws Refusal {
    String apiVersion = object.path("apiVersion").asText("");
    String kind = object.path("kind").asText("");
    if (kind.equals("CustomResourceDefinition") && apiVersion.startsWith("apiextensions.k8s.io/")) {
      if (!cel) {
        return withoutCelRules(object);
      }
      checkCostBudget(Serialization.jsonMapper().convertValue(object, CustomResourceDefinition.class));
      return object;
    }
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash); // the core group has no name
    Class<? extends HasMetadata> builtIn = BUILT_IN.get(apiVersion + "/" + kind);
    if (builtIn != null) {
      checkBuiltIn(object, old, builtIn, kind, group);
      if (builtIn == Pod.class && old == null) {
        Pod pod = Serialization.jsonMapper().convertValue(object, Pod.class);
        checkPodSecurity(pod);
        checkQuota(pod);
      }
      return object;
    }
    if (group.isEmpty()) {
      return object;
    }
    String version = apiVersion.substring(slash + 1);
    Optional<JSONSchemaProps> schema = crds.apply(kind + "." + group).flatMap(crd -> schemaOf(crd, version));
    return schema.isPresent() ? admitCustomResource(object, old, schema.get(), kind, group) : object;
  }

  private static void checkBuiltIn(JsonNode object, JsonNode old, Class<? extends HasMetadata> type, String kind,
      String group) throws Refusal {
    HasMetadata typed = Serialization.jsonMapper().convertValue(object, type);
    List<Problem> problems = old == null ? ObjectRules.check(typed)
        : ObjectRules.checkUpdate(typed, Serialization.jsonMapper().convertValue(old, type));
    List<StatusCause> causes = problems.stream().map(p -> Refusal.cause(p.field(), p.message())).toList();
    if (!causes.isEmpty()) {
      throw new Refusal(kind, group, typed.getMetadata() == null ? "" : typed.getMetadata().getName(), causes);
    }
  }

  /**
   * PodSecurity admission: a pod created in a namespace labelled with an enforced level must pass it. Like the
   * real plugin, it checks pods only (a StatefulSet is stored; its pods are then refused) and only on create.
   */
  private void checkPodSecurity(Pod pod) throws Refusal {
    String namespace = pod.getMetadata() == null ? null : pod.getMetadata().getNamespace();
    String level = namespace == null ? null : namespaceLabels.apply(namespace).get(ENFORCE);
    if (level == null || level.equals("privileged")) {
      return;
    }
    List<String> violations = PodSecurityStandard.violations(pod.getSpec(), level.equals("restricted")
        ? PodSecurityStandard.Level.RESTRICTED : PodSecurityStandard.Level.BASELINE);
    if (!violations.isEmpty()) {
      throw Refusal.forbidden("pods", pod.getMetadata().getName(), "violates PodSecurity \"" + level + ":latest\": "
          + String.join(", ", violations));
    }
  }

  /** ResourceQuota admission, for pods (the plugin evaluates creates only), when the namespace has quotas. */
  private void checkQuota(Pod pod) throws Refusal {
    String namespace = pod.getMetadata() == null ? null : pod.getMetadata().getNamespace();
    if (namespace == null) {
      return;
    }
    List<ResourceQuota> quotas = stored.apply("resourcequotas", namespace).stream()
        .map(json -> Serialization.unmarshal(json, ResourceQuota.class)).toList();
    if (quotas.isEmpty()) {
      return;
    }
    List<Pod> pods = stored.apply("pods", namespace).stream().map(json -> Serialization.unmarshal(json, Pod.class))
        .toList();
    ResourceQuotas.admit(pod, quotas, pods, java.time.Instant.now());
  }

  private static JsonNode withoutCelRules(JsonNode crd) {
    JsonNode copy = crd.deepCopy();
    copy.findParents("x-kubernetes-validations").forEach(n -> ((ObjectNode) n).remove("x-kubernetes-validations"));
    return copy;
  }

  private static Optional<JSONSchemaProps> schemaOf(CustomResourceDefinition crd, String version) {
    return crd.getSpec().getVersions().stream().filter(v -> v.getName().equals(version)).findFirst()
        .map(CustomResourceDefinitionVersion::getSchema).map(s -> s.getOpenAPIV3Schema());
  }

  private static JsonNode admitCustomResource(JsonNode object, JsonNode old, JSONSchemaProps schema, String kind,
      String group) throws Refusal {
    ObjectNode pruned = object.deepCopy();
    // metadata, apiVersion and kind are the server's own; everything else is pruned to the schema
    for (String field : List.of("spec", "status")) {
      if (pruned.has(field) && schema.getProperties() != null && schema.getProperties().containsKey(field)) {
        StructuralSchema.prune(pruned.get(field), schema.getProperties().get(field));
      }
    }
    pruned.retain(retained(schema));
    List<StatusCause> causes = new ArrayList<>();
    for (Problem p : StructuralSchema.validate(pruned, schema, "")) {
      causes.add(Refusal.cause(p.field(), p.message()));
    }
    if (causes.isEmpty()) {
      for (CelRules.Violation v : CelRules.evaluate(schema, pruned, old, "")) {
        causes.add(Refusal.cause(v.field(), "Invalid value: \"object\": " + v.message()));
      }
    }
    if (!causes.isEmpty()) {
      throw new Refusal(kind, group, pruned.path("metadata").path("name").asText(""), causes);
    }
    return pruned;
  }

  private static List<String> retained(JSONSchemaProps schema) {
    List<String> fields = new ArrayList<>(List.of("apiVersion", "kind", "metadata"));
    if (schema.getProperties() != null) {
      fields.addAll(schema.getProperties().keySet());
    }
    return fields;
  }

  private static void checkCostBudget(CustomResourceDefinition crd) throws Refusal {
    List<StatusCause> causes = new ArrayList<>();
    for (CustomResourceDefinitionVersion version : crd.getSpec().getVersions()) {
      if (version.getSchema() == null || version.getSchema().getOpenAPIV3Schema() == null) {
        continue;
      }
      String at = "spec.validation.openAPIV3Schema";
      List<CrdCostBudget.RuleCost> rules;
      try {
        rules = CrdCostBudget.rules(version.getSchema().getOpenAPIV3Schema());
      } catch (Exception e) {
        causes.add(Refusal.cause(at, "Invalid value: compilation failed: " + e.getMessage()));
        continue;
      }
      for (CrdCostBudget.RuleCost rule : rules) {
        if (rule.total() > CrdCostBudget.RULE_LIMIT) {
          causes.add(Refusal.cause(rule.location().replace("openAPIV3Schema", at) + ".x-kubernetes-validations",
              "Forbidden: estimated rule cost exceeds budget by factor of "
                  + CrdCostBudget.factor(rule.total(), CrdCostBudget.RULE_LIMIT)));
        }
      }
      long total = CrdCostBudget.total(rules);
      if (total > CrdCostBudget.CRD_LIMIT) {
        causes.add(Refusal.cause(at, "Forbidden: x-kubernetes-validations estimated rule cost total for entire "
            + "OpenAPIv3 schema exceeds budget by factor of " + CrdCostBudget.factor(total, CrdCostBudget.CRD_LIMIT)));
      }
    }
    if (!causes.isEmpty()) {
      throw new Refusal("CustomResourceDefinition", "apiextensions.k8s.io", crd.getMetadata().getName(), causes);
    }
  }
}
