package dev.chainer.operator.tools;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainer.operator.cli.CommandGroup;
import dev.chainer.operator.cli.Main;
import java.util.Set;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The two command lines: the operator's runs in clusters and carries the user commands (kubectl chainer), the tools'
 * runs it without one and measures it.
 */
class ToolsTest {
  @Test
  void theOperatorRunsAndRendersAndTheToolsDemoBenchAndRender() {
    assertEquals(Set.of("run", "render", "submit", "watch", "logs"), new CommandLine(new Main()).getSubcommands().keySet());
    assertEquals(Set.of("demo", "bench", "render"), new CommandLine(new Tools()).getSubcommands().keySet());
    assertEquals(0, CommandGroup.execute(new Tools(), "--help"));
  }
}
