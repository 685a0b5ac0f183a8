package dev.chainer.operator.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;

/** The image build (Jib, profile "image") is complete, and the chart pulls what it builds. */
class OperatorImageTest {
  private static String xpath(Document pom, String path) throws Exception {
    return XPathFactory.newInstance().newXPath().evaluate(path, pom).trim();
  }

  @Test
  void jibProfileDefinesBaseEntrypointUserAndPort() throws Exception {
    Document pom = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(Path.of("pom.xml").toFile());
    String jib = "/project/profiles/profile[id='image']/build/plugins/plugin[artifactId='jib-maven-plugin']/configuration";
    assertTrue(xpath(pom, jib + "/from/image").startsWith("eclipse-temurin:17"), "a Java 17 base image");
    assertEquals("dev.chainer.operator.cli.Main", xpath(pom, jib + "/container/mainClass"));
    assertEquals("run", xpath(pom, jib + "/container/args/arg"));
    assertEquals("65532:65532", xpath(pom, jib + "/container/user"), "non-root, as the chart's runAsUser");
    assertEquals("8080", xpath(pom, jib + "/container/ports/port"));
    String image = xpath(pom, "/project/profiles/profile[id='image']/properties/image");
    var deployment = Chart.one(Chart.objects(Map.of()),
        io.fabric8.kubernetes.api.model.apps.Deployment.class).orElseThrow();
    String pulled = deployment.getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    assertEquals(image.replace("${project.version}", xpath(pom, "/project/parent/version")), pulled);
    assertEquals(65532L, deployment.getSpec().getTemplate().getSpec().getSecurityContext().getRunAsUser());
  }
}
