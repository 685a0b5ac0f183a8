package dev.chainer.operator.images;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.config.FrameworkImages;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.spec.EffectiveSpec;
import dev.chainer.operator.testing.Repository;
import dev.chainer.operator.validation.JobFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The operator's default training images and their build definitions (images/chainermn/TAG/Dockerfile, built as
 * REGISTRY/chainermn:TAG by scripts/build-images.sh) stay in step: every default image is one the script builds,
 * under the registry the operator is pointed at, and every recipe pins the Chainer the framework version names and a
 * CuPy that Chainer accepts, built for the CUDA its tag and base image say.
 */
class TrainingImagesTest {
  private static final Path CONTEXT = Repository.path("images/chainermn");
  private static final Pattern PIN = Pattern.compile("(?<![\\w.-])([A-Za-z][\\w.-]*)==([0-9][\\w.]*)");
  private static final Pattern BUILD = Pattern.compile(
      "docker build --platform linux/amd64 -f images/chainermn/([^/\\s]+)/Dockerfile -t (\\S+) images/chainermn");

  /**
   * The CuPy each Chainer accepts, as Chainer itself says: 5.1.0's setup.py asks for cupy >=5.1.0,<6.0.0, and
   * 7.0.0's chainer/_version.py for >=7.0.0,<8.0.0. A framework version missing here fails the test until someone
   * looks its requirement up.
   */
  private static final Map<String, String[]> CUPY_RANGE = Map.of(
      "5.1.0", new String[] {"5.1.0", "6.0.0"},
      "7.0.0", new String[] {"7.0.0", "8.0.0"});

  /**
   * CUDA tags NVIDIA deleted from Docker Hub after their end of life (its container support policy; the 2023 sweep
   * took every 9.x and 10.x tag and 11.2.0 to 11.7.0): a recipe built on one of them no longer builds anywhere.
   */
  private static final Pattern DELETED_CUDA = Pattern.compile(
      "nvidia/cuda:(7|8|9|10)\\.|nvidia/cuda:11\\.(2\\.[01]|3\\.0|4\\.[012]|5\\.[01]|6\\.[01]|7\\.0)[-.]");

