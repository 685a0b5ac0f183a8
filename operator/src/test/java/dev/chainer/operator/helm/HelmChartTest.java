package dev.chainer.operator.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import dev.chainer.operator.testing.Repository;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HelmChartTest {
  private static Container operator(List<HasMetadata> objects) {
    return Chart.one(objects, Deployment.class).orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0);
  }

  @Test
  void lintPasses() {
    LintResult lint = new Helm(Chart.DIR).lint().strict().call();
    assertFalse(lint.isFailed(), lint.getMessages().toString());
  }

  @Test
  void crdCopyIsTheGeneratedCrd() throws Exception {
    assertEquals(Files.readString(Repository.path("crds/chainerjobs.chainer.dev-v1.yml")),
        Files.readString(Chart.DIR.resolve("crds/chainerjobs.chainer.dev-v1.yml")),
        "copy crds/chainerjobs.chainer.dev-v1.yml to helm/chainer-operator/crds/");
  }

  @Test
  void chartAndAppVersionFollowTheProjectVersion() throws Exception {
    String pom = Files.readString(Path.of("pom.xml"));
    String version = pom.substring(pom.indexOf("<version>") + 9, pom.indexOf("</version>"));
    String chart = Files.readString(Chart.DIR.resolve("Chart.yaml"));
    assertTrue(chart.contains("\nversion: " + version + "\n"), chart);
    assertTrue(chart.contains("\nappVersion: " + version + "\n"), chart);
  }

  @Test
  void defaultDeploymentIsHardenedAndProbed() {
    List<HasMetadata> objects = Chart.objects(Map.of());
    Deployment deployment = Chart.one(objects, Deployment.class).orElseThrow();
    var pod = deployment.getSpec().getTemplate().getSpec();
    Container c = operator(objects);
    assertEquals("ghcr.io/chainer-operator/chainer-operator:0.1.0-SNAPSHOT", c.getImage());
    assertEquals(List.of("run", "--port=8080", "--config=/etc/chainer-operator/config.yaml", "--threads=10",
        "--resync-seconds=600"), c.getArgs());
    assertEquals("/healthz", c.getLivenessProbe().getHttpGet().getPath());
    assertEquals("/readyz", c.getReadinessProbe().getHttpGet().getPath());
    assertTrue(pod.getSecurityContext().getRunAsNonRoot());
    assertTrue(c.getSecurityContext().getReadOnlyRootFilesystem());
    assertFalse(c.getSecurityContext().getAllowPrivilegeEscalation());
    assertEquals(List.of("ALL"), c.getSecurityContext().getCapabilities().getDrop());
    assertEquals(List.of(), dev.chainer.operator.validation.PodSecurityStandard.violations(pod,
        dev.chainer.operator.validation.PodSecurityStandard.Level.RESTRICTED), "the operator's own pod is restricted");
    assertTrue(c.getResources().getLimits().containsKey("memory"));
    assertEquals("chainer-chainer-operator", pod.getServiceAccountName());
    assertTrue(Chart.one(objects, ServiceAccount.class).isPresent());
    assertEquals(8080, Chart.one(objects, Service.class).orElseThrow().getSpec().getPorts().get(0).getPort());
    assertTrue(Chart.ofKind(objects, GenericKubernetesResource.class).stream()
        .noneMatch(o -> o.getKind().equals("ServiceMonitor")), "no ServiceMonitor unless asked");
    String config = Chart.one(objects, ConfigMap.class).orElseThrow().getData().get("config.yaml");
    assertTrue(config.contains("gpuResourceName: nvidia.com/gpu"), config);
  }

  @Test
  void namespacedModeUsesRolesInEachNamespaceAndNoClusterRole() {
    List<HasMetadata> objects = Chart.objects("watchNamespaces: [team-a, team-b]\n");
    // The only ClusterRoles are those aggregated into users' view/edit/admin: the operator is bound to none.
    assertTrue(Chart.ofKind(objects, ClusterRole.class).stream().allMatch(AggregatedRolesTest::isAggregated));
    assertTrue(Chart.ofKind(objects, ClusterRoleBinding.class).isEmpty());
    List<String> roleNamespaces = Chart.ofKind(objects, Role.class).stream()
        .filter(r -> !r.getMetadata().getName().endsWith("leader-election"))
        .map(r -> r.getMetadata().getNamespace()).sorted().toList();
    assertEquals(List.of("team-a", "team-b"), roleNamespaces);
    assertEquals(3, Chart.ofKind(objects, RoleBinding.class).size());
    assertTrue(operator(objects).getArgs().contains("--namespaces=team-a,team-b"));
  }

  @Test
  void spotConfigCustomImageAndLoggingReachTheOperator() {
    List<HasMetadata> objects = Chart.objects("""
        image: {repository: registry.corp/chainer-operator, tag: 1.2.3}
        operator:
          computeTargetNodeLabel: cloud.google.com/gke-nodepool
          lowPriorityNodeSelector: {cloud.google.com/gke-spot: "true"}
          lowPriorityTolerations:
          - {key: cloud.google.com/gke-spot, operator: Equal, value: "true", effect: NoSchedule}
        logging: {format: json}
        replicas: 2
        metrics: {serviceMonitor: {enabled: true}}
        """);
    Container c = operator(objects);
    assertEquals("registry.corp/chainer-operator:1.2.3", c.getImage());
    assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("LOG_FORMAT") && e.getValue().equals("json")));
    String config = Chart.one(objects, ConfigMap.class).orElseThrow().getData().get("config.yaml");
    assertTrue(config.contains("computeTargetNodeLabel: cloud.google.com/gke-nodepool"), config);
    assertTrue(config.contains("cloud.google.com/gke-spot: \"true\""), config);
    assertEquals(2, Chart.one(objects, Deployment.class).orElseThrow().getSpec().getReplicas());
    assertTrue(Chart.ofKind(objects, GenericKubernetesResource.class).stream()
        .anyMatch(o -> o.getKind().equals("ServiceMonitor")));
  }

  @Test
  void performanceKnobsReachTheOperatorsArgumentsAndItsJvm() {
    Container c = operator(Chart.objects("""
        performance: {reconcilerThreads: 32, resyncSeconds: 1800, maxRamPercentage: 60}
        resources: {limits: {memory: 768Mi}}
        """));
    assertTrue(c.getArgs().containsAll(List.of("--threads=32", "--resync-seconds=1800")), c.getArgs().toString());
    assertTrue(c.getEnv().stream().anyMatch(e -> e.getName().equals("JAVA_TOOL_OPTIONS")
        && e.getValue().contains("-XX:MaxRAMPercentage=60")), c.getEnv().toString());
    assertEquals("768Mi", c.getResources().getLimits().get("memory").toString());
    var zero = assertThrows(IllegalStateException.class, () -> Chart.template(Map.of("performance.reconcilerThreads",
        "0")));
    assertTrue(zero.getMessage().contains("reconcilerThreads"), zero.getMessage());
  }

  @Test
  void wrongValuesFailAtInstallTimeWithAMessage() {
    var bad = assertThrows(IllegalStateException.class, () -> Chart.template(Map.of("logging.format", "xml")));
    assertTrue(bad.getMessage().contains("logging.format"), bad.getMessage());
    var noElection = assertThrows(IllegalStateException.class, () -> Chart.template(Map.of("replicas", "3",
        "leaderElection.enabled", "false")));
    assertTrue(noElection.getMessage().contains("replicas > 1 needs leaderElection.enabled"), noElection.getMessage());
  }
}
