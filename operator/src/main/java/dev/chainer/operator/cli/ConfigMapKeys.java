package dev.chainer.operator.cli;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * ConfigMap keys for file paths. A key is at most 253 characters of letters, digits, '-', '_' and '.', and neither
 * '.' nor '..' nor starting with '..' (Kubernetes' IsConfigMapKey); paths hold '/' and any character, so each gets a
 * readable key of its own ('/' and other characters become '_'), made unique with a counter.
 */
final class ConfigMapKeys {
  private static final int MAX_LENGTH = 253;
  private static final Pattern INVALID = Pattern.compile("[^-._a-zA-Z0-9]");

  private ConfigMapKeys() {}

  /** A new key for the path, not among {@code taken}; added to it. */
  static String forPath(String path, Set<String> taken) {
    String key = INVALID.matcher(path).replaceAll("_");
    if (key.length() > MAX_LENGTH - 8) {
      key = key.substring(key.length() - (MAX_LENGTH - 9)); // the end: the file's own name
    }
    if (key.startsWith("..")) {
      key = "_" + key;
    }
    String unique = key;
    for (int n = 2; !taken.add(unique); n++) {
      unique = key + "-" + n;
    }
    return unique;
  }
}