  /** What the build script would build for the registry: image name by tag. */
  private static Map<String, String> builtBy(String registry) throws Exception {
    Process p = new ProcessBuilder("bash", "scripts/build-images.sh", registry, "--push", "--dry-run")
        .directory(Repository.path(".").toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    Map<String, String> images = new LinkedHashMap<>();
    Matcher m = BUILD.matcher(out);
    while (m.find()) {
      images.put(m.group(1), m.group(2));
      assertTrue(out.contains("docker push " + m.group(2) + "\n"), "--push pushes " + m.group(2) + ":\n" + out);
    }
    return images;
  }

  /** Every image the defaults name: framework version and device to image. */
  private static Map<String, String> defaultImages(OperatorConfig config) {
    Map<String, String> images = new LinkedHashMap<>();
    config.getFrameworkVersions().forEach((version, f) -> {
      images.put(version + " cpu", f.image(false));
      images.put(version + " gpu", f.image(true));
    });
    return images;
  }

  @ParameterizedTest(name = "registry {0}")
  @ValueSource(strings = {FrameworkImages.DEFAULT_REGISTRY, "myregistry.azurecr.io", "localhost:5000/ml/chainer"})
  void theScriptBuildsExactlyTheImagesTheDefaultsNameInTheRegistryTheOperatorIsPointedAt(String registry)
      throws Exception {
    OperatorConfig config = OperatorConfig.defaults();
    config.setTrainingImageRegistry(registry);
    Map<String, String> built = builtBy(registry);
    assertEquals(new TreeSet<>(defaultImages(config).values()), new TreeSet<>(built.values()),
        "one recipe per supported framework version and device, none more");
    built.values().forEach(image -> assertTrue(image.startsWith(registry + "/chainermn:"), image));
  }

  /** An example's image, default or named in full, is one the script builds for the registry the name carries. */
  @Test
  void everyExampleRunsAnImageTheScriptBuilds() throws Exception {
    try (Stream<Path> files = Files.list(Repository.path("examples"))) {
      for (Path example : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        String image = EffectiveSpec.of(JobFiles.read(example).getSpec(), OperatorConfig.defaults()).image();
        int repository = image.lastIndexOf("/chainermn:");
        assertTrue(repository > 0, example + " runs " + image + ", which scripts/build-images.sh does not build");
        assertTrue(builtBy(image.substring(0, repository)).containsValue(image), example + ": " + image);
      }
    }
  }

  @Test
  void everyRecipePinsTheFrameworkVersionsChainerAndACupyItAcceptsForTheCudaItsTagAndBaseSay() throws Exception {
    OperatorConfig config = OperatorConfig.defaults();
    for (var entry : config.getFrameworkVersions().entrySet()) {
      String version = entry.getKey();
      FrameworkImages f = entry.getValue();
      for (boolean gpu : new boolean[] {false, true}) {
        String tag = f.image(gpu).substring(f.image(gpu).lastIndexOf(':') + 1);
        String dockerfile = Files.readString(CONTEXT.resolve(tag).resolve("Dockerfile"));
        Map<String, String> pins = pins(dockerfile);
        String where = "images/chainermn/" + tag + "/Dockerfile";
        assertEquals(version, pins.get("chainer"), where + " installs the framework version's Chainer");
        assertEquals(List.of("chainer==" + version), f.getPackages(), "what every job of " + version + " installs");
        List<String> cupy = pins.keySet().stream().filter(p -> p.startsWith("cupy")).toList();
        if (!gpu) {
          assertEquals(List.of(), cupy, where + ": no CuPy without GPUs");
          assertTrue(tag.endsWith("-cpu"), tag);
          continue;
        }
        assertEquals(1, cupy.size(), where + ": one CuPy, " + cupy);
        String cupyPackage = cupy.get(0);
        String cupyVersion = pins.get(cupyPackage);
        assertEquals(List.of(cupyPackage + "==" + cupyVersion), f.getGpuPackages(),
            "a GPU job of " + version + " installs the image's own CuPy (pip finds it there)");
        String[] range = CUPY_RANGE.get(version);
        assertTrue(range != null, "Chainer " + version + "'s CuPy requirement is not in the table");
        assertTrue(compare(cupyVersion, range[0]) >= 0 && compare(cupyVersion, range[1]) < 0,
            "CuPy " + cupyVersion + " outside Chainer " + version + "'s >=" + range[0] + ",<" + range[1]);
        String cuda = cuda(tag);
        assertEquals("cupy-cuda" + cuda.replace(".", ""), cupyPackage, where + ": CuPy built for CUDA " + cuda);
        assertTrue(baseCuda(dockerfile).equals(cuda), where + ": the base's CUDA is " + baseCuda(dockerfile));
        assertFalse(DELETED_CUDA.matcher(dockerfile).find(), where + " builds on a CUDA image NVIDIA deleted");
      }
    }
  }

  @Test
  void everyRecipeMeetsTheImageContractForBothSecurityProfiles() throws Exception {
    OperatorConfig config = OperatorConfig.defaults();
    String contract = Files.readString(CONTEXT.resolve("contract.sh"));
    for (String program : List.of("openssh-server", "openssh-client", "openmpi-bin", "python3-mpi4py", "python3-pip")) {
      assertTrue(contract.contains(program), "contract.sh installs " + program);
    }
    assertTrue(contract.contains("ln -sf /usr/bin/python3 /usr/local/bin/" + config.getPythonCommand()),
        "the operator's pythonCommand is on PATH");
    assertTrue(contract.contains("mkdir -p /run/sshd"), "sshd's directory exists before a non-root sshd starts");
    assertTrue(contract.contains("groupadd --gid " + config.getRestrictedGroup() + " "), contract);
    assertTrue(contract.contains("useradd --uid " + config.getRestrictedUser() + " --gid "
        + config.getRestrictedGroup() + " --create-home"), "restricted jobs' user, with a home it owns");
    try (Stream<Path> dirs = Files.list(CONTEXT)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        String dockerfile = Files.readString(dir.resolve("Dockerfile"));
        assertTrue(dockerfile.contains("COPY contract.sh /tmp/contract.sh\nRUN /tmp/contract.sh"), dir.toString());
        assertFalse(dockerfile.lines().anyMatch(l -> l.startsWith("USER ")), dir + ": root jobs run as the image's user");
      }
    }
  }

