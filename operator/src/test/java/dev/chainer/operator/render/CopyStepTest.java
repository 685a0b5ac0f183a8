package dev.chainer.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The copy program of download and copy-source steps, run for real with /bin/sh, as the init container runs it. */
class CopyStepTest {
  @TempDir
  Path dir;

  private int copy(Path from, Path to) throws Exception {
    Process p = new ProcessBuilder(List.of("/bin/sh", "-c", LauncherScripts.COPY, "copy", from.toString(),
        to.toString())).inheritIO().start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    return p.exitValue();
  }

  @Test
  void aSingleFileSuchAsAChainerSnapshotIsCopiedToTheTarget() throws Exception {
    Path store = Files.createDirectories(dir.resolve("store/result"));
    Files.writeString(store.resolve("snapshot_iter_1000"), "weights");
    Path target = Files.createDirectories(dir.resolve("download")).resolve("data");
    assertEquals(0, copy(store.resolve("snapshot_iter_1000"), target));
    assertEquals("weights", Files.readString(target));
  }

  @Test
  void aDirectorysContentsAreCopiedFollowingSymlinks() throws Exception {
    Path store = Files.createDirectories(dir.resolve("store $(odd) name"));
    Files.writeString(Files.createDirectories(store.resolve("..data")).resolve("train.py"), "print(1)");
    Files.createSymbolicLink(store.resolve("train.py"), Path.of("..data/train.py")); // as a ConfigMap volume
    Path target = dir.resolve("download/data");
    assertEquals(0, copy(store, target));
    assertEquals("print(1)", Files.readString(target.resolve("train.py")));
    assertTrue(!Files.isSymbolicLink(target.resolve("train.py")));
  }

  @Test
  void aMissingSourceFailsTheStep() throws Exception {
    assertTrue(copy(dir.resolve("nothing"), dir.resolve("data")) != 0);
  }
}
