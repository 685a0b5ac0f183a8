package dev.chainer.operator.helm;

import static dev.chainer.operator.testing.TestJobs.job;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.cli.RunCommand;
import dev.chainer.operator.localcluster.LocalApiServer;
import dev.chainer.operator.localcluster.SimulatedKubelet;
import dev.chainer.operator.runtime.ApiRequests;
import dev.chainer.operator.testing.ForeignObjects;
import dev.chainer.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The chart grants exactly what the operator uses. The operator runs every kind of API call it makes
 * (creation of each owned kind, deletion of launcher, workers and job, the registry password, events,
 * status, informers, leader election) against the in-process API server; its requests, told apart by
 * their User-Agent, give the set of (group, resource, verb) it needs.
 */
class RbacTest {
  private static final String AGENT = "chainer-operator-under-test";

  @Test
  void chartGrantsExactlyWhatTheOperatorUses() throws Exception {
    Set<String> used = usedPermissions();
    // Never called, but the Java Operator SDK refuses to start leader election without it.
    used.add("update coordination.k8s.io/leases");
    List<HasMetadata> chart = Chart.objects(Map.of());
    Set<String> granted = new TreeSet<>();
    operatorRoles(chart).forEach(r -> expand(r.getRules(), granted));
    Chart.ofKind(chart, Role.class).forEach(r -> expand(r.getRules(), granted));
    assertEquals(used, granted);
  }

  @Test
  void namespacedChartGrantsTheSameInEachNamespace() {
    List<HasMetadata> chart = Chart.objects("watchNamespaces: [team-a]\n");
    Set<String> cluster = new TreeSet<>();
    operatorRoles(Chart.objects(Map.of())).forEach(r -> expand(r.getRules(), cluster));
    Set<String> namespaced = new TreeSet<>();
    Chart.ofKind(chart, Role.class).stream().filter(r -> r.getMetadata().getNamespace().equals("team-a"))
        .forEach(r -> expand(r.getRules(), namespaced));
    assertEquals(cluster, namespaced);
  }

  /** PodGroups and Workloads are granted only with the gang scheduler or Kueue configured (their CRDs may be absent). */
  @Test
  void integrationsAreGrantedOnlyWhenConfigured() {
    Set<String> plain = new TreeSet<>();
    Chart.ofKind(Chart.objects(Map.of()), ClusterRole.class).forEach(r -> expand(r.getRules(), plain));
    Set<String> integrated = new TreeSet<>();
    Chart.ofKind(Chart.objects("operator:\n  gangScheduler: volcano\n  kueueIntegration: true\n"), ClusterRole.class)
        .forEach(r -> expand(r.getRules(), integrated));
    integrated.removeAll(plain);
    assertEquals(Set.of("create scheduling.volcano.sh/podgroups", "delete scheduling.volcano.sh/podgroups",
        "get scheduling.volcano.sh/podgroups", "list scheduling.volcano.sh/podgroups",
        "watch scheduling.volcano.sh/podgroups", "create kueue.x-k8s.io/workloads", "get kueue.x-k8s.io/workloads",
        "list kueue.x-k8s.io/workloads", "watch kueue.x-k8s.io/workloads", "update kueue.x-k8s.io/workloads/status",
        "get kueue.x-k8s.io/resourceflavors", "get kueue.x-k8s.io/workloadpriorityclasses",
        "get scheduling.k8s.io/priorityclasses"),
        integrated);
    assertTrue(plain.stream().noneMatch(p -> p.contains("podgroups") || p.contains("kueue")));
  }

  /** The chart's ClusterRoles for the operator: not those it aggregates into users' view, edit and admin. */
  private static List<ClusterRole> operatorRoles(List<HasMetadata> chart) {
    return Chart.ofKind(chart, ClusterRole.class).stream().filter(r -> !AggregatedRolesTest.isAggregated(r)).toList();
  }

