package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.PodSettings;
import dev.chainer.operator.api.ShmSize;
import dev.chainer.operator.spec.EffectiveSpec;
import dev.chainer.operator.spec.JobContext;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;

/**
 * Rules for what the job's pods ask of a node: GPUs and other extended resources in whole units (Kubernetes refuses
 * the pod otherwise), no GPU on an MPI launcher (it only runs mpirun, with the GPU
 * runtime turned off), and a /dev/shm that fits the training pod's memory limit and any node.
 */
final class ResourceRules {
  /** No node has a pebibyte of memory: a larger /dev/shm is a slip of the unit (exabytes), not a size. */
  static final BigInteger MAX_SHM = BigInteger.ONE.shiftLeft(50);
  private static final String LAUNCHER = "spec.kubernetes.launcher";
  private static final String WORKER = "spec.kubernetes.worker";

  private ResourceRules() {}

  static void check(JobContext context, List<Problem> out) {
    ChainerJobSpec spec = context.spec();
    PodSettings launcher = spec.getKubernetes() == null ? null : spec.getKubernetes().getLauncher();
    PodSettings worker = spec.getKubernetes() == null ? null : spec.getKubernetes().getWorker();
    checkExtended(launcher, LAUNCHER, out);
    checkExtended(worker, WORKER, out);
    EffectiveSpec effective = context.effective();
    String gpu = context.config().getGpuResourceName();
    if (effective.mpi() && launcher != null && launcher.getResources() != null) {
      for (String kind : List.of("limits", "requests")) {
        Map<String, Quantity> amounts = "limits".equals(kind) ? launcher.getResources().getLimits()
            : launcher.getResources().getRequests();
        if (amounts != null && amounts.containsKey(gpu)) {
          out.add(Problem.error(LAUNCHER + ".resources." + kind + "[" + gpu + "]", "asks for GPUs on the launcher of "
              + "an MPI job, which only runs mpirun (the operator turns the GPU runtime off there): the GPUs would "
              + "sit idle; set GPUs on " + WORKER + ".resources instead"));
        }
      }
    }
    checkShm(spec, effective.mpi() ? worker : launcher, effective.mpi() ? WORKER : LAUNCHER, out);
  }

  /**
   * Kubernetes' rule for extended resources (a name with a domain outside kubernetes.io, such as nvidia.com/gpu): a
   * whole number (its IsIntegerResourceName check). That a request equals its limit is ObjectRules' (the pod's).
   */
  private static void checkExtended(PodSettings pod, String field, List<Problem> out) {
    if (pod == null || pod.getResources() == null) {
      return;
    }
    Map<String, Quantity> limits = pod.getResources().getLimits() == null ? Map.of() : pod.getResources().getLimits();
    Map<String, Quantity> requests = pod.getResources().getRequests() == null ? Map.of()
        : pod.getResources().getRequests();
    for (String kind : List.of("limits", "requests")) {
      ("limits".equals(kind) ? limits : requests).forEach((name, quantity) -> {
        BigDecimal amount = amount(quantity);
        if (!isExtended(name) || amount == null) {
          return;
        }
        if (amount.stripTrailingZeros().scale() > 0) {
          out.add(Problem.error(field + ".resources." + kind + "[" + name + "]", "'" + text(quantity) + "' must be "
              + "an integer: " + name + " is an extended resource, counted in whole devices"));
        }
      });
    }
  }

  private static void checkShm(ChainerJobSpec spec, PodSettings training, String trainingField, List<Problem> out) {
    boolean inDefinition = spec.getEnvironmentDefinition() != null;
    String size = inDefinition ? spec.getEnvironmentDefinition().getDocker() == null ? null
        : spec.getEnvironmentDefinition().getDocker().getShmSize() : spec.getShmSize();
    if (size == null || !ShmSize.isValid(size)) {
      return;
    }
    String field = inDefinition ? "spec.environmentDefinition.docker.shmSize" : "spec.shmSize";
    BigInteger bytes = ShmSize.bytes(size);
    if (bytes.signum() == 0) {
      out.add(Problem.error(field, "'" + size + "' is no memory: a memory-backed /dev/shm of size 0 would be "
          + "limited by nothing"));
    } else if (bytes.compareTo(MAX_SHM) > 0) {
      out.add(Problem.error(field, "'" + size + "' (" + bytes + " bytes) is more memory than any node has (at most "
          + "1Pi): check the unit"));
    } else {
      BigDecimal memory = training == null || training.getResources() == null
          || training.getResources().getLimits() == null ? null
          : amount(training.getResources().getLimits().get("memory"));
      if (memory != null && new BigDecimal(bytes).compareTo(memory) > 0) {
        out.add(Problem.error(field, "'" + size + "' (" + bytes + " bytes) is more than the training pod's memory "
            + "limit " + trainingField + ".resources.limits[memory] (" + text(training.getResources().getLimits()
            .get("memory")) + "): /dev/shm is memory and counts against it; lower one or raise the other"));
      }
    }
  }

  /** Kubernetes' IsExtendedResourceName: a qualified name with a domain that is not kubernetes.io's. */
  private static boolean isExtended(String name) {
    return name.contains("/") && !name.contains("kubernetes.io/") && !name.startsWith("requests.");
  }

  /** The quantity's amount, or null when it is not a quantity (refused by KubernetesRules). */
  private static BigDecimal amount(Quantity quantity) {
    String text = quantity == null ? null : text(quantity);
    return Rules.isQuantity(text) ? Quantity.getAmountInBytes(quantity) : null;
  }

  private static String text(Quantity quantity) {
    return (quantity.getAmount() == null ? "" : quantity.getAmount())
        + (quantity.getFormat() == null ? "" : quantity.getFormat());
  }
}
