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
  private static final String PARALLELISM = "java.util.concurrent.ForkJoinPool.common.parallelism";

  static {
    // CompletableFuture runs its async steps (the JDK HTTP client completes every API answer with them) on the common
    // ForkJoinPool only when that pool's parallelism is over 1; on 1 or 2 CPUs (a container's CPU limit, a taskset)
    // it starts a new thread for each step instead: 20,000 threads in 3 minutes for 1,000 jobs. Set before either
    // class is loaded, unless the user set it.
    if (System.getProperty(PARALLELISM) == null && Runtime.getRuntime().availableProcessors() < 3) {
      System.setProperty(PARALLELISM, "2");
    }
  }

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** System property naming the command in usage texts: the kubectl plugin launcher sets "kubectl chainer". */
  public static final String NAME_PROPERTY = "chainer.command.name";

  public static int run(String... args) {
    CommandLine line = new CommandLine(new Main());
    String name = System.getProperty(NAME_PROPERTY);
    if (name != null && !name.isBlank()) {
      line.setCommandName(name);
    }
    return line.execute(args);
  }

  public static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Main.class.getPackage().getImplementationVersion();
      return new String[] {"chainer-operator " + (v == null ? "(development build)" : v)};
    }
  }
}
