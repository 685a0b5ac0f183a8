package dev.chainer.operator.validation;

import static dev.chainer.operator.testing.TestJobs.minimal;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.config.GangScheduler;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.kueue.Kueue;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Names that Kueue, Volcano and Kubernetes resolve, refused at the door when those servers would refuse them (or
 * never find what they name), each problem naming the field (the label key for labels) and the rule; and the gang's
 * settings where no gang can use them.
 */
class QueueRulesTest {
  private static final String SUBDOMAIN = "a lowercase RFC 1123 subdomain (lower-case letters, digits, '-' and '.', "
      + "starting and ending with a letter or digit)";
  private static final String QUEUE_FIELD = "metadata.labels[" + Kueue.QUEUE_NAME + "]";
  private static final String PRIORITY_FIELD = "metadata.labels[" + Kueue.PRIORITY_CLASS + "]";
  private static final String POLICY = "spec.runPolicy.schedulingPolicy";

  /** An operator that speaks Kueue and Volcano: only the rules under test can object. */
  private static OperatorConfig config(GangScheduler gang) {
    OperatorConfig config = OperatorConfig.defaults();
    config.setKueueIntegration(true);
    config.setGangScheduler(gang);
    return config;
  }

  private static ChainerJob labelled(Map<String, String> labels) {
    ChainerJob job = mpi("userManaged: true\n");
    job.getMetadata().setLabels(labels);
    return job;
  }

  private static List<Problem> errors(ChainerJob job, OperatorConfig config) {
    return SpecValidator.validate(job, config).stream().filter(Problem::isError).toList();
  }

  /** Exactly one error, at the field, saying every part of the rule. */
  private static void assertRefused(List<Problem> errors, String field, String... rule) {
    assertEquals(1, errors.size(), errors.toString());
    Problem p = errors.get(0);
    assertEquals(field, p.field(), p.toString());
    for (String part : rule) {
      assertTrue(p.message().contains(part), "'" + part + "' in: " + p.message());
    }
  }

  static Stream<Arguments> badKueueNames() {
    return Stream.of(
        Arguments.of("upper case", "Team-A", "'Team-A' (6 characters)"),
        Arguments.of("all upper case", "RESEARCH", "'RESEARCH'"),
        Arguments.of("underscore (a valid label value)", "team_a", "'team_a'"),
        Arguments.of("space", "team a", "'team a'"),
        Arguments.of("empty", "", "'' (empty)"),
        Arguments.of("longer than a label value", "q".repeat(64), "'" + "q".repeat(64) + "' (64 characters)"),
        Arguments.of("trailing '-'", "team-a-", "'team-a-'"),
        Arguments.of("leading '-'", "-team-a", "'-team-a'"),
        Arguments.of("trailing '.'", "team.", "'team.'"),
        Arguments.of("empty part", "team..a", "'team..a'"),
        Arguments.of("NUL", "team\0a", "'team\\u0000a'"),
        Arguments.of("tab", "team\ta", "'team\\u0009a'"),
        Arguments.of("newline", "team-a\n", "'team-a\\u000a'"),
        Arguments.of("DEL", "team\u007fa", "'team\\u007fa'"),
        Arguments.of("non-ASCII letter", "équipe", "'équipe'"));
  }

  @ParameterizedTest(name = "queue-name {0}")
  @MethodSource("badKueueNames")
  void queueNameKueueWouldRefuse(String name, String value, String shown) {
    assertRefused(errors(labelled(Map.of(Kueue.QUEUE_NAME, value)), config(GangScheduler.NONE)), QUEUE_FIELD,
        SUBDOMAIN, "of at most 63 characters", "LocalQueue", "Workload's spec.queueName", "got " + shown);
  }

  @ParameterizedTest(name = "priority-class {0}")
  @MethodSource("badKueueNames")
  void workloadPriorityClassKueueWouldRefuse(String name, String value, String shown) {
    assertRefused(errors(labelled(Map.of(Kueue.QUEUE_NAME, "team-a", Kueue.PRIORITY_CLASS, value)),
        config(GangScheduler.NONE)), PRIORITY_FIELD, SUBDOMAIN, "of at most 63 characters", "WorkloadPriorityClass",
        "got " + shown);
  }

  @ParameterizedTest
  @ValueSource(strings = {"team-a", "research", "a", "q1", "team.a", "0-gpu-pool", "high-priority"})
  void kueueNamesKueueTakes(String name) {
    assertEquals(List.of(), errors(labelled(Map.of(Kueue.QUEUE_NAME, name, Kueue.PRIORITY_CLASS, name)),
        config(GangScheduler.NONE)));
    String longest = "q".repeat(63);
    assertEquals(List.of(), errors(labelled(Map.of(Kueue.QUEUE_NAME, longest)), config(GangScheduler.NONE)));
  }

