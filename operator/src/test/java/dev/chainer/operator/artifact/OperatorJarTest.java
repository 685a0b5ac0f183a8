package dev.chainer.operator.artifact;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;
import org.junit.jupiter.api.Test;

/**
 * The jar that runs in clusters holds the operator and nothing of the tools: no mock API server, no CEL engine, no
 * demo or benchmark. The image is built from the same runtime classpath (Jib's layers are this module's runtime
 * dependencies and classes), so what this jar lacks the image lacks too. Runs after {@code package}.
 */
class OperatorJarTest {
  private static final Path JAR = Path.of("target/chainer-operator.jar");
  private static final List<String> TOOLS = List.of("io/fabric8/kubernetes/client/server/mock/",
      "io/fabric8/mockwebserver/", "dev/cel/", "dev/chainer/operator/demo/", "dev/chainer/operator/bench/",
      "dev/chainer/operator/tools/");

  private static List<String> entries() throws Exception {
    assertTrue(Files.exists(JAR), JAR + " is built by the package phase, before this test");
    try (JarFile jar = new JarFile(JAR.toFile())) {
      return jar.stream().map(ZipEntry::getName).toList();
    }
  }

  @Test
  void holdsTheOperatorWithItsCrd() throws Exception {
    List<String> entries = entries();
    for (String needed : List.of("dev/chainer/operator/cli/Main.class", "dev/chainer/operator/reconcile/ChainerJobReconciler.class",
        "dev/chainer/operator/api/ChainerJob.class", "META-INF/fabric8/chainerjobs.chainer.dev-v1.yml",
        "io/javaoperatorsdk/operator/Operator.class", "log4j2.xml")) {
      assertTrue(entries.contains(needed), needed);
    }
  }

  @Test
  void holdsNothingOfTheTools() throws Exception {
    assertEquals(List.of(), entries().stream().filter(e -> TOOLS.stream().anyMatch(e::startsWith)).limit(20).toList());
  }
}
