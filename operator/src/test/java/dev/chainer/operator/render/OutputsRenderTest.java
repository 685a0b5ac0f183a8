package dev.chainer.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.testing.Rendered;
import dev.chainer.operator.testing.TestJobs;
import dev.chainer.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** spec.outputs as the pods and the claim show it: where the results go, and how an attempt resumes. */
class OutputsRenderTest {
  private static final String CLAIM_TEMPLATE = "outputs:\n  claimTemplate:\n    storageClassName: azurefile-csi\n";

  @Test
  void everyTrainingPodMountsTheJobsDirectoryOfTheStoreAtOnePathAndAsItsOutputs() {
    Rendered r = Rendered.of(TestJobs.mpi("outputs:\n  dataStore:\n    persistentVolumeClaim: results\n"));
    for (PodSpec pod : List.of(r.workerPod(), r.launcherPod())) {
      assertEquals("results", Rendered.volume(pod, "outputs").getPersistentVolumeClaim().getClaimName());
      VolumeMount mount = Rendered.mountAt(pod.getContainers().get(0), "/opt/chainer/outputs");
      assertEquals("team-a/train", mount.getSubPath(), "<namespace>/<job>: jobs sharing a claim never mix files");
      assertTrue(mount.getReadOnly() == null || !mount.getReadOnly());
    }
    // The script's ./outputs is the same directory (Azure ML's convention), on the workers that run it.
    assertEquals("team-a/train", Rendered.mountAt(r.worker(), "/app/outputs").getSubPath());
    Map<String, String> env = Rendered.env(r.worker());
    assertEquals("/opt/chainer/outputs", env.get("CHAINER_OUTPUT_DIR"));
    assertEquals("/opt/chainer/outputs", env.get("AZUREML_DATAREFERENCE_outputs"));
    assertEquals("/opt/chainer/outputs", env.get("CHAINER_CHECKPOINT_DIR"));
    assertEquals("train", env.get("CHAINER_RUN_ID"));
    assertTrue(r.objects().outputsClaim().isEmpty(), "a claim the user names is never created");
  }

  @Test
  void aClaimTemplateGivesAClaimLabelledWithTheJobThatOutlivesItUnlessDeleteIsAsked() {
    Rendered retained = Rendered.of(TestJobs.mpi(CLAIM_TEMPLATE));
    PersistentVolumeClaim claim = retained.objects().outputsClaim().orElseThrow();
    assertEquals("train-outputs", claim.getMetadata().getName());
    assertEquals("train", claim.getMetadata().getLabels().get("chainer.dev/job-name"));
    assertEquals("chainer-operator", claim.getMetadata().getLabels().get("app.kubernetes.io/managed-by"));
    assertTrue(claim.getMetadata().getOwnerReferences().isEmpty(), "Retain (default): nothing owns it");
    assertEquals(List.of("ReadWriteMany"), claim.getSpec().getAccessModes(), "two workers write at once");
    assertEquals("10Gi", claim.getSpec().getResources().getRequests().get("storage").toString());
    assertEquals("azurefile-csi", claim.getSpec().getStorageClassName());
    assertEquals("train-outputs", Rendered.volume(retained.workerPod(), "outputs").getPersistentVolumeClaim()
        .getClaimName());

    PersistentVolumeClaim deleted = Rendered.of(TestJobs.minimal(CLAIM_TEMPLATE
        + "    size: 1Gi\n  retentionPolicy: Delete\n")).objects().outputsClaim().orElseThrow();
    assertEquals("train", deleted.getMetadata().getOwnerReferences().get(0).getName(),
        "Delete: the job owns it, so it goes with the job");
    assertEquals(List.of("ReadWriteOnce"), deleted.getSpec().getAccessModes(), "one pod: ReadWriteOnce will do");
    assertEquals("1Gi", deleted.getSpec().getResources().getRequests().get("storage").toString());
  }

