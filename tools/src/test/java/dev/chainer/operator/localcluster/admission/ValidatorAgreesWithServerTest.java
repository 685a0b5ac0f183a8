package dev.chainer.operator.localcluster.admission;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobCrd;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.render.SshKeyPair;
import dev.chainer.operator.testing.TestJobs;
import dev.chainer.operator.validation.Problem;
import dev.chainer.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Property: every spec the operator's validator accepts renders objects that the strict API server accepts (and
 * the job itself is accepted), and every spec it refuses gets messages naming a field. Specs are generated from a
 * fixed, printed seed: valid ones, boundary values and each class of bad input, combined.
 */
class ValidatorAgreesWithServerTest {
  private static final long SEED = 20261130L;
  private static final int SPECS = 600;
  private static final SshKeyPair KEYS = SshKeyPair.generate("property-test");
  private static final Admission SERVER = new Admission(
      kindAndGroup -> kindAndGroup.equals("ChainerJob.chainer.dev") ? Optional.of(ChainerJobCrd.definition())
          : Optional.empty(), namespace -> java.util.Map.of(), true);

  /** Spec fragments, each a line or block that can be appended to a base job's spec. */
  private static final String[] VALID = {
      "nodeCount: 1", "nodeCount: 1000", "useGpu: true", "useGpu: false", "shmSize: 8Gi", "shmSize: 512Mi",
      "maxRunDurationSeconds: 1", "maxRunDurationSeconds: 2147483647", "frameworkVersion: \"5.1.0\"",
      "pipPackages: [numpy, \"scipy==1.2\"]", "condaPackages: [mkl]", "customDockerImage: registry.example/train:1",
      "environmentVariables: {NCCL_DEBUG: INFO, A_B: \"$(x) ; rm -rf /\"}", "arguments: [\"--lr\", \"0.1\"]",
      "scriptParams: {--epoch: 20, --batchsize: 100, --flag: null}",
      "inputs:\n- name: data\n  dataStore:\n    persistentVolumeClaim: datasets\n  pathOnCompute: /data",
      "inputs:\n- name: a\n  dataStore:\n    configMap: cfg\n- name: b\n  dataStore:\n    secret: creds\n  mode: download",
      "resumeFrom:\n  dataStore:\n    persistentVolumeClaim: models\n  pathOnDataStore: result/snapshot_iter_1000",
      "kubernetes:\n  worker:\n    tolerations:\n    - key: nvidia.com/gpu\n      operator: Exists\n      effect: NoSchedule",
      "kubernetes:\n  launcher:\n    labels:\n      team: vision\n      example.com/tier: gold",
      "kubernetes:\n  worker:\n    resources:\n      requests:\n        cpu: 2\n        memory: 8Gi\n      limits:\n"
          + "        cpu: 4\n        memory: 8Gi",
      "kubernetes:\n  launcher:\n    serviceAccountName: trainer\n    priorityClassName: high\n"
          + "    schedulerName: volcano",
      "vmPriority: lowpriority", "computeTarget: gpu-pool", "vmSize: Standard_NC6s_v3",
      "runPolicy:\n  backoffLimit: 100\n  ttlSecondsAfterFinished: 0"};
  private static final String[] BAD = {
      "nodeCount: 0", "nodeCount: 1001", "processCountPerNode: 129", "maxRunDurationSeconds: 0",
      "maxRunDurationSeconds: 2147483648", "useDocker: false", "entryScript: ../escape.py",
      "environmentVariables: {\"1BAD\": x}", "shmSize: lots", "frameworkVersion: \"9.9.9\"",
      "customDockerImage: \"my image\"",
      "inputs:\n- name: d\n  dataStore:\n    persistentVolumeClaim: p\n  pathOnCompute: /dev/shm",
      "inputs:\n- name: d\n  dataStore:\n    persistentVolumeClaim: p\n  pathOnCompute: /",
      "inputs:\n- name: d\n  dataStore:\n    persistentVolumeClaim: Bad_PVC",
      "inputs:\n- name: d\n  dataStore:\n    persistentVolumeClaim: p\n  pathOnCompute: /x\n- name: e\n"
          + "  dataStore:\n    persistentVolumeClaim: q\n  pathOnCompute: /x",
      "kubernetes:\n  worker:\n    tolerations:\n    - key: gpu\n      operator: Sideways",
      "kubernetes:\n  launcher:\n    labels:\n      \"bad key\": x",
      "kubernetes:\n  launcher:\n    serviceAccountName: Bad_Name",
      "kubernetes:\n  worker:\n    resources:\n      requests:\n        nvidia.com/gpu: 1\n      limits:\n"
          + "        nvidia.com/gpu: 2",
      "kubernetes:\n  launcher:\n    resources:\n      requests:\n        cpu: 4\n      limits:\n        cpu: 2",
      "runPolicy:\n  backoffLimit: 101"};

