package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.PodSettings;
import dev.chainer.operator.api.SchedulingPolicy;
import dev.chainer.operator.config.GangScheduler;
import dev.chainer.operator.kueue.Kueue;
import dev.chainer.operator.spec.EffectiveSpec;
import dev.chainer.operator.spec.JobContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Names that queues and schedulers resolve, checked as the servers that take them would, so that a job they would
 * refuse (after the operator created its Workload or PodGroup, or never, leaving it waiting) is refused at the door:
 *
 * <ul>
 *   <li>the Kueue labels: {@code kueue.x-k8s.io/queue-name} becomes the Workload's {@code spec.queueName}, a
 *       LocalQueue's name, and Kueue's job webhook checks the label as a DNS-1123 subdomain; {@code
 *       kueue.x-k8s.io/priority-class} names a WorkloadPriorityClass (an object: a DNS-1123 subdomain). As label
 *       values they are also at most 63 characters. A key that is almost one of them is a job Kueue never sees:
 *       it would run past the quota;</li>
 *   <li>PriorityClass names (the pods' {@code priorityClassName}, Volcano's PodGroup {@code priorityClassName}): an
 *       object's name, a DNS-1123 subdomain of at most 253 characters, and never a {@code system-} name other than
 *       the two Kubernetes has; Volcano's {@code queue}: a Queue object's name, a DNS-1123 subdomain;</li>
 *   <li>the gang: {@code runPolicy.schedulingPolicy} only means something to a configured gang scheduler, for the
 *       workers of an MPI job, and {@code minAvailable} cannot exceed them.</li>
 * </ul>
 */
final class QueueRules {
  /** A label value names at most 63 characters. */
  static final int MAX_LABEL_VALUE = 63;
  static final int MAX_OBJECT_NAME = 253;
  private static final Set<String> SYSTEM_PRIORITY_CLASSES = Set.of("system-cluster-critical", "system-node-critical");
  private static final String SUBDOMAIN_RULE = "a lowercase RFC 1123 subdomain (lower-case letters, digits, '-' and "
      + "'.', starting and ending with a letter or digit)";
  /** The Kueue label keys the operator reads, by what is left of them without case, punctuation and domain. */
  private static final Map<String, String> KUEUE_KEYS = Map.of(
      "queuename", Kueue.QUEUE_NAME, "queue", Kueue.QUEUE_NAME, "localqueue", Kueue.QUEUE_NAME,
      "localqueuename", Kueue.QUEUE_NAME,
      "priorityclass", Kueue.PRIORITY_CLASS, "priorityclassname", Kueue.PRIORITY_CLASS,
      "workloadpriorityclass", Kueue.PRIORITY_CLASS, "priority", Kueue.PRIORITY_CLASS);

  private QueueRules() {}

  /** The job's own labels and annotations: Kueue's keys spelt right, their values names Kueue takes. */
  static void checkMetadata(ChainerJob job, List<Problem> out) {
    if (job.getMetadata() == null) {
      return;
    }
    Map<String, String> labels = job.getMetadata().getLabels();
    if (labels != null) {
      for (Map.Entry<String, String> label : labels.entrySet()) {
        String field = "metadata.labels[" + label.getKey() + "]";
        if (label.getKey().equals(Kueue.QUEUE_NAME)) {
          kueueName(label.getValue(), field, "the LocalQueue it names (the Workload's spec.queueName)", out);
        } else if (label.getKey().equals(Kueue.PRIORITY_CLASS)) {
          kueueName(label.getValue(), field, "the WorkloadPriorityClass it names", out);
        } else {
          misspelt(label.getKey(), field, out);
        }
      }
    }
    Map<String, String> annotations = job.getMetadata().getAnnotations();
    if (annotations != null) {
      for (String key : annotations.keySet()) {
        String meant = key.equals(Kueue.QUEUE_NAME) || key.equals(Kueue.PRIORITY_CLASS) ? key : kueueKey(key);
        if (meant != null) {
          out.add(Problem.error("metadata.annotations[" + key + "]", "the operator reads Kueue's settings from the "
              + "job's labels only: as an annotation it is ignored and the job runs without waiting for Kueue; use "
              + "the label " + meant));
        }
      }
    }
  }

  /** The pods' PriorityClasses and Kueue labels, and the gang's settings. */
  static void checkSpec(JobContext context, List<Problem> out) {
    ChainerJobSpec spec = context.spec();
    String namespace = context.job().getMetadata() == null ? null : context.job().getMetadata().getNamespace();
    if (spec.getKubernetes() != null) {
      for (String role : List.of("launcher", "worker")) {
        PodSettings pod = role.equals("launcher") ? spec.getKubernetes().getLauncher()
            : spec.getKubernetes().getWorker();
        checkPod(pod, "spec.kubernetes." + role, namespace, out);
        checkScheduler(pod, "spec.kubernetes." + role, context, out);
      }
    }
    SchedulingPolicy policy = spec.getRunPolicy() == null ? null : spec.getRunPolicy().getSchedulingPolicy();
    if (policy != null) {
      checkGang(policy, context.effective(), context.config().getGangScheduler(), namespace, out);
    }
  }

