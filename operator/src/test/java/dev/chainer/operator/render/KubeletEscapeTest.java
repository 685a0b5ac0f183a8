package dev.chainer.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainer.operator.testing.KubeletExpansion;
import org.junit.jupiter.api.Test;

class KubeletEscapeTest {
  @Test
  void everyDollarIsDoubledSoTheKubeletLeavesReferencesAlone() {
    assertEquals("$$(HOME) $$$$ $$x", KubeletEscape.escape("$(HOME) $$ $x"));
  }

  @Test
  void theKubeletsExpansionGivesBackTheOriginal() {
    String original = "a $(b) $$(c) $ d$";
    assertEquals(original, KubeletExpansion.expand(KubeletEscape.escape(original)));
  }
}
