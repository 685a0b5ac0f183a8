package dev.chainer.operator.helm;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainer.operator.config.OperatorConfig;
import io.fabric8.kubernetes.api.model.ConfigMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chart's trainingImages.registry is the one setting that points the default training images elsewhere. */
class TrainingImagesChartTest {
  @TempDir
  Path dir;

  /** The operator configuration the chart mounts, read as the operator reads it. */
  private OperatorConfig configOf(Map<String, Object> values) throws Exception {
    String yaml = Chart.one(Chart.objects(values), ConfigMap.class).orElseThrow().getData().get("config.yaml");
    Path file = dir.resolve("config.yaml");
    Files.writeString(file, yaml);
    return OperatorConfig.load(file);
  }

  @Test
  void theChartsDefaultsAreTheOperatorsAndTheRegistryValueMovesThemAll() throws Exception {
    OperatorConfig builtIn = OperatorConfig.defaults();
    OperatorConfig chart = configOf(Map.of());
    OperatorConfig moved = configOf(Map.of("trainingImages.registry", "myregistry.azurecr.io/ml"));
    assertEquals(builtIn.getFrameworkVersions().keySet(), chart.getFrameworkVersions().keySet());
    builtIn.getFrameworkVersions().forEach((version, f) -> {
      for (boolean gpu : new boolean[] {false, true}) {
        String image = f.image(gpu);
        assertEquals(image, chart.getFrameworkVersions().get(version).image(gpu), "the chart installs the defaults");
        assertEquals(image.replace("chainer-operator/", "myregistry.azurecr.io/ml/"),
            moved.getFrameworkVersions().get(version).image(gpu));
      }
      assertEquals(f.getPackages(), chart.getFrameworkVersions().get(version).getPackages());
      assertEquals(f.getGpuPackages(), chart.getFrameworkVersions().get(version).getGpuPackages());
    });
  }
}
