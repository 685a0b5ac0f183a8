package dev.chainer.operator.cli;

import dev.chainer.operator.demo.DemoCommand;
import dev.chainer.operator.testing.OperatorHarness;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import picocli.CommandLine;

/** The user commands run as `kubectl chainer ...` runs them, against the harness's API server through a kubeconfig. */
final class Cli {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private volatile Integer code;

  private Cli() {}

  /** A kubeconfig naming the in-process API server, as `demo --kubeconfig-out` writes it. */
  static Path kubeconfig(OperatorHarness h, Path dir) {
    Path file = dir.resolve("kubeconfig");
    DemoCommand.writeKubeconfig(file, h.client.getConfiguration().getMasterUrl(), "team-a");
    return file;
  }

  static Cli run(String... args) {
    Cli cli = new Cli();
    CommandLine line = new CommandLine(new Main());
    line.setOut(new PrintWriter(cli.out, true));
    line.setErr(new PrintWriter(cli.err, true));
    cli.code = line.execute(args);
    return cli;
  }

  /** Runs the command on a thread of its own, for one that follows a job while the test acts on it. */
  static Cli start(String... args) {
    Cli cli = new Cli();
    Thread thread = new Thread(() -> {
      CommandLine line = new CommandLine(new Main());
      line.setOut(new PrintWriter(cli.out, true));
      line.setErr(new PrintWriter(cli.err, true));
      cli.code = line.execute(args);
    }, "cli");
    thread.setDaemon(true);
    thread.start();
    return cli;
  }

  /** The exit code, waiting for the command to end. */
  int code() {
    return OperatorHarness.await(() -> code, c -> true, "the command's end; output so far:\n" + out + err);
  }

  String out() {
    return out.toString();
  }

  String err() {
    return err.toString();
  }
}
