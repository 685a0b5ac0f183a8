package dev.chainer.operator.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/** The operator's command line. */
@Command(name = "chainer-operator", mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Runs distributed Chainer / ChainerMN training jobs (ChainerJob resources) on Kubernetes.",
    subcommands = {SubmitCommand.class, WatchCommand.class, LogsCommand.class, RunCommand.class,
        RenderCommand.class})
public final class Main extends CommandGroup {
  public static void main(String[] args) {
    System.exit(run(args));
  }

  public static int run(String... args) {
    return execute(new Main(), args);
  }

  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"chainer-operator " + (v == null ? "(development build)" : v)};
    }
  }
}
