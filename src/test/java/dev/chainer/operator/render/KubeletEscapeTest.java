package dev.chainer.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class KubeletEscapeTest {
  @Test
  void everyDollarIsDoubledSoTheKubeletLeavesReferencesAlone() {
    assertEquals("$$(HOME) $$$$ $$x", KubeletEscape.escape("$(HOME) $$ $x"));
  }

  @Test
  void unescapeIsTheKubeletsInverse() {
    String original = "a $(b) $$(c) $ d$";
    assertEquals(original, KubeletEscape.unescape(KubeletEscape.escape(original)));
  }
}
