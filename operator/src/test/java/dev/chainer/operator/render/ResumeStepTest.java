package dev.chainer.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.status.ResumeLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's resume step, run for real by /bin/sh over a directory of snapshots: which one it picks, what the
 * training command then gets, and what it prints for the operator.
 */
class ResumeStepTest {
  @TempDir
  Path dir;

  record Result(List<String> argv, String resumeFrom, String output) {}

  /** Runs the step in front of a command that prints its arguments and CHAINER_RESUME_FROM, one per line. */
  private Result run(String pattern, String argument, int fallback, String... command) throws Exception {
    List<String> argv = new ArrayList<>(List.of("/bin/sh", "-c", LauncherScripts.RESUME, "chainer-resume",
        "/bin/sh", "-c", "for a do printf 'ARG:%s\\n' \"$a\"; done; printf 'FROM:%s\\n' \"$CHAINER_RESUME_FROM\"", "train"));
    argv.addAll(List.of(command));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true).directory(dir.getParent().toFile());
    pb.environment().putAll(Map.of("CHAINER_CHECKPOINT_DIR", dir.toString(), "CHAINER_SNAPSHOT_PATTERN", pattern,
        "CHAINER_RESUME_ARGUMENT", argument, "CHAINER_RESUME_FALLBACK_ARGS", Integer.toString(fallback)));
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes());
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    List<String> args = out.lines().filter(l -> l.startsWith("ARG:")).map(l -> l.substring(4)).toList();
    String from = out.lines().filter(l -> l.startsWith("FROM:")).map(l -> l.substring(5)).findFirst().orElseThrow();
    return new Result(args, from, out);
  }

  private void snapshot(String name, String content) throws Exception {
    Files.writeString(dir.resolve(name), content);
  }

  @Test
  void theHighestIterationWinsByNumberNotByNameOrAge() throws Exception {
    snapshot("snapshot_iter_900", "x");
    snapshot("snapshot_iter_1000", "x");
    snapshot("snapshot_iter_99", "x"); // written last, and last in string order
    Result r = run("snapshot_iter_*", "--resume", 0, "--epoch", "5");
    Path newest = dir.resolve("snapshot_iter_1000");
    assertEquals(List.of("--epoch", "5", "--resume", newest.toString()), r.argv(), r.output());
    assertEquals(newest.toString(), r.resumeFrom(), "CHAINER_RESUME_FROM names it for every rank");
    assertEquals(1000L, ResumeLine.parse(r.output(), 3).orElseThrow().getIteration(), "the operator reads the line");
    assertEquals(newest.toString(), ResumeLine.parse(r.output(), 3).orElseThrow().getPath());
  }

  @Test
  void aSnapshotBeingWrittenAnEmptyOneAndOtherFilesAreSkipped() throws Exception {
    snapshot("snapshot_iter_200", "complete");
    snapshot("tmpsnapshot_iter_300", "half"); // Chainer writes to tmp* and renames when done
    snapshot("snapshot_iter_400", ""); // killed before anything was written
    snapshot("log", "{}");
    snapshot("model_iter_500", "x"); // another extension's file, not a snapshot
    Files.createDirectories(dir.resolve("snapshot_iter_600"));
    Result r = run("snapshot_iter_*", "--resume", 0);
    assertEquals(List.of("--resume", dir.resolve("snapshot_iter_200").toString()), r.argv(), r.output());
  }

  @Test
  void aNewerSnapshotReplacesResumeFromSoTheScriptGetsOneResumeFlag() throws Exception {
    snapshot("snapshot_iter_7", "x");
    Result r = run("snapshot_iter_*", "--resume", 2, "--lr", "0.1", "--resume-from", "/opt/chainer/model-location");
    assertEquals(List.of("--lr", "0.1", "--resume", dir.resolve("snapshot_iter_7").toString()), r.argv());
  }

  @Test
  void withoutASnapshotTheCommandRunsAsWrittenAndResumeFromStays() throws Exception {
    Result r = run("snapshot_iter_*", "--resume", 2, "--resume-from", "/opt/chainer/model-location");
    assertEquals(List.of("--resume-from", "/opt/chainer/model-location"), r.argv());
    assertEquals("", r.resumeFrom());
    assertTrue(r.output().contains(LauncherScripts.FRESH + dir), r.output());
    assertTrue(ResumeLine.parse(r.output(), 0).isEmpty());
    assertTrue(ResumeLine.startedFresh(r.output()));
    Files.delete(dir);
    assertEquals(List.of(), run("snapshot_iter_*", "--resume", 0).argv(), "no directory yet: a fresh start");
  }

  @Test
  void anEmptyResumeArgumentOnlySetsTheVariableForScriptsThatLoadItThemselves() throws Exception {
    snapshot("snapshot_iter_3", "x");
    Result r = run("snapshot_iter_*", "", 0, "--autoload");
    assertEquals(List.of("--autoload"), r.argv());
    assertEquals(dir.resolve("snapshot_iter_3").toString(), r.resumeFrom());
  }

  @Test
  void thePatternIsOnlyMatchedNeverRunAndNamesAreNeverParsedAsCode() throws Exception {
    // The step runs in the parent directory: a `touch pwned` that ran would leave the file there.
    Path pwned = dir.getParent().resolve("pwned");
    Files.deleteIfExists(pwned);
    snapshot("ckpt $(touch pwned) 12.npz", "x");
    snapshot("ckpt 5.npz", "x");
    Result r = run("ckpt *$(touch pwned)*", "--resume", 0);
    assertFalse(Files.exists(pwned), "nothing the user wrote or a file's name was run");
    assertEquals(List.of("--resume", dir.resolve("ckpt $(touch pwned) 12.npz").toString()), r.argv(), r.output());
  }

  @Test
  void theOperatorLooksForTheLineTheStepPrints() {
    assertEquals(LauncherScripts.RESUMING, ResumeLine.PREFIX);
    assertEquals(LauncherScripts.FRESH, ResumeLine.FRESH);
  }
}
