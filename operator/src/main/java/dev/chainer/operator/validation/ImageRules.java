package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.ImageRegistryDetails;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The training image and its registry credentials. An image is a reference in the grammar of the distribution
 * project's reference package (distribution/reference regexp.go, which the container runtimes parse with):
 * {@code [domain[:port]/]path[:tag][@digest]}, where the path's components are lower-case letters and digits joined by
 * '.', '_', '__' or '-'s, so an upper-case repository, a space or a control character is a pull that fails on every
 * node (ErrImagePull, InvalidImageName) instead of a refusal at the door. The registry's Secrets are named with
 * Kubernetes' name syntax ({@link ObjectNames}), the password's key as a Secret key (ValidateSecret's IsConfigMapKey).
 */
final class ImageRules {
  private static final String ALNUM = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|-+)";
  private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String HOST = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+])";
  private static final String DOMAIN = HOST + "(?::[0-9]+)?";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
  private static final Pattern DOMAIN_PATTERN = Pattern.compile(DOMAIN);
  private static final Pattern REMAINDER = Pattern.compile("(" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*)(?::"
      + TAG + ")?(?:@" + DIGEST + ")?");
  private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");
  /** NameTotalLengthMax: the name without tag and digest. */
  private static final int MAX_NAME = 255;

  private ImageRules() {}

  static void check(ChainerJobSpec spec, List<Problem> out) {
    image(spec.getCustomDockerImage(), "spec.customDockerImage", out);
    image(spec.getCustomDockerBaseImage(), "spec.customDockerBaseImage", out);
    registry(spec.getImageRegistryDetails(), "spec.imageRegistryDetails", out);
    if (spec.getEnvironmentDefinition() != null && spec.getEnvironmentDefinition().getDocker() != null) {
      image(spec.getEnvironmentDefinition().getDocker().getImage(), "spec.environmentDefinition.docker.image", out);
      registry(spec.getEnvironmentDefinition().getDocker().getImageRegistryDetails(),
          "spec.environmentDefinition.docker.imageRegistryDetails", out);
    }
  }

  /**
   * Whether a container runtime can parse the reference. The first component is a registry host when it has a '.' or
   * a ':' or is localhost (splitDockerDomain); the distribution code also takes an upper-case one for a host, but as
   * such a host hardly exists, that is a Docker Hub repository written in upper case, which Docker Hub never has.
   */
  static boolean isReference(String image) {
    int slash = image.indexOf('/');
    String first = slash < 0 ? "" : image.substring(0, slash);
    boolean host = first.contains(".") || first.contains(":") || first.equals("localhost");
    String remainder = host ? image.substring(slash + 1) : image;
    if (host && !DOMAIN_PATTERN.matcher(first).matches()) {
      return false;
    }
    var m = REMAINDER.matcher(remainder);
    return m.matches() && (host ? first.length() + 1 : 0) + m.group(1).length() <= MAX_NAME;
  }

  private static void image(String image, String field, List<Problem> out) {
    if (image == null || image.isEmpty()) {
      return; // required or not is the estimator's rule
    }
    if (!isReference(image)) {
      out.add(Problem.error(field, "is not an image reference a container runtime can pull: "
          + "[registry[:port]/]repository[:tag][@digest], the repository in lower case (letters, digits, and "
          + "'.', '_', '__' or '-' between them), no spaces or control characters, got " + QueueRules.shown(image)));
    }
  }

  private static void registry(ImageRegistryDetails registry, String field, List<Problem> out) {
    if (registry == null) {
      return;
    }
    ObjectNames.check(registry.getPullSecretName(), field + ".pullSecretName", "Secret", out);
    if (registry.getPasswordSecretRef() != null) {
      ObjectNames.check(registry.getPasswordSecretRef().getName(), field + ".passwordSecretRef.name", "Secret", out);
      String key = registry.getPasswordSecretRef().getKey();
      if (key != null && (key.length() > 253 || !SECRET_KEY.matcher(key).matches())) {
        out.add(Problem.error(field + ".passwordSecretRef.key", "must be a Secret key (letters, digits, '-', '_' "
            + "and '.', at most 253 characters), got " + QueueRules.shown(key)));
      }
    }
    String address = registry.getAddress();
    if (address != null && (address.isEmpty() || address.chars().anyMatch(c -> c <= 0x20 || c == 0x7f))) {
      out.add(Problem.error(field + ".address", "must be a registry host (such as myregistry.azurecr.io), without "
          + "spaces or control characters, got " + QueueRules.shown(address)));
    }
  }
}
