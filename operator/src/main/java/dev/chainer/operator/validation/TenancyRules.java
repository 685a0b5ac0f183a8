package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.DataReference;
import dev.chainer.operator.api.DataStore;
import dev.chainer.operator.api.ImageRegistryDetails;
import dev.chainer.operator.api.PodSettings;
import dev.chainer.operator.api.VmPriority;
import dev.chainer.operator.config.NamespacePolicy;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.spec.JobContext;
import java.util.List;
import java.util.Map;

/**
 * What the operator's namespacePolicies allow the jobs of a namespace: service accounts, priority classes, node
 * labels, Secrets. Without them, creating a ChainerJob is like creating pods in its namespace (any service account,
 * any Secret there); these rules let a platform team narrow that for users who may create ChainerJobs but not pods.
 * Each problem names the spec field, the namespace and what its policy allows.
 */
final class TenancyRules {
  /** The service account a pod that names none runs as (the ServiceAccount admission plugin fills it in). */
  static final String DEFAULT_SERVICE_ACCOUNT = "default";

  private TenancyRules() {}

  static void check(JobContext context, List<Problem> out) {
    String namespace = context.names().namespace();
    NamespacePolicy policy = context.config().getNamespacePolicies().forNamespace(namespace);
    Refusals refuse = new Refusals(namespace, out);
    ChainerJobSpec spec = context.spec();
    // A single-process job has no workers: their settings make no pod.
    for (String role : context.effective().mpi() ? List.of("launcher", "worker") : List.of("launcher")) {
      PodSettings pod = role(spec, role);
      String field = "spec.kubernetes." + role;
      checkServiceAccount(policy, pod.getServiceAccountName(), field + ".serviceAccountName", refuse);
      checkPriorityClass(policy, pod.getPriorityClassName(), field + ".priorityClassName", refuse);
      if (pod.getNodeSelector() != null) {
        pod.getNodeSelector().forEach((key, value) ->
            checkNodeLabel(policy, key, value, field + ".nodeSelector[" + key + "]", refuse));
      }
    }
    if (spec.getRunPolicy() != null && spec.getRunPolicy().getSchedulingPolicy() != null) {
      checkPriorityClass(policy, spec.getRunPolicy().getSchedulingPolicy().getPriorityClassName(),
          "spec.runPolicy.schedulingPolicy.priorityClassName", refuse);
    }
    checkPlacement(spec, context.config(), policy, refuse);
    checkSecrets(spec, policy, refuse);
  }

  private static PodSettings role(ChainerJobSpec spec, String role) {
    PodSettings pod = spec.getKubernetes() == null ? null
        : role.equals("launcher") ? spec.getKubernetes().getLauncher() : spec.getKubernetes().getWorker();
    return pod == null ? new PodSettings() : pod;
  }

  private static void checkServiceAccount(NamespacePolicy policy, String name, String field, Refusals refuse) {
    List<String> allowed = policy.getServiceAccounts();
    String effective = name == null || name.isEmpty() ? DEFAULT_SERVICE_ACCOUNT : name;
    if (allowed != null && !allowed.contains(effective)) {
      refuse.add(field, (effective.equals(name) ? "'" + name + "' is not a service account"
          : "is not set, so the pods would run as service account 'default', which is not one") + " that jobs in "
          + refuse.where() + " may run as (namespacePolicies serviceAccounts: " + list(allowed) + ")");
    }
  }

  private static void checkPriorityClass(NamespacePolicy policy, String name, String field, Refusals refuse) {
    List<String> allowed = policy.getPriorityClasses();
    if (name != null && !name.isEmpty() && allowed != null && !allowed.contains(name)) {
      refuse.add(field, "'" + name + "' is not a priority class that jobs in " + refuse.where()
          + " may use (namespacePolicies priorityClasses: " + list(allowed) + ")");
    }
  }

