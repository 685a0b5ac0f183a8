package dev.chainer.operator.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The chart gives the people who run jobs their rights through Kubernetes' user-facing roles: a ClusterRole labelled
 * rbac.authorization.k8s.io/aggregate-to-&lt;role&gt; has its rules added to that role by the API server's
 * ClusterRole aggregation controller, so a RoleBinding to view, edit or admin in a namespace carries them there.
 */
class AggregatedRolesTest {
  private static final String PREFIX = "rbac.authorization.k8s.io/aggregate-to-";

  static boolean isAggregated(ClusterRole role) {
    Map<String, String> labels = role.getMetadata().getLabels();
    return labels != null && labels.keySet().stream().anyMatch(k -> k.startsWith(PREFIX));
  }

  /** What the user-facing role gets from the chart, as "verb resource" lines. */
  private static Set<String> aggregatedInto(List<HasMetadata> chart, String userRole) {
    Set<String> granted = new TreeSet<>();
    Chart.ofKind(chart, ClusterRole.class).stream()
        .filter(r -> "true".equals(r.getMetadata().getLabels().get(PREFIX + userRole)))
        .forEach(r -> {
          for (PolicyRule rule : r.getRules()) {
            assertEquals(List.of("chainer.dev"), rule.getApiGroups(), r.getMetadata().getName());
            rule.getResources().forEach(res -> rule.getVerbs().forEach(v -> granted.add(v + " " + res)));
          }
        });
    return granted;
  }

  @Test
  void viewersReadJobsAndEditorsAndAdminsRunThem() {
    List<HasMetadata> chart = Chart.objects(Map.of());
    Set<String> read = Set.of("get chainerjobs", "list chainerjobs", "watch chainerjobs", "get chainerjobs/status",
        "list chainerjobs/status", "watch chainerjobs/status");
    assertEquals(read, aggregatedInto(chart, "view"));
    Set<String> run = new TreeSet<>(read);
    run.addAll(Set.of("create chainerjobs", "update chainerjobs", "patch chainerjobs", "delete chainerjobs",
        "deletecollection chainerjobs"));
    assertEquals(run, aggregatedInto(chart, "edit"), "edit: every verb on jobs; the status stays the operator's");
    assertEquals(run, aggregatedInto(chart, "admin"));
    Set<String> aggregatedNames = new TreeSet<>();
    Chart.ofKind(chart, ClusterRole.class).stream().filter(AggregatedRolesTest::isAggregated)
        .forEach(r -> aggregatedNames.add(r.getMetadata().getName()));
    assertTrue(Chart.ofKind(chart, ClusterRoleBinding.class).stream()
        .noneMatch(b -> aggregatedNames.contains(b.getRoleRef().getName())), "the chart binds nobody to them");
  }

  @Test
  void aValueTurnsThemOff() {
    List<HasMetadata> chart = Chart.objects("rbac: {aggregateToDefaultRoles: false}\n");
    assertTrue(Chart.ofKind(chart, ClusterRole.class).stream().noneMatch(AggregatedRolesTest::isAggregated));
    assertTrue(Chart.ofKind(chart, ClusterRole.class).size() > 0, "the operator's own ClusterRole stays");
  }
}
