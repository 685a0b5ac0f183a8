package dev.chainer.operator.validation;

import static dev.chainer.operator.testing.TestJobs.minimal;
import static dev.chainer.operator.validation.DoorAssertions.assertAccepted;
import static dev.chainer.operator.validation.DoorAssertions.assertRefused;
import static dev.chainer.operator.validation.DoorAssertions.errors;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.DataStore;
import dev.chainer.operator.api.GitStore;
import dev.chainer.operator.api.ImageRegistryDetails;
import dev.chainer.operator.api.KubernetesSettings;
import dev.chainer.operator.api.NfsStore;
import dev.chainer.operator.api.PodSettings;
import dev.chainer.operator.api.SecretKeyReference;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a job refers to, checked before use: object names with Kubernetes' name syntax, NFS exports, git URLs that
 * run nothing, and image references a container runtime can parse.
 */
class ReferencedObjectsTest {
  private static final String[] BAD_NAMES = {"../../other-namespace/secrets/x", "system:serviceaccount:ns:sa",
      "a/b", "Upper", "with space", "", "trailing-", "nul\0", "x".repeat(254)};

  private static ChainerJob job(BiConsumer<ChainerJob, String> set, String value) {
    ChainerJob job = minimal("");
    set.accept(job, value);
    return job;
  }

  private static DataStore source(ChainerJob job) {
    job.getSpec().setSourceDirectory(null);
    job.getSpec().setSourceDirectoryDataStore(new DataStore());
    return job.getSpec().getSourceDirectoryDataStore();
  }

  private static PodSettings launcher(ChainerJob job) {
    job.getSpec().setKubernetes(new KubernetesSettings());
    job.getSpec().getKubernetes().setLauncher(new PodSettings());
    return job.getSpec().getKubernetes().getLauncher();
  }

  private static ImageRegistryDetails registry(ChainerJob job) {
    job.getSpec().setCustomDockerImage("myregistry.azurecr.io/train:1");
    job.getSpec().setImageRegistryDetails(new ImageRegistryDetails());
    return job.getSpec().getImageRegistryDetails();
  }

  static Stream<Arguments> names() {
    return Stream.<Object[]>of(
        new Object[] {"spec.sourceDirectoryDataStore.secret", "Secret",
            (BiConsumer<ChainerJob, String>) (j, v) -> source(j).setSecret(v)},
        new Object[] {"spec.sourceDirectoryDataStore.configMap", "ConfigMap",
            (BiConsumer<ChainerJob, String>) (j, v) -> source(j).setConfigMap(v)},
        new Object[] {"spec.sourceDirectoryDataStore.persistentVolumeClaim", "PersistentVolumeClaim",
            (BiConsumer<ChainerJob, String>) (j, v) -> source(j).setPersistentVolumeClaim(v)},
        new Object[] {"spec.kubernetes.launcher.serviceAccountName", "ServiceAccount",
            (BiConsumer<ChainerJob, String>) (j, v) -> launcher(j).setServiceAccountName(v)},
        new Object[] {"spec.imageRegistryDetails.pullSecretName", "Secret",
            (BiConsumer<ChainerJob, String>) (j, v) -> registry(j).setPullSecretName(v)},
        new Object[] {"spec.imageRegistryDetails.passwordSecretRef.name", "Secret",
            (BiConsumer<ChainerJob, String>) (j, v) -> {
              ImageRegistryDetails r = registry(j);
              r.setAddress("myregistry.azurecr.io");
              r.setUsername("u");
              r.setPasswordSecretRef(new SecretKeyReference());
              r.getPasswordSecretRef().setName(v);
            }})
        .flatMap(row -> Stream.of(BAD_NAMES).map(name -> Arguments.of(row[0], row[1], row[2], name)));
  }

  @ParameterizedTest
  @MethodSource("names")
  void everyReferencedNameIsCheckedWithKubernetesNameSyntax(String field, String kind,
      BiConsumer<ChainerJob, String> set, String name) {
    assertRefused(errors(job(set, name)), field, "must be the name of a " + kind, "lowercase RFC 1123 subdomain");
  }

  @Test
  void validNamesAreAccepted() {
    assertAccepted(errors(job((j, v) -> launcher(j).setServiceAccountName(v), "trainer.v2")));
    assertAccepted(errors(job((j, v) -> source(j).setConfigMap(v), "code-" + "a".repeat(200))));
  }

