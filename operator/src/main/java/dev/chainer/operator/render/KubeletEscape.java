package dev.chainer.operator.render;

import java.util.List;

/**
 * The kubelet expands $(VAR) in a container's command, args and env values. The operator never relies
 * on that expansion, so every string it puts there is escaped ('$' becomes '$$', which the kubelet turns
 * back into '$'): user text such as "$(rm -rf /)" reaches the program verbatim.
 */
public final class KubeletEscape {
  private KubeletEscape() {}

  public static String escape(String s) {
    return s.replace("$", "$$");
  }

  public static List<String> escapeAll(List<String> argv) {
    return argv.stream().map(KubeletEscape::escape).toList();
  }
}
