package dev.chainer.operator.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.testing.TestJobs;
import java.util.List;
import org.junit.jupiter.api.Test;

/** spec.outputs that cannot work are refused, naming the field and the rule; doubtful ones are warned about. */
class OutputsRulesTest {
  private static List<Problem> problems(String extra) {
    return SpecValidator.validate(TestJobs.mpi(extra), OperatorConfig.defaults());
  }

  private static void refused(String extra, String field, String words) {
    List<Problem> problems = problems(extra);
    assertTrue(problems.stream().anyMatch(p -> p.isError() && p.field().equals(field) && p.message().contains(words)),
        extra + " gave " + problems);
  }

  @Test
  void storesThatCannotHoldResultsAreRefused() {
    refused("outputs:\n  dataStore:\n    configMap: code\n", "spec.outputs.dataStore", "read-only");
    refused("outputs:\n  dataStore:\n    persistentVolumeClaim: Results_1\n",
        "spec.outputs.dataStore.persistentVolumeClaim", "not a valid claim name");
    refused("outputs:\n  dataStore:\n    nfs: {server: nfs, path: /x}\nkubernetes:\n  securityProfile: restricted\n",
        "spec.outputs.dataStore.nfs", "restricted does not allow");
    refused("outputs:\n  dataStore:\n    persistentVolumeClaim: r\n  retentionPolicy: Delete\n",
        "spec.outputs.retentionPolicy", "never deleted by the operator");
    refused("outputs:\n  claimTemplate:\n    accessModes: [ReadWriteOnce]\n", "spec.outputs.claimTemplate.accessModes",
        "cannot be mounted by 2 workers on different nodes");
    refused("outputs:\n  claimTemplate:\n    accessModes: [ReadOnlyMany]\n", "spec.outputs.claimTemplate.accessModes",
        "read-only");
  }

  @Test
  void mountsThatWouldHideSomethingAreRefused() {
    String claim = "outputs:\n  claimTemplate: {}\n";
    refused(claim + "  pathOnCompute: /etc/chainer/ssh/keys\n", "spec.outputs.pathOnCompute",
        "where the operator mounts its own files");
    refused(claim + "  pathOnCompute: /\n", "spec.outputs.pathOnCompute", "other than '/'");
    refused(claim + "  pathOnCompute: /app/../app\n", "spec.outputs.pathOnCompute", "without '..'");
    refused(claim + "  pathOnCompute: /app\n", "spec.outputs.pathOnCompute", "hide the script's working directory");
    refused(claim + "inputs:\n- name: mnist\n  pathOnCompute: /opt/chainer/outputs/mnist\n  dataStore:\n"
        + "    persistentVolumeClaim: data\n", "spec.inputs[0].pathOnCompute", "overlaps the outputs");
    refused(claim + "inputs:\n- name: outputs\n  dataStore:\n    persistentVolumeClaim: data\n",
        "spec.inputs[0].name", "names the job's outputs");
    refused(claim + "environmentVariables:\n  CHAINER_CHECKPOINT_DIR: /tmp\n",
        "spec.environmentVariables[CHAINER_CHECKPOINT_DIR]", "set by the operator");
  }

  @Test
  void snapshotsWrittenOutsideTheOutputsAreWarnedAboutOnce() {
    List<Problem> outside = problems("outputs:\n  claimTemplate: {}\nscriptParams:\n  --out: result\n");
    assertEquals(List.of("SnapshotsNotKept"), outside.stream().map(Problem::reason).toList(), outside::toString);
    assertTrue(outside.get(0).message().contains("use --out outputs"));
    assertEquals(List.of(), problems("outputs:\n  claimTemplate: {}\nscriptParams:\n  --out: ./outputs/result\n"));
    assertEquals(List.of(), problems("outputs:\n  claimTemplate: {}\n"));
  }
}
