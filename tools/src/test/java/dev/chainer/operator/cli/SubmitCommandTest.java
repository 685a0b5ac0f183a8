package dev.chainer.operator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.DataStore;
import dev.chainer.operator.api.StoreFile;
import dev.chainer.operator.testing.OperatorHarness;
import dev.chainer.operator.testing.WithOperator;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Volume;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `submit -f job.yaml --source-dir DIR`: the code goes with the job as a ConfigMap the job owns. */
class SubmitCommandTest extends WithOperator {
  private static final String JOB = """
      apiVersion: chainer.dev/v1
      kind: ChainerJob
      metadata:
        generateName: mnist-
        namespace: team-a
      spec:
        sourceDirectory: /app
        entryScript: train.py
        frameworkVersion: "7.0.0"
      """;

  @TempDir
  Path tmp;

  private Path write(String relative, byte[] content) throws Exception {
    Path file = tmp.resolve("src").resolve(relative);
    Files.createDirectories(file.getParent());
    return Files.write(file, content);
  }

  private Path write(String relative, String content) throws Exception {
    return write(relative, content.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void packsTheSourceTreeHonouringAmlignoreAndTheJobOwnsIt() throws Exception {
    h.kubelet.start();
    write("train.py", "import chainer\n");
    write("pkg/__init__.py", "");
    write("pkg/model.py", "class MLP: pass\n");
    write("pkg/deep/layers.py", "# ü\n");
    byte[] weights = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) 0xff, 0};
    write("weights.npz", weights);
    write("data/train.npz", "ignored: a directory pattern");
    write("logs/run.log", "ignored: *.log");
    write("keep.log", "re-included with !");
    write("build/out.txt", "ignored: anchored /build");
    write("pkg/build/kept.txt", "kept: /build is anchored to the root");
    write(".git/config", "never packed");
    write(".amlignore", "# Azure ML's ignore file wins over .gitignore\ndata/\n*.log\n!keep.log\n/build\n");
    write(".gitignore", "*.py\n");
    Path job = Files.writeString(tmp.resolve("job.yaml"), JOB);
    Path kubeconfig = Cli.kubeconfig(h, tmp);

    Cli submit = Cli.run("submit", "-f", job.toString(), "--source-dir", tmp.resolve("src").toString(),
        "--kubeconfig", kubeconfig.toString());

    assertEquals(0, submit.code(), submit.err());
    Matcher created = Pattern.compile(
        "chainerjob.chainer.dev/(mnist-[bcdfghjklmnpqrstvwxz2456789]{5}) created").matcher(submit.out());
    assertTrue(created.find(), submit.out());
    String name = created.group(1);
    assertTrue(submit.out().contains("kubectl chainer watch " + name + " -n team-a"), submit.out());
    ChainerJob stored = h.client.resources(ChainerJob.class).inNamespace("team-a").withName(name).get();
    DataStore store = stored.getSpec().getSourceDirectoryDataStore();
    assertNull(stored.getSpec().getSourceDirectory(), "the image path gave way to the packed directory's root");
    Map<String, String> pathOfKey = store.getItems().stream()
        .collect(Collectors.toMap(StoreFile::getKey, StoreFile::getPath));
    assertEquals(java.util.Set.of("train.py", "pkg/__init__.py", "pkg/model.py", "pkg/deep/layers.py", "weights.npz",
        "keep.log", "pkg/build/kept.txt", ".amlignore", ".gitignore"), java.util.Set.copyOf(pathOfKey.values()));

    ConfigMap source = h.client.configMaps().inNamespace("team-a").withName(store.getConfigMap()).get();
    Map<String, String> keyOfPath = pathOfKey.entrySet().stream()
        .collect(Collectors.toMap(Map.Entry::getValue, Map.Entry::getKey));
    assertEquals("class MLP: pass\n", source.getData().get(keyOfPath.get("pkg/model.py")));
    assertEquals("# ü\n", source.getData().get(keyOfPath.get("pkg/deep/layers.py")));
    assertEquals(Base64.getEncoder().encodeToString(weights), source.getBinaryData().get(keyOfPath.get("weights.npz")));
    assertFalse(source.getData().containsKey(keyOfPath.get("weights.npz")), "not UTF-8: binaryData only");
    OwnerReference owner = source.getMetadata().getOwnerReferences().get(0);
    assertEquals("ChainerJob", owner.getKind());
    assertEquals(stored.getMetadata().getUid(), owner.getUid());

    // The launcher's volume lays the keys out as the tree again.
    Pod launcher = OperatorHarness.await(() -> h.client.pods().inNamespace("team-a").withName(name + "-launcher")
        .get(), p -> true, "the launcher");
    Volume files = launcher.getSpec().getVolumes().stream().filter(v -> v.getConfigMap() != null
        && store.getConfigMap().equals(v.getConfigMap().getName())).findFirst().orElseThrow();
    assertTrue(files.getConfigMap().getItems().contains(new KeyToPath(keyOfPath.get("pkg/deep/layers.py"), null,
        "pkg/deep/layers.py")), files.toString());
  }

