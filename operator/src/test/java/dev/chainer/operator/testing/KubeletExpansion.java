package dev.chainer.operator.testing;

/**
 * What the kubelet does to a container's command, args and env values, for a string the operator escaped: every
 * "$$" becomes "$", and an escaped string holds no other "$(" for it to expand.
 */
public final class KubeletExpansion {
  private KubeletExpansion() {}

  public static String expand(String s) {
    return s.replace("$$", "$");
  }
}
