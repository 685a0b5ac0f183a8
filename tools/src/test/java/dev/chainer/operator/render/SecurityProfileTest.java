package dev.chainer.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.KubernetesSettings;
import dev.chainer.operator.api.SecurityProfile;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.localcluster.LocalApiServer;
import dev.chainer.operator.localcluster.admission.Admission;
import dev.chainer.operator.testing.Rendered;
import dev.chainer.operator.testing.Repository;
import dev.chainer.operator.testing.TestJobs;
import dev.chainer.operator.validation.JobFiles;
import dev.chainer.operator.validation.PodSecurityStandard;
import dev.chainer.operator.validation.Problem;
import dev.chainer.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The two security profiles: every example's pods pass the Pod Security Standard baseline as root and restricted
 * under "restricted", and what the restricted profile changes (user, seccomp, sshd's port and configuration,
 * the keys' mode).
 */
class SecurityProfileTest {
  private static LocalApiServer API;

  static Stream<Arguments> examples() throws Exception {
    try (Stream<Path> files = Files.list(Repository.path("examples"))) {
      return files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList().stream()
          .flatMap(f -> Stream.of(Arguments.of(f, SecurityProfile.ROOT), Arguments.of(f, SecurityProfile.RESTRICTED)));
    }
  }

  private static ChainerJob withProfile(ChainerJob job, SecurityProfile profile) {
    if (job.getSpec().getKubernetes() == null) {
      job.getSpec().setKubernetes(new KubernetesSettings());
    }
    job.getSpec().getKubernetes().setSecurityProfile(profile);
    job.getMetadata().setUid("0b7c6f3e-1111-2222-3333-444455556666");
    return job;
  }

  @ParameterizedTest(name = "{0} as {1}")
  @MethodSource("examples")
  void everyExamplesPodsPassTheirProfilesLevel(Path example, SecurityProfile profile) throws Exception {
    ChainerJob job = withProfile(JobFiles.read(example), profile);
    List<Problem> problems = SpecValidator.validate(job, OperatorConfig.defaults());
    boolean nfs = Files.readString(example).contains("nfs:");
    if (profile == SecurityProfile.RESTRICTED && nfs) {
      assertTrue(problems.stream().anyMatch(p -> p.field().endsWith(".nfs")
          && p.message().contains("persistentVolumeClaim")), problems.toString());
      return;
    }
    assertEquals(List.of(), problems.stream().filter(Problem::isError).toList());
    Rendered r = Rendered.of(job);
    PodSecurityStandard.Level level = profile == SecurityProfile.RESTRICTED ? PodSecurityStandard.Level.RESTRICTED
        : PodSecurityStandard.Level.BASELINE;
    assertEquals(List.of(), PodSecurityStandard.violations(r.launcherPod(), level), "launcher");
    r.objects().workers().ifPresent(w -> assertEquals(List.of(), PodSecurityStandard.violations(
        w.getSpec().getTemplate().getSpec(), level), "workers"));
    // The API server agrees: the pods are admitted in a namespace enforcing the level, and a root job's launcher
    // is refused where restricted is enforced.
    String namespace = level.name().toLowerCase();
    for (PodSpec pod : pods(r)) {
      assertNotNull(API.client().resource(pod(namespace, pod)).create().getMetadata().getUid());
    }
    if (profile == SecurityProfile.ROOT) {
      assertEquals(403, assertThrows(KubernetesClientException.class, () -> API.client().resource(
          pod("restricted", r.launcherPod())).create()).getCode());
    }
  }

  private static List<PodSpec> pods(Rendered r) {
    List<PodSpec> pods = new java.util.ArrayList<>(List.of(r.launcherPod()));
    r.objects().workers().ifPresent(w -> pods.add(w.getSpec().getTemplate().getSpec()));
    return pods;
  }

  private static Pod pod(String namespace, PodSpec spec) {
    return new PodBuilder().withNewMetadata().withGenerateName("p-").withNamespace(namespace).endMetadata()
        .withSpec(spec).build();
  }

  @BeforeAll
  static void startApiServer() {
    API = LocalApiServer.start();
    for (String level : List.of("baseline", "restricted")) {
      API.client().namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(level)
          .addToLabels(Admission.ENFORCE, level).endMetadata().build()).create();
    }
  }

  @AfterAll
  static void stopApiServer() {
    API.close();
  }

  private static Rendered restrictedMpi(String extra) {
    return Rendered.of(withProfile(TestJobs.mpi("kubernetes:\n  securityProfile: restricted\n" + extra),
        SecurityProfile.RESTRICTED));
  }

  @Test
  void restrictedPodsRunAsTheConfiguredUserUnlessTheJobSaysOtherwise() {
    PodSpec worker = restrictedMpi("").workerPod();
    assertEquals(1000L, worker.getSecurityContext().getRunAsUser());
    assertEquals(1000L, worker.getSecurityContext().getFsGroup());
    assertEquals("RuntimeDefault", worker.getSecurityContext().getSeccompProfile().getType());
    PodSpec custom = restrictedMpi("  runAsUser: 4242\n  runAsGroup: 4343\n").launcherPod();
    assertEquals(4242L, custom.getSecurityContext().getRunAsUser());
    assertEquals(4343L, custom.getSecurityContext().getRunAsGroup());
    assertEquals(4343L, custom.getSecurityContext().getFsGroup());
  }

  @Test
  void restrictedWorkersRunSshdAsTheirUserOnAnUnprivilegedPort() {
    Rendered r = restrictedMpi("");
    Container sshd = r.workerPod().getContainers().get(0);
    assertEquals(List.of("/usr/sbin/sshd", "-D", "-e", "-f", Paths.SSHD_CONFIG), sshd.getCommand());
    assertEquals(2222, sshd.getPorts().get(0).getContainerPort());
    assertEquals(2222, sshd.getReadinessProbe().getTcpSocket().getPort().getIntVal());
    String sshdConfig = r.objects().mpiConfigMap().orElseThrow().getData().get("sshd_config");
    assertTrue(sshdConfig.contains("Port 2222\n") && sshdConfig.contains("PidFile /tmp/chainer-sshd.pid\n")
        && sshdConfig.contains("PermitRootLogin no\n"), sshdConfig);
    assertTrue(r.objects().mpiConfigMap().get().getData().get("ssh_config").contains("  Port 2222\n"));
    assertEquals(0440, r.workerPod().getVolumes().stream().filter(v -> v.getSecret() != null).findFirst()
        .orElseThrow().getSecret().getDefaultMode());
    // The keys reach sshd and ssh as the user's own files: copied by an init step from the Secret, mounted there only.
    for (PodSpec pod : List.of(r.workerPod(), r.launcherPod())) {
      Container step = pod.getInitContainers().get(0);
      assertEquals("ssh-keys", step.getName());
      assertEquals(List.of(Paths.SSH_SECRET, Paths.SSH), step.getVolumeMounts().stream().map(m -> m.getMountPath())
          .toList());
      var keys = pod.getContainers().get(0).getVolumeMounts().stream().filter(m -> m.getMountPath().equals(Paths.SSH))
          .findFirst().orElseThrow();
      assertTrue(pod.getVolumes().stream().anyMatch(v -> v.getName().equals(keys.getName()) && v.getEmptyDir() != null
          && "Memory".equals(v.getEmptyDir().getMedium())), "a private in-memory directory, not the Secret");
    }
  }

  @Test
  void rootJobsKeepTheImagesUserAndPort22() {
    Rendered r = Rendered.of(TestJobs.mpi(""));
    assertNull(r.workerPod().getSecurityContext());
    assertEquals(22, r.workerPod().getContainers().get(0).getPorts().get(0).getContainerPort());
    assertEquals(0400, r.workerPod().getVolumes().stream().filter(v -> v.getSecret() != null).findFirst()
        .orElseThrow().getSecret().getDefaultMode());
  }

  @Test
  void theValidatorRefusesRootUnderRestrictedAndAUserWithoutIt() {
    List<Problem> root = SpecValidator.validate(TestJobs.mpi("kubernetes:\n  securityProfile: restricted\n"
        + "  runAsUser: 0\n"), OperatorConfig.defaults());
    assertEquals(List.of("spec.kubernetes.runAsUser: must not be 0 with securityProfile restricted: its pods run as "
        + "a non-root user"), root.stream().map(Problem::toString).toList());
    List<Problem> unused = SpecValidator.validate(TestJobs.mpi("kubernetes:\n  runAsUser: 1000\n"),
        OperatorConfig.defaults());
    assertTrue(unused.stream().anyMatch(p -> p.field().equals("spec.kubernetes.runAsUser")
        && p.message().contains("only with securityProfile restricted")), unused.toString());
  }

  @Test
  void theOperatorsDefaultProfileAppliesToJobsThatChooseNone() {
    OperatorConfig config = OperatorConfig.defaults();
    config.setDefaultSecurityProfile(SecurityProfile.RESTRICTED);
    PodSpec launcher = Rendered.of(TestJobs.mpi(""), config).launcherPod();
    assertEquals(List.of(), PodSecurityStandard.violations(launcher, PodSecurityStandard.Level.RESTRICTED));
  }
}
