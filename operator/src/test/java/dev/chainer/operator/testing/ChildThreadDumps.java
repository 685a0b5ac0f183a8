package dev.chainer.operator.testing;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * When a test times out, JUnit dumps this JVM's threads; this extension (registered for every test through the
 * service loader) also dumps the threads of every Java process the test started, such as the benchmark's operator,
 * so that the surefire report shows where each of them was.
 */
public final class ChildThreadDumps implements TestExecutionExceptionHandler {
  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
    if (isTimeout(thrown)) {
      dumpChildren(System.out);
    }
    throw thrown;
  }

  private static boolean isTimeout(Throwable t) {
    for (Throwable c = t; c != null; c = c.getCause()) {
      if (c instanceof TimeoutException) {
        return true;
      }
    }
    return false;
  }

  /** Prints a thread dump of each live Java process below this one. */
  public static void dumpChildren(PrintStream out) {
    List<ProcessHandle> children = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
        .filter(p -> p.info().command().map(c -> c.endsWith("java")).orElse(false)).toList();
    for (ProcessHandle child : children) {
      out.println("==== threads of child JVM " + child.pid() + " " + child.info().commandLine().orElse(""));
      out.println(threadDump(child.pid()));
    }
  }

  private static String threadDump(long pid) {
    Path jcmd = Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
    try {
      Process p = new ProcessBuilder(jcmd.toString(), Long.toString(pid), "Thread.print", "-l")
          .redirectErrorStream(true).start();
      byte[] output = p.getInputStream().readAllBytes();
      if (!p.waitFor(30, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
      return new String(output, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "(no thread dump: " + e.getMessage() + (Files.exists(jcmd) ? "" : "; " + jcmd + " is missing") + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "(interrupted)";
    }
  }
}