  static Stream<Arguments> stores() {
    return Stream.of(
        Arguments.of((BiConsumer<ChainerJob, String>) (j, v) -> nfs(j, v, "/exports/code"), "",
            "spec.sourceDirectoryDataStore.nfs.server", "the NFS server's host name"),
        Arguments.of((BiConsumer<ChainerJob, String>) (j, v) -> nfs(j, v, "/exports/code"), "  ",
            "spec.sourceDirectoryDataStore.nfs.server", "without spaces"),
        Arguments.of((BiConsumer<ChainerJob, String>) (j, v) -> nfs(j, "nfs.local", v), "exports/code",
            "spec.sourceDirectoryDataStore.nfs.path", "must be an absolute path"),
        Arguments.of((BiConsumer<ChainerJob, String>) (j, v) -> nfs(j, "nfs.local", v), "",
            "spec.sourceDirectoryDataStore.nfs.path", "must be an absolute path"),
        Arguments.of((BiConsumer<ChainerJob, String>) ReferencedObjectsTest::git, "ext::sh -c touch% /tmp/pwned",
            "spec.sourceDirectoryDataStore.git.url", "spaces or control characters"),
        Arguments.of((BiConsumer<ChainerJob, String>) ReferencedObjectsTest::git, "ext::sh%20-c%20id",
            "spec.sourceDirectoryDataStore.git.url", "runs a remote helper program"),
        Arguments.of((BiConsumer<ChainerJob, String>) ReferencedObjectsTest::git, "fd::17",
            "spec.sourceDirectoryDataStore.git.url", "runs a remote helper program"),
        Arguments.of((BiConsumer<ChainerJob, String>) ReferencedObjectsTest::git, "EXT::x",
            "spec.sourceDirectoryDataStore.git.url", "runs a remote helper program"),
        Arguments.of((BiConsumer<ChainerJob, String>) ReferencedObjectsTest::git, "myhelper::https://x/y",
            "spec.sourceDirectoryDataStore.git.url", "runs a remote helper program"),
        Arguments.of((BiConsumer<ChainerJob, String>) ReferencedObjectsTest::git, "https://example.com/r\0.git",
            "spec.sourceDirectoryDataStore.git.url", "control characters", "\\u0000"),
        Arguments.of((BiConsumer<ChainerJob, String>) ReferencedObjectsTest::git, "https://example.com/r.git\n",
            "spec.sourceDirectoryDataStore.git.url", "control characters"),
        Arguments.of((BiConsumer<ChainerJob, String>) ReferencedObjectsTest::git, "https://example.com/\u001b[2Jr",
            "spec.sourceDirectoryDataStore.git.url", "control characters"));
  }

  private static void nfs(ChainerJob job, String server, String path) {
    source(job).setNfs(new NfsStore());
    job.getSpec().getSourceDirectoryDataStore().getNfs().setServer(server);
    job.getSpec().getSourceDirectoryDataStore().getNfs().setPath(path);
  }

  private static void git(ChainerJob job, String url) {
    source(job).setGit(new GitStore());
    job.getSpec().getSourceDirectoryDataStore().getGit().setUrl(url);
  }

  @ParameterizedTest
  @MethodSource("stores")
  void unreachableOrDangerousStoresAreRefused(BiConsumer<ChainerJob, String> set, String value, String field,
      String rule) {
    assertRefused(errors(job(set, value)), field, rule);
  }

  @ParameterizedTest
  @ValueSource(strings = {"https://github.com/chainer/chainer.git", "ssh://git@example.com:22/r.git",
      "git@github.com:chainer/chainer.git", "file:///srv/repo.git"})
  void ordinaryGitUrlsAreAccepted(String url) {
    assertAccepted(errors(job(ReferencedObjectsTest::git, url)));
  }

  @ParameterizedTest
  @ValueSource(strings = {"MyRepo/train:1", "registry.io/Team/train:1", "train:1 ", "tr ain", "train\0:1",
      "train:1\n", "registry.io/train:bad tag", "registry.io/train@sha256:abc", "-train", "train__-x", "train:"})
  void imagesARuntimeCannotParseAreRefused(String image) {
    assertFalse(ImageRules.isReference(image));
    ChainerJob job = minimal("");
    job.getSpec().setCustomDockerImage(image);
    assertRefused(errors(job), "spec.customDockerImage", "is not an image reference", "the repository in lower case");
  }

  @ParameterizedTest
  @ValueSource(strings = {"train", "train:1.0", "chainer/chainer:v7.8.1-python3", "MyRegistry.io/team/train:1",
      "localhost:5000/a/b_c__d-e.f:latest", "[::1]:5000/train", "mcr.microsoft.com/azureml/base:intelmpi2018.3",
      "registry.io/train@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
  void imageReferencesAreAccepted(String image) {
    assertTrue(ImageRules.isReference(image), image);
  }
}
