package dev.chainer.operator.localcluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Image references read as the kubelet reads them (distribution/reference's ParseNormalizedNamed): the name containerd
 * quotes in its errors, and the parser's error for a reference it refuses (the InvalidImageName message).
 */
class ImageReferenceTest {

  @ParameterizedTest
  @CsvSource({"busybox, docker.io/library/busybox:latest", "chainer/trainer:7.8, docker.io/chainer/trainer:7.8",
      "registry.example/missing:1, registry.example/missing:1", "localhost/img, localhost/img:latest",
      "registry.example:5000/a/b__c--d:v1.0, registry.example:5000/a/b__c--d:v1.0",
      "busybox:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef, "
          + "docker.io/library/busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"})
  void aValidReferenceIsNormalizedAsContainerdNamesIt(String image, String normalized) throws Exception {
    assertEquals(normalized, ImagePulls.normalize(image));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Busybox | invalid reference format: repository name (library/Busybox) must be lowercase",
      "chainer/Trainer:1 | invalid reference format: repository name (chainer/Trainer) must be lowercase",
      "busybox:1:2 | invalid reference format",
      "busybox: | invalid reference format",
      "busybox@sha256:abc | invalid reference format",
      "busybox@sha256:0123456789abcdef0123456789abcdef | invalid checksum digest length",
      "busybox@md5:0123456789abcdef0123456789abcdef | unsupported digest algorithm",
      "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef | invalid repository name "
          + "(0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef), cannot specify 64-byte hexadecimal "
          + "strings"})
  void anInvalidReferenceIsRefusedWithTheParsersError(String image, String error) {
    assertEquals(error, assertThrows(ImagePulls.InvalidReference.class, () -> ImagePulls.normalize(image))
        .getMessage());
  }
}
