package dev.chainer.operator.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.chainer.operator.cli.RunCommand;
import dev.chainer.operator.localcluster.LocalApiServer;
import dev.chainer.operator.testing.Probe;
import java.net.ServerSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `/healthz` and `/readyz` of `run` follow the operator's informers: tested with one the API server breaks. */
class HealthProbesTest {
  private static RunCommand run(int port) {
    RunCommand run = new RunCommand();
    new CommandLine(run).parseArgs("--port", Integer.toString(port), "--no-leader-election");
    return run;
  }

  private static int freePort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  @Test
  void anInformerThatCannotWatchOrListFailsBothProbesUntilItRecovers() throws Exception {
    try (LocalApiServer api = LocalApiServer.start();
        RunCommand.Running running = run(0).start(api.server().createClient())) {
      int port = running.health().port();
      assertEquals(new Probe(200, "ok\n"), Probe.await(port, "/readyz", 200));
      assertEquals(new Probe(200, "ok\n"), Probe.get(port, "/healthz"));
      try (AutoCloseable outage = api.outage("pods")) {
        Probe live = Probe.await(port, "/healthz", 503);
        assertEquals("unhealthy: chainerjob/pods\n", live.body(), "names the pod informer");
        Probe ready = Probe.get(port, "/readyz");
        assertEquals(503, ready.code());
        assertEquals(live.body(), ready.body(), "the caches had synced: the same reason");
      }
      assertEquals(new Probe(200, "ok\n"), Probe.await(port, "/healthz", 200));
      assertEquals(new Probe(200, "ok\n"), Probe.get(port, "/readyz"));
    }
  }

  @Test
  void readinessWaitsForTheCachesWhileLivenessDoesNot() throws Exception {
    int port = freePort();
    // Its own thread: the common pool may have one thread only, and the client's futures need it.
    ExecutorService starter = Executors.newSingleThreadExecutor();
    try (LocalApiServer api = LocalApiServer.start()) {
      CompletableFuture<RunCommand.Running> started;
      try (AutoCloseable outage = api.outage("statefulsets")) {
        started = CompletableFuture.supplyAsync(() -> {
          try {
            return run(port).start(api.server().createClient());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        }, starter);
        Probe ready = Probe.await(port, "/readyz", 503);
        assertEquals("caches not synced yet\n", ready.body());
        assertEquals(new Probe(200, "ok\n"), Probe.get(port, "/healthz"), "starting is not dead");
        Thread.sleep(2000);
        assertEquals(503, Probe.get(port, "/readyz").code(), "still no StatefulSet cache");
      }
      try (RunCommand.Running running = started.get(java.util.concurrent.TimeUnit.SECONDS.toMillis(60),
          java.util.concurrent.TimeUnit.MILLISECONDS)) {
        assertEquals(new Probe(200, "ok\n"), Probe.await(port, "/readyz", 200));
        assertEquals(new Probe(200, "ok\n"), Probe.get(port, "/healthz"));
      }
    } finally {
      starter.shutdownNow();
    }
  }
}