  @Test
  void validatorAcceptsImpliesServerAcceptsAndRefusalsNameAField() {
    System.out.println("ValidatorAgreesWithServerTest seed " + SEED + ", " + SPECS + " specs");
    Random random = new Random(SEED);
    int accepted = 0;
    int refused = 0;
    List<String> failures = new ArrayList<>();
    for (int n = 0; n < SPECS; n++) {
      final int i = n;
      final String spec = generate(random);
      ChainerJob job;
      try {
        job = TestJobs.job("j" + i, spec);
      } catch (RuntimeException e) {
        continue; // a combination that is not even YAML for the model (duplicate keys): nothing to check
      }
      List<Problem> errors = SpecValidator.validate(job, OperatorConfig.defaults()).stream()
          .filter(Problem::isError).toList();
      if (errors.isEmpty()) {
        accepted++;
        serverRefusal(job).ifPresent(r -> failures.add("spec #" + i + " accepted by the validator, refused by the "
            + "server: " + r + "\n" + spec));
      } else {
        refused++;
        errors.stream().filter(p -> !(p.field().startsWith("spec") || p.field().startsWith("metadata")))
            .forEach(p -> failures.add("spec #" + i + ": a message without a field: " + p + "\n" + spec));
      }
    }
    System.out.println("accepted " + accepted + ", refused " + refused);
    if (!failures.isEmpty()) {
      fail(failures.size() + " disagreements (seed " + SEED + "):\n" + String.join("\n\n", failures.subList(0,
          Math.min(5, failures.size()))));
    }
    assertTrue(accepted >= 100 && refused >= 100, "both kinds generated: " + accepted + " / " + refused);
  }

  /** Base job (single process or MPI) plus 0 to 3 fragments, a third of them bad. */
  private static String generate(Random random) {
    boolean mpi = random.nextBoolean();
    StringBuilder spec = new StringBuilder("sourceDirectory: /app\nentryScript: train.py\n");
    if (mpi) {
      spec.append("distributedTraining:\n  mpi:\n    processCountPerNode: ").append(1 + random.nextInt(8))
          .append('\n');
    }
    List<String> keys = new ArrayList<>();
    int fragments = random.nextInt(4);
    for (int f = 0; f < fragments; f++) {
      String fragment = random.nextInt(3) == 0 ? BAD[random.nextInt(BAD.length)]
          : VALID[random.nextInt(VALID.length)];
      String key = fragment.substring(0, fragment.indexOf(':'));
      if (keys.contains(key) || (!mpi && key.equals("nodeCount") && !fragment.endsWith(": 1")
          && !fragment.endsWith(": 0"))) {
        continue; // one value per key; a single-process job with several nodes is the estimator's rule 7
      }
      keys.add(key);
      spec.append(fragment).append('\n');
    }
    return spec.toString();
  }

  private static Optional<String> serverRefusal(ChainerJob job) {
    List<HasMetadata> objects = new ArrayList<>();
    objects.add(job);
    objects.addAll(JobRenderer.render(job, OperatorConfig.defaults(), KEYS, "password", 0).all());
    for (HasMetadata object : objects) {
      JsonNode json = Serialization.jsonMapper().valueToTree(object);
      try {
        SERVER.admit(json, null);
      } catch (Refusal r) {
        return Optional.of(r.getMessage());
      }
    }
    return Optional.empty();
  }
}
