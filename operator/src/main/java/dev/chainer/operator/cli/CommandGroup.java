package dev.chainer.operator.cli;

import picocli.CommandLine;

/** A command line made of subcommands: run alone, it prints its usage. The operator's and the tools' share it. */
public abstract class CommandGroup implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** Runs the group with these arguments and returns the exit code. */
  public static int execute(CommandGroup group, String... args) {
    return new CommandLine(group).execute(args);
  }
}