  @Test
  void theRegistrySettingQualifiesBareNamesInEitherOrderAndLeavesFullReferencesAlone(
      @TempDir Path dir) throws Exception {
    String versions = """
        frameworkVersions:
          "7.0.0": {cpuImage: "chainermn:7.0.0-cpu", gpuImage: "registry.corp/chainer:7-gpu"}
        """;
    for (String yaml : List.of("trainingImageRegistry: acr.example.io/ml\n" + versions,
        versions + "trainingImageRegistry: acr.example.io/ml/\n")) {
      Path file = dir.resolve("config.yaml");
      Files.writeString(file, yaml);
      FrameworkImages f = OperatorConfig.load(file).getFrameworkVersions().get("7.0.0");
      assertEquals("acr.example.io/ml/chainermn:7.0.0-cpu", f.image(false), yaml);
      assertEquals("registry.corp/chainer:7-gpu", f.image(true), yaml);
    }
    Path registryOnly = dir.resolve("registry.yaml");
    Files.writeString(registryOnly, "trainingImageRegistry: acr.example.io\n");
    assertEquals("acr.example.io/chainermn:7.0.0-cuda11.0",
        OperatorConfig.load(registryOnly).getFrameworkVersions().get("7.0.0").image(true), "the built-in defaults");
    Path none = dir.resolve("none.yaml");
    Files.writeString(none, "trainingImageRegistry: \"\"\n");
    assertEquals("chainermn:5.1.0-cpu", OperatorConfig.load(none).getFrameworkVersions().get("5.1.0").image(false));
    assertEquals("chainer-operator/chainermn:5.1.0-cpu",
        OperatorConfig.defaults().getFrameworkVersions().get("5.1.0").image(false), "a local build's name");
  }

  /** Every name==version a RUN pip install line of the Dockerfile pins. */
  private static Map<String, String> pins(String dockerfile) {
    Map<String, String> pins = new LinkedHashMap<>();
    String joined = dockerfile.replace("\\\n", " ");
    joined.lines().filter(l -> l.startsWith("RUN ") && l.contains("pip install")).forEach(l -> {
      Matcher m = PIN.matcher(l);
      while (m.find()) {
        pins.put(m.group(1).toLowerCase().replace('_', '-'), m.group(2));
      }
    });
    return pins;
  }

  /** The CUDA version a GPU tag names: 7.0.0-cuda11.0 is 11.0. */
  private static String cuda(String tag) {
    Matcher m = Pattern.compile("-cuda([0-9]+\\.[0-9]+)$").matcher(tag);
    assertTrue(m.find(), "a GPU tag ends -cudaX.Y: " + tag);
    return m.group(1);
  }

  /** The CUDA the recipe brings: NVIDIA's image (FROM nvidia/cuda:X.Y.Z-...) or NVIDIA's apt packages (-X-Y). */
  private static String baseCuda(String dockerfile) {
    Matcher image = Pattern.compile("(?m)^FROM nvidia/cuda:([0-9]+)\\.([0-9]+)").matcher(dockerfile);
    if (image.find()) {
      return image.group(1) + "." + image.group(2);
    }
    Matcher apt = Pattern.compile("cuda-libraries-([0-9]+)-([0-9]+)").matcher(dockerfile);
    return apt.find() ? apt.group(1) + "." + apt.group(2) : "none";
  }

  private static int compare(String a, String b) {
    List<Integer> x = numbers(a);
    List<Integer> y = numbers(b);
    for (int i = 0; i < Math.max(x.size(), y.size()); i++) {
      int c = Integer.compare(i < x.size() ? x.get(i) : 0, i < y.size() ? y.get(i) : 0);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }

  private static List<Integer> numbers(String version) {
    List<Integer> out = new ArrayList<>();
    for (String part : version.split("\\.")) {
      out.add(Integer.parseInt(part.replaceAll("[^0-9].*", "")));
    }
    return out;
  }
}
