package dev.chainer.operator.render;

import static dev.chainer.operator.testing.Rendered.argv;
import static dev.chainer.operator.testing.Rendered.env;
import static dev.chainer.operator.testing.TestJobs.job;
import static dev.chainer.operator.testing.TestJobs.minimal;
import static dev.chainer.operator.testing.TestJobs.mpi;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.spec.JobLabels;
import dev.chainer.operator.testing.Rendered;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The two shapes of a job: a single process, and MPI with workers. */
class ShapesTest {
  private static final String ARGS = "scriptParams:\n  --epoch: 3\narguments: [\"a b\", \"$(id); *\"]\n";

  @Test
  void singleProcessIsOneLauncherPodRunningTheScriptDirectly() {
    Rendered r = Rendered.of(minimal(ARGS + "userManaged: true"));
    assertEquals(List.of("launcher"), r.objects().all().stream().map(o -> o.getMetadata().getLabels()
        .get(JobLabels.ROLE)).toList());
    assertEquals(List.of("python", "/app/train.py", "--epoch", "3", "a b", "$(id); *"), argv(r.launcher()));
    assertEquals("/app", r.launcher().getWorkingDir());
    assertEquals("Never", r.launcherPod().getRestartPolicy());
    assertEquals("train-launcher", r.objects().launcher().getMetadata().getName());
  }

  @Test
  void mpiJobHasServiceConfigMapSecretWorkersAndLauncher() {
    Rendered r = Rendered.of(mpi("userManaged: true"));
    List<String> kinds = r.objects().all().stream().map(HasMetadata::getKind).toList();
    assertEquals(List.of("Service", "ConfigMap", "Secret", "StatefulSet", "Pod"), kinds);
    Service service = r.objects().workerService().orElseThrow();
    assertEquals("None", service.getSpec().getClusterIP());
    assertTrue(service.getSpec().getPublishNotReadyAddresses());
    assertEquals(Map.of(JobLabels.JOB_NAME, "train"), service.getSpec().getSelector());
    StatefulSet sts = r.objects().workers().orElseThrow();
    assertEquals(2, sts.getSpec().getReplicas());
    assertEquals("Parallel", sts.getSpec().getPodManagementPolicy());
    assertEquals("train-worker", sts.getSpec().getServiceName());
    assertEquals(22, r.worker().getReadinessProbe().getTcpSocket().getPort().getIntVal());
    assertEquals(List.of("/bin/sh", "-c", LauncherScripts.RUN_SSHD, "chainer-worker", "/usr/sbin/sshd"),
        argv(r.worker()));
  }

  @Test
  void everyObjectIsOwnedByTheJobAndLabelled() {
    Rendered r = Rendered.of(mpi("imageRegistryDetails:\n  address: r.io\n  username: u\n"
        + "  passwordSecretRef:\n    name: pw"));
    assertEquals(6, r.objects().all().size());
    for (HasMetadata o : r.objects().all()) {
      assertEquals("train", o.getMetadata().getLabels().get(JobLabels.JOB_NAME), o.getKind());
      assertTrue(o.getMetadata().getLabels().containsKey(JobLabels.ROLE), o.getKind());
      assertEquals("team-a", o.getMetadata().getNamespace());
      var owner = o.getMetadata().getOwnerReferences().get(0);
      assertEquals("ChainerJob", owner.getKind());
      assertEquals("chainer.dev/v1", owner.getApiVersion());
      assertEquals("0b7c6f3e-1111-2222-3333-444455556666", owner.getUid());
      assertTrue(owner.getController());
    }
    assertEquals("worker", r.objects().workers().orElseThrow().getSpec().getTemplate().getMetadata().getLabels()
        .get(JobLabels.ROLE));
  }

  @Test
  void openMpiLauncherWaitsForWorkersThenRunsMpirunWithTheScriptAsArgv() {
    Rendered r = Rendered.of(mpi(ARGS + "userManaged: true"));
    List<String> argv = argv(r.launcher());
    assertEquals(List.of("/bin/sh", "-c", LauncherScripts.WAIT_FOR_WORKERS, "chainer-launcher"), argv.subList(0, 4));
    List<String> program = argv.subList(4, argv.size());
    assertEquals(List.of("mpirun", "--allow-run-as-root", "-np", "4", "--hostfile", "/etc/chainer/mpi/hostfile"),
        program.subList(0, 6));
    assertTrue(String.join(" ", program).contains("-wdir /app -x AZUREML_RUN_ID"), program::toString);
    assertEquals(List.of("python", "/app/train.py", "--epoch", "3", "a b", "$(id); *"),
        program.subList(program.indexOf("python"), program.size()));
    assertEquals("train-worker-0.train-worker.team-a.svc.cluster.local slots=2\n"
        + "train-worker-1.train-worker.team-a.svc.cluster.local slots=2\n",
        r.objects().mpiConfigMap().orElseThrow().getData().get("hostfile"));
    assertEquals("-F /etc/chainer/mpi/ssh_config", env(r.launcher()).get("OMPI_MCA_plm_rsh_args"));
    assertEquals("", env(r.launcher()).get("NVIDIA_VISIBLE_DEVICES"));
    assertEquals("train-launcher", r.launcherPod().getHostname());
    assertEquals("train-worker", r.launcherPod().getSubdomain());
  }