  /** The node labels the estimator's placement fields select, as PodPlacement renders them. */
  private static void checkPlacement(ChainerJobSpec spec, OperatorConfig config, NamespacePolicy policy,
      Refusals refuse) {
    String target = spec.getComputeTarget();
    if (target != null && !target.isEmpty() && !target.equals("local")) {
      checkNodeLabel(policy, config.getComputeTargetNodeLabel(), target, "spec.computeTarget", refuse);
    }
    if (spec.getVmSize() != null && !spec.getVmSize().isEmpty()) {
      checkNodeLabel(policy, config.getVmSizeNodeLabel(), spec.getVmSize(), "spec.vmSize", refuse);
    }
    if (spec.getVmPriority() == VmPriority.LOW_PRIORITY) {
      config.getLowPriorityNodeSelector().forEach((key, value) ->
          checkNodeLabel(policy, key, value, "spec.vmPriority", refuse));
    }
  }

  private static void checkNodeLabel(NamespacePolicy policy, String key, String value, String field,
      Refusals refuse) {
    if (policy.allowsNodeLabel(key, value)) {
      return;
    }
    List<String> values = policy.getNodeSelectors().get(key);
    refuse.add(field, "selects nodes labelled " + key + "=" + value + ", which jobs in " + refuse.where() + " may not "
        + "(namespacePolicies nodeSelectors: " + (values == null ? "the label " + key + " is not allowed; allowed "
        + "labels: " + list(List.copyOf(policy.getNodeSelectors().keySet())) : key + " may be " + list(values)) + ")");
  }

  private static void checkSecrets(ChainerJobSpec spec, NamespacePolicy policy, Refusals refuse) {
    if (!policy.isOperatorReadsSecrets()) {
      checkRegistry(spec.getImageRegistryDetails(), "spec.imageRegistryDetails", refuse);
      if (spec.getEnvironmentDefinition() != null && spec.getEnvironmentDefinition().getDocker() != null) {
        checkRegistry(spec.getEnvironmentDefinition().getDocker().getImageRegistryDetails(),
            "spec.environmentDefinition.docker.imageRegistryDetails", refuse);
      }
    }
    if (!policy.isSecretDataStores()) {
      List<DataReference> inputs = spec.getInputs() == null ? List.of() : spec.getInputs();
      for (DataReference input : inputs) {
        checkStore(input == null ? null : input.getDataStore(),
            "spec.inputs[" + (input == null ? "" : input.getName()) + "].dataStore", refuse);
      }
      if (spec.getResumeFrom() != null) {
        checkStore(spec.getResumeFrom().getDataStore(), "spec.resumeFrom.dataStore", refuse);
      }
      checkStore(spec.getSourceDirectoryDataStore(), "spec.sourceDirectoryDataStore", refuse);
    }
  }

  private static void checkRegistry(ImageRegistryDetails registry, String field, Refusals refuse) {
    if (registry != null && registry.getPasswordSecretRef() != null) {
      refuse.add(field + ".passwordSecretRef", "asks the operator to read a Secret for the job, which it does not "
          + "for jobs in " + refuse.where() + " (namespacePolicies operatorReadsSecrets: false): name an existing "
          + "kubernetes.io/dockerconfigjson Secret in pullSecretName instead");
    }
  }

  private static void checkStore(DataStore store, String field, Refusals refuse) {
    if (store != null && store.getSecret() != null) {
      refuse.add(field + ".secret", "mounts the Secret '" + store.getSecret() + "', and jobs in " + refuse.where()
          + " may not mount Secrets as data (namespacePolicies secretDataStores: false): use a "
          + "persistentVolumeClaim or configMap");
    }
  }

  private static String list(List<String> values) {
    return values.isEmpty() ? "none" : String.join(", ", values);
  }

  /** The job's namespace, which every refusal names, and where refusals go. */
  private record Refusals(String namespace, List<Problem> out) {
    String where() {
      return "namespace " + namespace;
    }

    void add(String field, String message) {
      out.add(Problem.error(field, message));
    }
  }
}
