package dev.chainer.operator.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The operator's command line. */
@Command(name = "chainer-operator", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Runs distributed Chainer / ChainerMN training jobs (ChainerJob resources) on Kubernetes.",
    subcommands = {RunCommand.class, DemoCommand.class, RenderCommand.class, BenchCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"chainer-operator " + (v == null ? "(development build)" : v)};
    }
  }
}