  @Test
  void theMpiLauncherPicksTheSnapshotBeforeMpirunAndForwardsWhatItChose() {
    Rendered r = Rendered.of(TestJobs.mpi("outputs:\n  dataStore:\n    nfs: {server: nfs.example, path: /exports}\n"
        + "  checkpoints:\n    directory: result\n"));
    List<String> argv = Rendered.argv(r.launcher());
    int resume = argv.indexOf(LauncherScripts.RESUME);
    int mpirun = argv.indexOf("mpirun");
    assertTrue(resume > 0 && mpirun > resume, "the resume step runs after the wait and execs mpirun: " + argv);
    assertTrue(argv.subList(mpirun, argv.size()).containsAll(List.of("-x", "CHAINER_RESUME_FROM")));
    Map<String, String> env = Rendered.env(r.launcher());
    assertEquals("/opt/chainer/outputs/result", env.get("CHAINER_CHECKPOINT_DIR"));
    assertEquals("snapshot_iter_*", env.get("CHAINER_SNAPSHOT_PATTERN"));
    assertEquals("--resume", env.get("CHAINER_RESUME_ARGUMENT"));
    assertEquals("0", env.get("CHAINER_RESUME_FALLBACK_ARGS"));
    assertEquals("nfs.example", Rendered.volume(r.launcherPod(), "outputs").getNfs().getServer());
  }

  @Test
  void aSingleProcessJobResumesThroughTheSameStepAndResumeFromIsItsFallback() {
    ChainerJob job = TestJobs.minimal(CLAIM_TEMPLATE + "resumeFrom:\n  dataStore:\n    persistentVolumeClaim: "
        + "models\nscriptParams:\n  --out: outputs/result\n");
    Container launcher = Rendered.of(job).launcher();
    List<String> argv = Rendered.argv(launcher);
    assertEquals(List.of("/bin/sh", "-c", LauncherScripts.RESUME, "chainer-resume", "python", "/app/train.py",
        "--out", "outputs/result", "--resume-from", "/opt/chainer/model-location"), argv);
    Map<String, String> env = Rendered.env(launcher);
    assertEquals("2", env.get("CHAINER_RESUME_FALLBACK_ARGS"), "a newer snapshot replaces --resume-from <path>");
    assertEquals("/opt/chainer/outputs/result", env.get("CHAINER_CHECKPOINT_DIR"),
        "the snapshots' directory defaults to the script's --out inside the outputs");
  }

  @Test
  void resumeNeverRunsTheScriptAsBeforeAndAJobWithoutOutputsHasNoneOfIt() {
    Container never = Rendered.of(TestJobs.minimal(CLAIM_TEMPLATE + "  checkpoints:\n    resume: Never\n"))
        .launcher();
    assertEquals("python", Rendered.argv(never).get(0));
    assertFalse(Rendered.env(never).containsKey("CHAINER_SNAPSHOT_PATTERN"));
    assertEquals("/opt/chainer/outputs", Rendered.env(never).get("CHAINER_OUTPUT_DIR"));

    Rendered plain = Rendered.of(TestJobs.mpi(""));
    assertTrue(plain.workerPod().getVolumes().stream().noneMatch(v -> v.getName().equals("outputs")));
    assertFalse(Rendered.argv(plain.launcher()).contains(LauncherScripts.RESUME));
    assertNull(Rendered.env(plain.worker()).get("CHAINER_OUTPUT_DIR"));
    assertTrue(plain.objects().outputsClaim().isEmpty());
  }

  @Test
  void theOutputsAreADataReferenceForScriptParameters() {
    Rendered r = Rendered.of(TestJobs.minimal(CLAIM_TEMPLATE + "  pathOnCompute: /results\n"
        + "scriptParams:\n  --out: $AZUREML_DATAREFERENCE_outputs\n"));
    List<String> argv = Rendered.argv(r.launcher());
    assertEquals("/results", argv.get(argv.indexOf("--out") + 1));
    assertEquals("/results", Rendered.env(r.launcher()).get("CHAINER_CHECKPOINT_DIR"));
  }

  @Test
  void aRestrictedJobWritesItsOutputsThroughItsGroupAndPassesTheRestrictedStandard() {
    ChainerJob job = TestJobs.mpi(CLAIM_TEMPLATE + "kubernetes:\n  securityProfile: restricted\n");
    assertFalse(SpecValidator.hasErrors(SpecValidator.validate(job, dev.chainer.operator.config.OperatorConfig
        .defaults())), SpecValidator.validate(job, dev.chainer.operator.config.OperatorConfig.defaults())::toString);
    Rendered r = Rendered.of(job);
    for (PodSpec pod : List.of(r.workerPod(), r.launcherPod())) {
      assertTrue(pod.getSecurityContext().getFsGroup() != null, "the claim's files are the pod user's group's");
      assertTrue(dev.chainer.operator.validation.PodSecurityStandard.violations(pod,
          dev.chainer.operator.validation.PodSecurityStandard.Level.RESTRICTED).isEmpty());
    }
  }
}