  @Test
  void intelMpiUsesHydraHostfileAndFlags() {
    Rendered r = Rendered.of(job("sourceDirectory: /app\nentryScript: t.py\nframeworkVersion: \"5.1.0\"\n"
        + "nodeCount: 3\ndistributedTraining:\n  mpi:\n    processCountPerNode: 4\n    implementation: IntelMPI"));
    List<String> program = argv(r.launcher()).subList(4, argv(r.launcher()).size());
    assertEquals(List.of("mpirun", "-n", "12", "-ppn", "4", "-f", "/etc/chainer/mpi/hostfile", "-wdir", "/app"),
        program.subList(0, 9));
    assertEquals("train-worker-0.train-worker.team-a.svc.cluster.local:4",
        r.objects().mpiConfigMap().orElseThrow().getData().get("hostfile").lines().findFirst().orElseThrow());
    Map<String, String> env = env(r.launcher());
    assertEquals("/etc/chainer/mpi/hostfile", env.get("I_MPI_HYDRA_HOST_FILE"));
    assertEquals("-F /etc/chainer/mpi/ssh_config", env.get("I_MPI_HYDRA_BOOTSTRAP_EXEC_EXTRA_ARGS"));
    assertEquals("4", env.get("I_MPI_PERHOST"));
    assertFalse(program.contains("-x"));
  }

  @Test
  void mpichUsesHydraHostfileAndItsOwnEnvironment() {
    Rendered r = Rendered.of(job("sourceDirectory: /app\nentryScript: t.py\nframeworkVersion: \"7.0.0\"\n"
        + "nodeCount: 2\ndistributedTraining:\n  mpi:\n    implementation: MPICH"));
    List<String> program = argv(r.launcher()).subList(4, argv(r.launcher()).size());
    assertEquals(List.of("mpirun", "-n", "2", "-ppn", "1", "-f", "/etc/chainer/mpi/hostfile"), program.subList(0, 7));
    assertEquals("train-worker-1.train-worker.team-a.svc.cluster.local:1",
        r.objects().mpiConfigMap().orElseThrow().getData().get("hostfile").lines().skip(1).findFirst().orElseThrow());
    assertEquals("-F /etc/chainer/mpi/ssh_config", env(r.launcher()).get("HYDRA_LAUNCHER_EXTRA_ARGS"));
    assertEquals("ssh", env(r.launcher()).get("HYDRA_LAUNCHER"));
  }

  @Test
  void mpirunProgramAndClusterDomainAreConfiguration() {
    var config = dev.chainer.operator.config.OperatorConfig.defaults();
    config.setMpirunCommands(Map.of(dev.chainer.operator.api.MpiImplementation.MPICH, "mpirun.mpich"));
    config.setClusterDomain("");
    Rendered r = Rendered.of(job("sourceDirectory: /app\nentryScript: t.py\nframeworkVersion: \"7.0.0\"\n"
        + "distributedTraining:\n  mpi:\n    implementation: MPICH"), config);
    assertEquals("mpirun.mpich", argv(r.launcher()).get(4));
    assertEquals("train-worker-0.train-worker.team-a.svc:1\n",
        r.objects().mpiConfigMap().orElseThrow().getData().get("hostfile"));
  }

  @Test
  void sshKeysAreInTheSecretAndMountedReadableByTheOwnerOnly() {
    Rendered r = Rendered.of(mpi(""));
    var secret = r.objects().sshSecret().orElseThrow();
    assertEquals(Rendered.KEYS.privateKey(), secret.getStringData().get("id_ed25519"));
    assertEquals(Rendered.KEYS.publicKey(), secret.getStringData().get("authorized_keys"));
    for (var pod : List.of(r.launcherPod(), r.workerPod())) {
      assertEquals(0400, Rendered.volume(pod, "ssh-keys").getSecret().getDefaultMode());
    }
    assertTrue(Rendered.mountAt(r.worker(), "/etc/chainer/ssh").getReadOnly());
    assertTrue(r.objects().mpiConfigMap().orElseThrow().getData().get("sshd_config")
        .contains("AuthorizedKeysFile /etc/chainer/ssh/authorized_keys"));
  }

  @Test
  void singleProcessBackendlessJobHasNoMpiObjects() {
    Rendered r = Rendered.of(minimal(""));
    assertTrue(r.objects().workers().isEmpty());
    assertTrue(r.objects().sshSecret().isEmpty());
    assertNull(r.launcherPod().getHostname());
  }

  @Test
  void restartedAttemptGetsANewLauncherName() {
    var objects = JobRenderer.render(mpi(""), dev.chainer.operator.config.OperatorConfig.defaults(),
        Rendered.KEYS, null, 2);
    assertEquals("train-launcher-2", objects.launcher().getMetadata().getName());
    assertEquals("train-launcher", objects.launcher().getSpec().getHostname());
  }
}