  private static void checkPod(PodSettings pod, String field, String namespace, List<Problem> out) {
    if (pod == null) {
      return;
    }
    priorityClass(pod.getPriorityClassName(), field + ".priorityClassName", out);
    systemPriorityClass(pod.getPriorityClassName(), field + ".priorityClassName", namespace, out);
    if (pod.getLabels() != null) {
      for (String key : pod.getLabels().keySet()) {
        String meant = key.equals(Kueue.QUEUE_NAME) || key.equals(Kueue.PRIORITY_CLASS) ? key : kueueKey(key);
        if (meant != null) {
          out.add(Problem.error(field + ".labels[" + key + "]", "Kueue's labels belong on the ChainerJob "
              + "(metadata.labels[" + meant + "]), which the operator turns into one Workload for the whole job; on "
              + "the pods they would make Kueue queue each pod on its own, or be ignored"));
        }
      }
    }
  }

  /**
   * The pods of an MPI job go to the configured gang scheduler, unless they name a scheduler: then they skip their
   * PodGroup, and the gang (and a Volcano queue's quota) is bypassed.
   */
  private static void checkScheduler(PodSettings pod, String field, JobContext context, List<Problem> out) {
    GangScheduler gang = context.config().getGangScheduler();
    String name = pod == null ? null : pod.getSchedulerName();
    if (name == null || gang == null || gang == GangScheduler.NONE || !context.effective().mpi()) {
      return;
    }
    String gangName = context.config().gangSchedulerNameOrDefault();
    if (!name.equals(gangName)) {
      out.add(Problem.error(field + ".schedulerName", "names the scheduler " + shown(name) + ", but the operator "
          + "hands an MPI job's pods to its gang scheduler (" + gangName + "): with another scheduler they would "
          + "skip their PodGroup and be placed one by one, past the gang and its queue; leave schedulerName out"));
    }
  }

  /**
   * The two system PriorityClasses are for kube-system's pods: kube-apiserver limits them there by default (the
   * Priority admission plugin refused them elsewhere up to 1.16; since 1.17 its default ResourceQuota admission
   * configuration makes them a limited resource, so a pod elsewhere is refused unless an administrator granted a
   * quota for them), and a training job that outranks the cluster's own components could evict them.
   */
  private static void systemPriorityClass(String name, String field, String namespace, List<Problem> out) {
    if (name != null && SYSTEM_PRIORITY_CLASSES.contains(name) && !"kube-system".equals(namespace)) {
      out.add(Problem.error(field, "names " + name + ", which Kubernetes keeps for the pods of kube-system (the "
          + "job's namespace is " + (namespace == null ? "not given" : namespace) + "): the pods would be refused, "
          + "or outrank the cluster's own components; use a PriorityClass of your own"));
    }
  }

  private static void checkGang(SchedulingPolicy policy, EffectiveSpec effective, GangScheduler gang,
      String namespace, List<Problem> out) {
    String field = "spec.runPolicy.schedulingPolicy";
    List<String> set = new ArrayList<>();
    if (policy.getMinAvailable() != null) {
      set.add("minAvailable");
    }
    if (policy.getQueue() != null) {
      set.add("queue");
      if (!isSubdomain(policy.getQueue(), MAX_OBJECT_NAME)) {
        out.add(Problem.error(field + ".queue", "must name a Volcano Queue, whose name is " + SUBDOMAIN_RULE
            + " of at most " + MAX_OBJECT_NAME + " characters (leave it out for Volcano's default queue), got "
            + shown(policy.getQueue())));
      }
    }
    if (policy.getPriorityClassName() != null) {
      set.add("priorityClassName");
      priorityClass(policy.getPriorityClassName(), field + ".priorityClassName", out);
      systemPriorityClass(policy.getPriorityClassName(), field + ".priorityClassName",
          namespace, out);
    }
    if (policy.getScheduleTimeoutSeconds() != null) {
      set.add("scheduleTimeoutSeconds");
    }
    if (set.isEmpty()) {
      return;
    }
    if (gang == null || gang == GangScheduler.NONE) {
      out.add(Problem.error(field, "sets " + String.join(", ", set) + ", but the operator has no gang scheduler "
          + "(its configuration says gangScheduler: none): no PodGroup would be made and the workers would be "
          + "scheduled one by one; the operator needs gangScheduler: volcano or scheduler-plugins, or the job none "
          + "of these settings"));
      return;
    }
    if (!effective.mpi()) {
      out.add(Problem.error(field, "sets " + String.join(", ", set) + ", but a single-process job (one node, one "
          + "process, no distributedTraining) has no workers to schedule as a gang"));
      return;
    }
    if (policy.getMinAvailable() != null && policy.getMinAvailable() > effective.nodeCount()) {
      out.add(Problem.error(field + ".minAvailable", "must be at most the job's worker pods (nodeCount, "
          + effective.nodeCount() + "), got " + policy.getMinAvailable() + ": the gang would wait for workers that "
          + "never exist"));
    }
    if (gang == GangScheduler.SCHEDULER_PLUGINS) {
      for (String volcanoOnly : List.of("queue", "priorityClassName")) {
        if (set.contains(volcanoOnly)) {
          out.add(Problem.advice(field + "." + volcanoOnly, "SettingIgnored", "is Volcano's; the coscheduling "
              + "plugin's PodGroup (gangScheduler: scheduler-plugins) has no such field, so it is ignored"));
        }
      }
    } else if (gang == GangScheduler.VOLCANO && set.contains("scheduleTimeoutSeconds")) {
      out.add(Problem.advice(field + ".scheduleTimeoutSeconds", "SettingIgnored", "is the coscheduling plugin's; "
          + "Volcano's PodGroup (gangScheduler: volcano) has no such field, so it is ignored"));
    }
  }

