package dev.chainer.operator.localcluster;

import io.fabric8.kubernetes.api.model.Container;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The kubelet's image manager (pkg/kubelet/images, EnsureImageExists) for images the simulated node cannot have:
 * <ul>
 *   <li>a reference the kubelet cannot parse (distribution/reference's grammar: uppercase in the repository, a bad tag
 *       or digest) is {@code InvalidImageName}, "Failed to apply default image tag ...", at every sync, never pulled;
 *   <li>an image that cannot be pulled (declared with {@link #unpullable}, or any whose reference contains
 *       {@code does-not-exist}) fails to pull with the runtime's error, as containerd words a missing image
 *       ({@code ErrImagePull}); the kubelet then backs off ({@code ImagePullBackOff}, "Back-off pulling image ...: the
 *       last pull's error", as 1.32+ words it) and pulls again when the back-off has passed, the back-off doubling from
 *       {@link #backOff()} up to 30 times that (Kubernetes: 10 s to 300 s);
 *   <li>with {@code imagePullPolicy: Never}, such an image is {@code ErrImageNeverPull}.
 * </ul>
 * Every other image is present: nothing to wait for.
 */
final class ImagePulls {
  /** The first back-off, and the pod worker's period between syncs of a pod that failed (both 10 s on a kubelet). */
  static final Duration DEFAULT_BACK_OFF = Duration.ofMillis(500);
  /** Container waiting reasons and messages, as the kubelet sets them. */
  record Waiting(String reason, String message) {}

  private final Set<String> unpullable = ConcurrentHashMap.newKeySet();
  private volatile Duration backOff = DEFAULT_BACK_OFF;
  /** The last failed pull of each pod's image (flowcontrol.Backoff entries, keyed {@code <pod uid>_<image>}). */
  private final Map<String, Failure> failures = new ConcurrentHashMap<>();

  private record Failure(Instant at, Duration backOff, String message) {}

  void unpullable(String image) {
    unpullable.add(image);
    normalized(image).ifPresent(unpullable::add);
  }

  void backOff(Duration d) {
    this.backOff = d;
  }

  Duration backOff() {
    return backOff;
  }

  /** What the image manager answers for the container's image at this sync: empty when the image is there. */
  Optional<Waiting> ensure(String podUid, Container c, Instant now) {
    String image = c.getImage();
    String requested;
    String normalized;
    try {
      requested = withDefaultTag(image);
      normalized = normalize(image);
    } catch (InvalidReference e) {
      return Optional.of(new Waiting("InvalidImageName", "Failed to apply default image tag \"" + image
          + "\": couldn't parse image name \"" + image + "\": " + e.getMessage()));
    }
    if (!unpullable.contains(image) && !unpullable.contains(normalized) && !image.contains("does-not-exist")) {
      return Optional.empty();
    }
    if ("Never".equals(c.getImagePullPolicy())) {
      return Optional.of(new Waiting("ErrImageNeverPull", "Container image \"" + image
          + "\" is not present with pull policy of Never"));
    }
    String key = podUid + "_" + requested;
    Failure last = failures.get(key);
    if (last != null && Duration.between(last.at(), now).compareTo(last.backOff()) < 0) {
      return Optional.of(new Waiting("ImagePullBackOff", "Back-off pulling image \"" + requested
          + "\": ErrImagePull: " + last.message()));
    }
    // The pull fails as containerd reports a reference the registry does not have.
    String message = "rpc error: code = NotFound desc = failed to pull and unpack image \"" + normalized
        + "\": failed to resolve reference \"" + normalized + "\": " + normalized + ": not found";
    Duration max = backOff.multipliedBy(30);
    Duration next = last == null || Duration.between(last.at(), now).compareTo(max.multipliedBy(2)) > 0 ? backOff
        : (last.backOff().multipliedBy(2).compareTo(max) > 0 ? max : last.backOff().multipliedBy(2));
    failures.put(key, new Failure(now, next, message));
    return Optional.of(new Waiting("ErrImagePull", message));
  }

  /** A pod gone: its back-off entries with it (the kubelet's backOff.GC). */
  void forget(String podUid) {
    failures.keySet().removeIf(k -> k.startsWith(podUid + "_"));
  }

  // distribution/reference's grammar (regexp.go)
  private static final String ALPHANUMERIC = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|[-]+)";
  private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
  private static final String REMOTE_NAME = PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*";
  private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
      + "|\\[(?:[a-fA-F0-9:]+)\\])(?::[0-9]+)?";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*[:][0-9a-fA-F]{32,}";
  private static final Pattern REFERENCE = Pattern.compile("^((?:" + DOMAIN + "/)?" + REMOTE_NAME + ")(?::(" + TAG
      + "))?(?:@(" + DIGEST + "))?$");
  private static final Pattern NAME = Pattern.compile("^(?:(" + DOMAIN + ")/)?(" + REMOTE_NAME + ")$");
  private static final Pattern IDENTIFIER = Pattern.compile("^[a-f0-9]{64}$");
  private static final Map<String, Integer> DIGEST_SIZES = Map.of("sha256", 32, "sha384", 48, "sha512", 64);

  /** A reference the kubelet's parser refuses, with the parser's error. */
  static final class InvalidReference extends Exception {
    InvalidReference(String message) {
      super(message, null, false, false);
    }
  }

  private static Optional<String> normalized(String image) {
    try {
      return Optional.of(normalize(image));
    } catch (InvalidReference e) {
      return Optional.empty();
    }
  }

  /** applyDefaultImageTag: the image as written, with {@code :latest} when it has neither tag nor digest. */
  static String withDefaultTag(String image) throws InvalidReference {
    Matcher m = parse(image);
    return m.group(2) == null && m.group(3) == null ? image + ":latest" : image;
  }

  /**
   * ParseDockerRef, as containerd names the image in its errors: {@code docker.io/library/} before a bare name,
   * {@code :latest} when there is no tag, only the digest when there are both.
   */
  static String normalize(String image) throws InvalidReference {
    Matcher m = parse(image);
    String name = m.group(1);
    if (m.group(3) != null) {
      return name + "@" + m.group(3);
    }
    return name + ":" + (m.group(2) == null ? "latest" : m.group(2));
  }

  /** ParseNormalizedNamed: the fully qualified reference's match (name, tag, digest), or the parser's error. */
  private static Matcher parse(String s) throws InvalidReference {
    if (IDENTIFIER.matcher(s).matches()) {
      throw new InvalidReference("invalid repository name (" + s + "), cannot specify 64-byte hexadecimal strings");
    }
    String[] split = splitDockerDomain(s);
    String remainder = split[1];
    int colon = remainder.indexOf(':');
    String remote = colon < 0 ? remainder : remainder.substring(0, colon);
    if (!remote.toLowerCase(java.util.Locale.ROOT).equals(remote)) {
      throw new InvalidReference("invalid reference format: repository name (" + remote + ") must be lowercase");
    }
    String full = split[0] + "/" + remainder;
    Matcher m = REFERENCE.matcher(full);
    if (!m.matches()) {
      String lower = full.toLowerCase(java.util.Locale.ROOT);
      throw new InvalidReference(!lower.equals(full) && REFERENCE.matcher(lower).matches()
          ? "repository name must be lowercase" : "invalid reference format");
    }
    Matcher name = NAME.matcher(m.group(1));
    String path = name.matches() ? name.group(2) : m.group(1);
    if (path.length() > 255) {
      throw new InvalidReference("repository name must not be more than 255 characters");
    }
    if (m.group(3) != null) {
      checkDigest(m.group(3));
    }
    return m;
  }

  /** go-digest's Validate, for the algorithms a kubelet registers. */
  private static void checkDigest(String digest) throws InvalidReference {
    int colon = digest.indexOf(':');
    String algorithm = digest.substring(0, colon);
    String encoded = digest.substring(colon + 1);
    Integer size = DIGEST_SIZES.get(algorithm);
    if (size == null) {
      throw new InvalidReference("unsupported digest algorithm");
    }
    if (encoded.length() != size * 2) {
      throw new InvalidReference("invalid checksum digest length");
    }
    if (!encoded.matches("[a-f0-9]+")) {
      throw new InvalidReference("invalid checksum digest format");
    }
  }

  /** splitDockerDomain: the registry (docker.io unless the first element looks like a host) and the rest. */
  private static String[] splitDockerDomain(String name) {
    int slash = name.indexOf('/');
    if (slash < 0) {
      return new String[] {"docker.io", "library/" + name};
    }
    String maybeDomain = name.substring(0, slash);
    String rest = name.substring(slash + 1);
    String domain;
    String remote;
    if (maybeDomain.equals("localhost")) {
      domain = maybeDomain;
      remote = rest;
    } else if (maybeDomain.equals("index.docker.io")) {
      domain = "docker.io";
      remote = rest;
    } else if (maybeDomain.contains(".") || maybeDomain.contains(":")
        || !maybeDomain.toLowerCase(java.util.Locale.ROOT).equals(maybeDomain)) {
      domain = maybeDomain;
      remote = rest;
    } else {
      domain = "docker.io";
      remote = name;
    }
    if (domain.equals("docker.io") && !remote.contains("/")) {
      remote = "library/" + remote;
    }
    return new String[] {domain, remote};
  }
}
