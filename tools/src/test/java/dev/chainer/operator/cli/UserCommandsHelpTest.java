package dev.chainer.operator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** `--help` of each user command lists its flags, kubectl's cluster flags included. */
class UserCommandsHelpTest {
  @ParameterizedTest
  @CsvSource({
      "submit, -f --filename --source-dir",
      "watch, --plain JOB",
      "logs, -f --follow --attempt JOB"})
  void helpListsEveryFlag(String command, String own) {
    Cli help = Cli.run(command, "--help");
    assertEquals(0, help.code());
    List<String> flags = new java.util.ArrayList<>(List.of(own.split(" ")));
    flags.addAll(List.of("--kubeconfig", "--context", "-n", "--namespace", "-h", "--help"));
    for (String flag : flags) {
      assertTrue(help.out().contains(flag), command + " --help lacks " + flag + ":\n" + help.out());
    }
  }

  @ParameterizedTest
  @CsvSource({"submit", "watch", "logs"})
  void theTopLevelHelpNamesTheCommand(String command) {
    Cli help = Cli.run("--help");
    assertTrue(help.out().lines().anyMatch(l -> l.trim().startsWith(command + " ")), help.out());
  }
}