  private static void expand(List<PolicyRule> rules, Set<String> into) {
    for (PolicyRule rule : rules) {
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            into.add(verb + " " + (group.isEmpty() ? "" : group + "/") + resource);
          }
        }
      }
    }
  }

  /** Self-reviews (authorization.k8s.io) are allowed to every authenticated user, so they are left out. */
  private static Set<String> usedPermissions() throws Exception {
    try (LocalApiServer api = LocalApiServer.start();
        SimulatedKubelet kubelet = new SimulatedKubelet(api.client()).launcherRunTime(Duration.ofSeconds(3)).start()) {
      KubernetesClient operatorClient = new KubernetesClientBuilder().withConfig(new ConfigBuilder(
          api.client().getConfiguration()).withUserAgent(AGENT).build()).build();
      RunCommand run = new RunCommand();
      new CommandLine(run).parseArgs("--port", "0", "--lease-namespace", "ops");
      try (var running = run.start(operatorClient)) {
        exerciseEveryCall(api.client());
      }
      Set<String> used = new TreeSet<>();
      RecordedRequest r;
      while ((r = api.server().takeRequest(1, TimeUnit.MILLISECONDS)) != null) {
        if (AGENT.equals(r.getHeader("User-Agent"))) {
          ApiRequests.describe(r.getMethod(), r.getPath()).filter(d -> !d.contains("authorization.k8s.io/"))
              .ifPresent(used::add);
        }
      }
      return used;
    }
  }

  private static void exerciseEveryCall(KubernetesClient client) {
    client.secrets().inNamespace("team-a").resource(new SecretBuilder().withNewMetadata().withName("regcred")
        .endMetadata().addToStringData("password", "pw").build()).create();
    ChainerJob withRegistry = client.resource(mpi("imageRegistryDetails:\n  address: r.io\n  username: u\n"
        + "  passwordSecretRef:\n    name: regcred\nrunPolicy:\n  ttlSecondsAfterFinished: 0")).create();
    ChainerJob deadline = client.resource(job("slow", "sourceDirectory: /a\nentryScript: t.py\n"
        + "frameworkVersion: \"7.0.0\"\nmaxRunDurationSeconds: 1")).create();
    OperatorHarness.await(() -> client.resource(withRegistry).get() == null, gone -> gone, "TTL deletion");
    OperatorHarness.await(() -> client.resource(deadline).get().getStatus(),
        s -> s.getPhase() == JobPhase.Failed, "deadline");
    // A create that meets an object of the same name reads it (get) to tell a late cache from somebody else's.
    for (String conflict : List.of("Service c1-worker", "ConfigMap c2-mpi", "Secret c3-ssh", "StatefulSet c4-worker",
        "Pod c5-launcher")) {
      ForeignObjects.create(client, null, conflict);
      ChainerJob blocked = submit(client, job(conflict.split(" ")[1].substring(0, 2), mpiSpec("")));
      OperatorHarness.await(() -> client.resource(blocked).get().getStatus(),
          s -> s != null && "ResourceConflict".equals(s.getReason()), "a conflict on " + conflict);
    }
    // spec.outputs: the claim a claimTemplate asks for is read and created; the operator never deletes one itself.
    ChainerJob kept = submit(client, job("kept", "sourceDirectory: /a\nentryScript: t.py\nframeworkVersion: \"7.0.0\"\n"
        + "outputs:\n  claimTemplate: {}\n"));
    OperatorHarness.await(() -> client.resource(kept).get().getStatus(),
        s -> s != null && s.getPhase() == JobPhase.Completed, "a job with outputs completed");
    // A restart deletes the SSH Secret of the attempt that failed.
    ChainerJob again = submit(client, job("again", mpiSpec("runPolicy:\n  backoffLimit: 1\n")));
    OperatorHarness.await(() -> client.resource(again).get().getStatus(),
        s -> s != null && s.getPhase() == JobPhase.Running, "running");
    client.pods().inNamespace("team-a").withName("again-launcher").delete();
    OperatorHarness.await(() -> client.secrets().inNamespace("team-a").withName("again-ssh").get() == null,
        gone -> gone, "the first attempt's SSH Secret deleted");
  }

  private static ChainerJob submit(KubernetesClient client, ChainerJob job) {
    job.getMetadata().setUid(null);
    return client.resource(job).create();
  }

  private static String mpiSpec(String extra) {
    return "sourceDirectory: /app\nentryScript: train.py\nframeworkVersion: \"7.0.0\"\nnodeCount: 2\n"
        + "distributedTraining:\n  mpi:\n    processCountPerNode: 2\n" + extra;
  }
}