  @Test
  void aDirectoryTooLargeForAConfigMapIsRefusedAndNothingIsCreated() throws Exception {
    byte[] big = new byte[1100 * 1024];
    new Random(1).nextBytes(big);
    write("train.py", "print(1)\n");
    write("data/mnist.npz", big);
    Path job = Files.writeString(tmp.resolve("job.yaml"), JOB);

    Cli submit = Cli.run("submit", "-f", job.toString(), "--source-dir", tmp.resolve("src").toString(),
        "--kubeconfig", Cli.kubeconfig(h, tmp).toString());

    assertEquals(1, submit.code());
    assertTrue(submit.err().contains("too large for a ConfigMap"), submit.err());
    assertTrue(submit.err().contains("data/mnist.npz"), "names the largest files: " + submit.err());
    assertTrue(submit.err().contains(".amlignore") && submit.err().contains("sourceDirectoryDataStore.git")
        && submit.err().contains("persistentVolumeClaim"), submit.err());
    assertEquals(0, h.client.resources(ChainerJob.class).inNamespace("team-a").list().getItems().size());
    assertEquals(0, h.client.configMaps().inNamespace("team-a").list().getItems().size());
  }

  @Test
  void aJobTheServerRefusesLeavesNoConfigMapBehind() throws Exception {
    write("train.py", "print(1)\n");
    Path job = Files.writeString(tmp.resolve("job.yaml"), JOB.replace("entryScript: train.py",
        "entryScript: /etc/passwd"));

    Cli submit = Cli.run("submit", "-f", job.toString(), "--source-dir", tmp.resolve("src").toString(),
        "--kubeconfig", Cli.kubeconfig(h, tmp).toString());

    assertEquals(1, submit.code());
    assertTrue(submit.err().contains("entryScript"), submit.err());
    assertEquals(0, h.client.configMaps().inNamespace("team-a").list().getItems().size());
  }

  @Test
  void withoutASourceDirectoryTheJobIsCreatedAsWritten() throws Exception {
    Path job = Files.writeString(tmp.resolve("job.yaml"), JOB.replace("generateName: mnist-", "name: plain"));

    Cli submit = Cli.run("submit", "-f", job.toString(), "--kubeconfig", Cli.kubeconfig(h, tmp).toString());

    assertEquals(0, submit.code(), submit.err());
    assertTrue(submit.out().startsWith("chainerjob.chainer.dev/plain created"), submit.out());
    assertEquals("/app", h.client.resources(ChainerJob.class).inNamespace("team-a").withName("plain").get()
        .getSpec().getSourceDirectory());
  }

  @Test
  void aNamespaceThatContradictsTheFileIsRefused() throws Exception {
    Path job = Files.writeString(tmp.resolve("job.yaml"), JOB);

    Cli submit = Cli.run("submit", "-f", job.toString(), "-n", "team-b", "--kubeconfig",
        Cli.kubeconfig(h, tmp).toString());

    assertEquals(1, submit.code());
    assertTrue(submit.err().contains("team-a") && submit.err().contains("team-b"), submit.err());
  }
}