  /** A Kueue label's value: a label value (at most 63 characters) that is a DNS-1123 subdomain, as Kueue checks. */
  private static void kueueName(String value, String field, String what, List<Problem> out) {
    if (!isSubdomain(value, MAX_LABEL_VALUE)) {
      out.add(Problem.error(field, "must be " + SUBDOMAIN_RULE + " of at most " + MAX_LABEL_VALUE + " characters, "
          + "as Kueue requires of " + what + ", got " + shown(value)));
    }
  }

  /** An empty name is no class, to Kubernetes as to Volcano. */
  private static void priorityClass(String name, String field, List<Problem> out) {
    if (name == null || name.isEmpty()) {
      return;
    }
    if (!isSubdomain(name, MAX_OBJECT_NAME)) {
      out.add(Problem.error(field, "must name a PriorityClass, whose name is " + SUBDOMAIN_RULE + " of at most "
          + MAX_OBJECT_NAME + " characters, got " + shown(name)));
    } else if (name.startsWith("system-") && !SYSTEM_PRIORITY_CLASSES.contains(name)) {
      out.add(Problem.error(field, "names no PriorityClass there can be: the prefix 'system-' is reserved for "
          + String.join(" and ", SYSTEM_PRIORITY_CLASSES.stream().sorted().toList()) + ", got " + shown(name)));
    }
  }

  private static void misspelt(String key, String field, List<Problem> out) {
    String meant = kueueKey(key);
    if (meant != null) {
      out.add(Problem.error(field, "is not a label Kueue or the operator reads, so the job would run without "
          + "waiting for Kueue's admission (past its quota); did you mean " + meant + "?"));
    }
  }

  /**
   * The Kueue label a key almost is, or null: a key (other than Kueue's own) whose domain mentions kueue, or which has
   * no domain and starts with kueue, and whose name, without case and punctuation ('-', '_', '.'), is one that Kueue's
   * labels are known by: another case, '_' or '.' or nothing for '-', another Kueue domain, a shorter name.
   */
  static String kueueKey(String key) {
    if (key == null || key.equals(Kueue.QUEUE_NAME) || key.equals(Kueue.PRIORITY_CLASS)) {
      return null;
    }
    int slash = key.lastIndexOf('/');
    String domain = slash < 0 ? "" : key.substring(0, slash).toLowerCase(Locale.ROOT);
    String name = key.substring(slash + 1).toLowerCase(Locale.ROOT).replaceAll("[-_.\\s]", "");
    if (slash < 0 && name.startsWith("kueue")) {
      return KUEUE_KEYS.get(name.substring("kueue".length()));
    }
    return domain.contains("kueue") ? KUEUE_KEYS.get(name) : null;
  }

  private static boolean isSubdomain(String s, int max) {
    return s != null && s.length() <= max && ObjectRules.isDnsSubdomain(s);
  }

  /** The value as a message can show it: quoted, with its length, control characters escaped. */
  static String shown(String value) {
    if (value == null) {
      return "none";
    }
    if (value.isEmpty()) {
      return "'' (empty)";
    }
    StringBuilder out = new StringBuilder("'");
    value.codePoints().forEach(c -> {
      if (Character.isISOControl(c) || c == 0x2028 || c == 0x2029) {
        out.append(String.format("\\u%04x", c));
      } else {
        out.appendCodePoint(c);
      }
    });
    return out.append("' (").append(value.length()).append(" characters)").toString();
  }
}