  static Stream<Arguments> misspeltKueueKeys() {
    return Stream.of(
        Arguments.of("kueue.x-k8s.io/queuename", Kueue.QUEUE_NAME),
        Arguments.of("kueue.x-k8s.io/queue", Kueue.QUEUE_NAME),
        Arguments.of("kueue.x-k8s.io/queue_name", Kueue.QUEUE_NAME),
        Arguments.of("kueue.x-k8s.io/queue.name", Kueue.QUEUE_NAME),
        Arguments.of("kueue.x-k8s.io/Queue-Name", Kueue.QUEUE_NAME),
        Arguments.of("kueue.x-k8s.io/QUEUE-NAME", Kueue.QUEUE_NAME),
        Arguments.of("kueue.x-k8s.io/queueName", Kueue.QUEUE_NAME),
        Arguments.of("kueue.x-k8s.io/local-queue", Kueue.QUEUE_NAME),
        Arguments.of("kueue.k8s.io/queue-name", Kueue.QUEUE_NAME),
        Arguments.of("kueue.sigs.k8s.io/queue-name", Kueue.QUEUE_NAME),
        Arguments.of("Kueue.x-k8s.io/queue-name", Kueue.QUEUE_NAME),
        Arguments.of("kueue-queue-name", Kueue.QUEUE_NAME),
        Arguments.of("kueue.x-k8s.io/priorityclass", Kueue.PRIORITY_CLASS),
        Arguments.of("kueue.x-k8s.io/priority_class", Kueue.PRIORITY_CLASS),
        Arguments.of("kueue.x-k8s.io/priority-class-name", Kueue.PRIORITY_CLASS),
        Arguments.of("kueue.x-k8s.io/workload-priority-class", Kueue.PRIORITY_CLASS),
        Arguments.of("kueue.k8s.io/priority-class", Kueue.PRIORITY_CLASS));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("misspeltKueueKeys")
  void misspeltKueueLabelIsRefusedWithTheRightKey(String key, String meant) {
    assertRefused(errors(labelled(Map.of(key, "team-a")), config(GangScheduler.NONE)), "metadata.labels[" + key + "]",
        "without waiting for Kueue's admission", "did you mean " + meant + "?");
  }

  @ParameterizedTest
  @ValueSource(strings = {"kueue.x-k8s.io/max-exec-time-seconds", "app.kubernetes.io/name", "queue-name",
      "example.com/queue", "team", "kueue.x-k8s.io/managed"})
  void otherLabelsAreNotKueueMisspellings(String key) {
    assertEquals(List.of(), errors(labelled(Map.of(key, "x")), config(GangScheduler.NONE)));
  }

  @Test
  void kueueSettingAsAnAnnotationIsRefused() {
    ChainerJob job = mpi("userManaged: true\n");
    job.getMetadata().setAnnotations(Map.of(Kueue.QUEUE_NAME, "team-a"));
    assertRefused(errors(job, config(GangScheduler.NONE)), "metadata.annotations[" + Kueue.QUEUE_NAME + "]",
        "from the job's labels only", "use the label " + Kueue.QUEUE_NAME);
  }

  @ParameterizedTest
  @ValueSource(strings = {"launcher", "worker"})
  void kueueLabelOnThePodsIsRefused(String role) {
    ChainerJob job = mpi("userManaged: true\nkubernetes:\n  " + role + ":\n    labels:\n      "
        + Kueue.QUEUE_NAME + ": team-a\n");
    assertRefused(errors(job, config(GangScheduler.NONE)), "spec.kubernetes." + role + ".labels[" + Kueue.QUEUE_NAME
        + "]", "belong on the ChainerJob (metadata.labels[" + Kueue.QUEUE_NAME + "])");
  }

  static Stream<Arguments> badPriorityClasses() {
    return Stream.of(
        Arguments.of("upper case", "High", "'High'"),
        Arguments.of("space", "high priority", "'high priority'"),
        Arguments.of("underscore", "high_priority", "'high_priority'"),
        Arguments.of("trailing '-'", "high-", "'high-'"),
        Arguments.of("longer than a name", "p".repeat(254), "'" + "p".repeat(254) + "' (254 characters)"),
        Arguments.of("NUL", "high\0", "'high\\u0000'"),
        Arguments.of("newline", "high\n", "'high\\u000a'"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPriorityClasses")
  void podPriorityClassKubernetesWouldRefuse(String name, String value, String shown) {
    for (String role : List.of("launcher", "worker")) {
      ChainerJob job = mpi("userManaged: true\n");
      job.getSpec().setKubernetes(new dev.chainer.operator.api.KubernetesSettings());
      var pod = new dev.chainer.operator.api.PodSettings();
      pod.setPriorityClassName(value);
      if (role.equals("launcher")) {
        job.getSpec().getKubernetes().setLauncher(pod);
      } else {
        job.getSpec().getKubernetes().setWorker(pod);
      }
      List<Problem> errors = errors(job, config(GangScheduler.NONE));
      // The CRD's maxLength (253) says so too, in the API server's words.
      Problem mine = errors.stream().filter(p -> p.message().contains("PriorityClass")).findFirst()
          .orElseThrow(() -> new AssertionError(errors.toString()));
      assertRefused(List.of(mine), "spec.kubernetes." + role + ".priorityClassName", "must name a PriorityClass",
          SUBDOMAIN, "of at most 253 characters", "got " + shown);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badPriorityClasses")
  void volcanoPriorityClassKubernetesWouldRefuse(String name, String value, String shown) {
    ChainerJob job = mpi("userManaged: true\n");
    job.getSpec().setRunPolicy(new dev.chainer.operator.api.RunPolicy());
    job.getSpec().getRunPolicy().setSchedulingPolicy(new dev.chainer.operator.api.SchedulingPolicy());
    job.getSpec().getRunPolicy().getSchedulingPolicy().setPriorityClassName(value);
    List<Problem> errors = errors(job, config(GangScheduler.VOLCANO));
    Problem mine = errors.stream().filter(p -> p.message().contains("PriorityClass")).findFirst()
        .orElseThrow(() -> new AssertionError(errors.toString()));
    assertRefused(List.of(mine), POLICY + ".priorityClassName", "must name a PriorityClass", SUBDOMAIN, "got " + shown);
  }

  @Test
  void reservedSystemPriorityClassIsRefusedButTheRealOnesAreNot() {
    assertRefused(errors(mpi("userManaged: true\nkubernetes:\n  worker:\n    priorityClassName: system-high\n"),
        config(GangScheduler.NONE)), "spec.kubernetes.worker.priorityClassName", "prefix 'system-' is reserved",
        "system-cluster-critical and system-node-critical", "got 'system-high'");
    ChainerJob system = mpi("userManaged: true\nkubernetes:\n  worker:\n    priorityClassName: "
        + "system-node-critical\n  launcher:\n    priorityClassName: high-priority\n");
    system.getMetadata().setNamespace("kube-system");
    assertEquals(List.of(), errors(system, config(GangScheduler.NONE)));
  }

  /** Kubernetes keeps its two system classes for kube-system (a default quota limits them there). */
  @ParameterizedTest
  @ValueSource(strings = {"system-node-critical", "system-cluster-critical"})
  void systemPriorityClassOutsideKubeSystemIsRefused(String name) {
    assertRefused(errors(mpi("userManaged: true\nkubernetes:\n  worker:\n    priorityClassName: " + name + "\n"),
        config(GangScheduler.NONE)), "spec.kubernetes.worker.priorityClassName", "names " + name,
        "keeps for the pods of kube-system", "namespace is team-a");
    ChainerJob gang = mpi("userManaged: true\nrunPolicy:\n  schedulingPolicy:\n    priorityClassName: " + name
        + "\n");
    assertRefused(errors(gang, config(GangScheduler.VOLCANO)), POLICY + ".priorityClassName", "kube-system");
  }

  static Stream<Arguments> badVolcanoQueues() {
    return Stream.of(
        Arguments.of("Research", "'Research'"),
        Arguments.of("research_q", "'research_q'"),
        Arguments.of("research q", "'research q'"),
        Arguments.of("", "'' (empty)"),
        Arguments.of("q-", "'q-'"),
        Arguments.of("q\0", "'q\\u0000'"));
  }

  @ParameterizedTest(name = "queue {1}")
  @MethodSource("badVolcanoQueues")
  void volcanoQueueVolcanoCouldNeverHave(String value, String shown) {
    ChainerJob job = mpi("userManaged: true\n");
    job.getSpec().setRunPolicy(new dev.chainer.operator.api.RunPolicy());
    job.getSpec().getRunPolicy().setSchedulingPolicy(new dev.chainer.operator.api.SchedulingPolicy());
    job.getSpec().getRunPolicy().getSchedulingPolicy().setQueue(value);
    assertRefused(errors(job, config(GangScheduler.VOLCANO)), POLICY + ".queue", "must name a Volcano Queue",
        SUBDOMAIN, "of at most 253 characters", "got " + shown);
  }

  @Test
  void volcanoSettingsVolcanoTakes() {
    List<Problem> problems = SpecValidator.validate(mpi("userManaged: true\nrunPolicy:\n  schedulingPolicy:\n"
        + "    minAvailable: 2\n    queue: research\n    priorityClassName: high-priority\n"),
        config(GangScheduler.VOLCANO));
    assertEquals(List.of(), problems);
    assertEquals(List.of(), SpecValidator.validate(mpi("userManaged: true\nrunPolicy:\n  schedulingPolicy:\n"
        + "    minAvailable: 1\n    scheduleTimeoutSeconds: 60\n"), config(GangScheduler.SCHEDULER_PLUGINS)));
  }

  static Stream<Arguments> gangSettings() {
    return Stream.of(
        Arguments.of("minAvailable: 2", "minAvailable"),
        Arguments.of("queue: research", "queue"),
        Arguments.of("priorityClassName: high-priority", "priorityClassName"),
        Arguments.of("scheduleTimeoutSeconds: 60", "scheduleTimeoutSeconds"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gangSettings")
  void gangSettingsWithoutAGangScheduler(String setting, String name) {
    assertRefused(errors(mpi("userManaged: true\nrunPolicy:\n  schedulingPolicy:\n    " + setting + "\n"),
        config(GangScheduler.NONE)), POLICY, "sets " + name, "no gang scheduler", "gangScheduler: none",
        "gangScheduler: volcano or scheduler-plugins");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("gangSettings")
  void gangSettingsOnASingleProcessJob(String setting, String name) {
    assertRefused(errors(minimal("runPolicy:\n  schedulingPolicy:\n    " + setting + "\n"),
        config(GangScheduler.VOLCANO)), POLICY, "sets " + name, "single-process job", "no workers");
  }

  @ParameterizedTest
  @ValueSource(ints = {3, 4, 1000})
  void minAvailableBeyondTheWorkers(int minAvailable) {
    for (GangScheduler gang : List.of(GangScheduler.VOLCANO, GangScheduler.SCHEDULER_PLUGINS)) {
      assertRefused(errors(mpi("userManaged: true\nrunPolicy:\n  schedulingPolicy:\n    minAvailable: "
          + minAvailable + "\n"), config(gang)), POLICY + ".minAvailable",
          "at most the job's worker pods (nodeCount, 2), got " + minAvailable);
    }
  }

  @Test
  void anotherSchedulersSettingIsAWarning() {
    List<Problem> plugins = SpecValidator.validate(mpi("userManaged: true\nrunPolicy:\n  schedulingPolicy:\n"
        + "    queue: research\n"), config(GangScheduler.SCHEDULER_PLUGINS));
    assertEquals(1, plugins.size(), plugins.toString());
    assertFalse(plugins.get(0).isError());
    assertEquals(POLICY + ".queue", plugins.get(0).field());
    assertEquals("SettingIgnored", plugins.get(0).reason());
    List<Problem> volcano = SpecValidator.validate(mpi("userManaged: true\nrunPolicy:\n  schedulingPolicy:\n"
        + "    scheduleTimeoutSeconds: 60\n"), config(GangScheduler.VOLCANO));
    assertEquals(List.of(POLICY + ".scheduleTimeoutSeconds"), volcano.stream().map(Problem::field).toList());
    assertFalse(volcano.get(0).isError());
  }

  @Test
  void anEmptySchedulingPolicyAsksForNothing() {
    assertEquals(List.of(), errors(mpi("userManaged: true\nrunPolicy:\n  schedulingPolicy: {}\n"),
        config(GangScheduler.NONE)));
  }

  @Test
  void kueueKeyIsRecognisedAsTheLabelAlmostNamed() {
    assertEquals(Kueue.QUEUE_NAME, QueueRules.kueueKey("kueue.x-k8s.io/queue_name"));
    assertEquals(null, QueueRules.kueueKey(Kueue.QUEUE_NAME));
    assertEquals(null, QueueRules.kueueKey("example.com/queue-name"));
  }

  /** A schedulerName of the MPI job's own sends its pods past their PodGroup: the gang and its queue are bypassed. */
  @ParameterizedTest
  @ValueSource(strings = {"launcher", "worker"})
  void aSchedulerOtherThanTheGangSchedulerIsRefused(String role) {
    String spec = "userManaged: true\nkubernetes:\n  " + role + ":\n    schedulerName: default-scheduler\n";
    assertRefused(errors(mpi(spec), config(GangScheduler.VOLCANO)), "spec.kubernetes." + role + ".schedulerName",
        "names the scheduler 'default-scheduler'", "its gang scheduler (volcano)", "skip their PodGroup");
    assertEquals(List.of(), errors(mpi(spec.replace("default-scheduler", "volcano")), config(GangScheduler.VOLCANO)));
    assertEquals(List.of(), errors(mpi(spec), config(GangScheduler.NONE)));
    assertEquals(List.of(), errors(minimal(spec), config(GangScheduler.VOLCANO)));
  }
}
