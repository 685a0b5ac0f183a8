package dev.chainer.operator.tools;

import dev.chainer.operator.bench.BenchCommand;
import dev.chainer.operator.cli.CommandGroup;
import dev.chainer.operator.cli.Main;
import dev.chainer.operator.cli.RenderCommand;
import dev.chainer.operator.demo.DemoCommand;
import picocli.CommandLine.Command;

/**
 * The developer's command line: the operator against an in-process cluster ({@code demo}) and its benchmark
 * ({@code bench}). Kept out of the operator's jar so that what runs in a cluster carries no mock server.
 */
@Command(name = "chainer-operator-tools", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Runs the chainer-operator without a cluster (demo) and measures it (bench).",
    subcommands = {DemoCommand.class, BenchCommand.class, RenderCommand.class})
public final class Tools extends CommandGroup {
  public static void main(String[] args) {
    System.exit(CommandGroup.execute(new Tools(), args));
  }
}
