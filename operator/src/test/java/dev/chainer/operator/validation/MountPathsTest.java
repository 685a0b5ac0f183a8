package dev.chainer.operator.validation;

import static dev.chainer.operator.testing.TestJobs.job;
import static dev.chainer.operator.testing.TestJobs.minimal;
import static dev.chainer.operator.testing.TestJobs.mpi;

import dev.chainer.operator.api.ChainerJob;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Paths in a training container, compared as the container runtime mounts them: after normalising. */
class MountPathsTest {
  private static final String INPUT0 = "spec.inputs[0].pathOnCompute";
  private static final String INPUT1 = "spec.inputs[1].pathOnCompute";

  private static ChainerJob input(String path) {
    return mpi("inputs:\n- name: d\n  dataStore:\n    persistentVolumeClaim: data\n  pathOnCompute: \"" + path
        + "\"\n");
  }

  private static ChainerJob twoInputs(String first, String second) {
    return minimal("inputs:\n- name: a\n  dataStore:\n    persistentVolumeClaim: a\n" + (first == null ? ""
        : "  pathOnCompute: \"" + first + "\"\n") + "- name: b\n  dataStore:\n    persistentVolumeClaim: b\n"
        + (second == null ? "" : "  pathOnCompute: \"" + second + "\"\n"));
  }

  private static ChainerJob entry(String script) {
    return job("sourceDirectory: /app\nentryScript: \"" + script + "\"\nframeworkVersion: \"7.0.0\"\n");
  }

  static Stream<Arguments> refused() {
    String operator = "is where the operator mounts its own files";
    return Stream.of(
        Arguments.of("SSH keys with a trailing slash", input("/etc/chainer/ssh/"), INPUT0, operator),
        Arguments.of("SSH keys through '.'", input("/etc/chainer/./ssh"), INPUT0, operator),
        Arguments.of("SSH keys through '//'", input("/etc//chainer/ssh"), INPUT0, operator),
        Arguments.of("above the SSH keys", input("/etc/chainer/"), INPUT0, operator),
        Arguments.of("the hostfile's directory", input("/etc/chainer/mpi/."), INPUT0, operator),
        Arguments.of("/dev/shm spelled //dev/shm", input("//dev/shm"), INPUT0, operator),
        Arguments.of("under /dev/shm", input("/dev/shm/data/"), INPUT0, operator),
        Arguments.of("the source", input("/opt/chainer/source/"), INPUT0, operator),
        Arguments.of("above every operator directory", input("/opt/./chainer"), INPUT0, operator),
        Arguments.of("the root spelled //", input("//"), INPUT0, "must be an absolute path other than '/'"),
        Arguments.of("the root spelled /.", input("/."), INPUT0, "must be an absolute path other than '/'"),
        Arguments.of("NUL in a path", input("/data\\0x"), INPUT0, "control character U+0000 at position 5: a path"),
        Arguments.of("newline in a path", input("/data\\n"), INPUT0, "U+000A"),
        Arguments.of("newline in a path on the store", minimal("inputs:\n- name: d\n  dataStore:\n"
            + "    persistentVolumeClaim: data\n  pathOnDataStore: \"a\\nb\"\n"), "spec.inputs[0].pathOnDataStore",
            "U+000A"),
        Arguments.of("two inputs, one path", twoInputs("/data", "/data/"), INPUT1,
            "'/data/' (/data) is the same directory as spec.inputs[0]'s '/data'"),
        Arguments.of("two inputs, one path through '.'", twoInputs("/data/./x", "/data//x"), INPUT1,
            "is the same directory as"),
        Arguments.of("one input inside another", twoInputs("/data", "/data/b"), INPUT1, "overlaps spec.inputs[0]'s"),
        Arguments.of("an input hiding a default one", twoInputs(null, "/opt/chainer/data/a/"), INPUT1,
            "is the same directory as spec.inputs[0]'s '/opt/chainer/data/a'"),
        Arguments.of("an input above the default ones", twoInputs(null, "/opt/chainer/data"), INPUT1,
            "overlaps spec.inputs[0]'s '/opt/chainer/data/a'"),
        Arguments.of("an input on the model location", minimal("inputs:\n- name: a\n  dataStore:\n"
            + "    persistentVolumeClaim: a\n  pathOnCompute: /opt/chainer/model-location/\nresumeFrom:\n"
            + "  dataStore:\n    persistentVolumeClaim: m\n"), "spec.resumeFrom.pathOnCompute",
            "same directory as spec.inputs[0]'s '/opt/chainer/model-location/'"),
        Arguments.of("an input named like the model location", minimal("inputs:\n- name: MODEL_LOCATION\n"
            + "  dataStore:\n    persistentVolumeClaim: a\nresumeFrom:\n  dataStore:\n    persistentVolumeClaim: m\n"),
            "spec.inputs[0].name", "names spec.resumeFrom's data reference"),
        Arguments.of("an input hiding the code", minimal("inputs:\n- name: a\n  dataStore:\n"
            + "    persistentVolumeClaim: a\n  pathOnCompute: /app/\n"), INPUT0, "would hide the code"),
        Arguments.of("an input above the code", minimal("inputs:\n- name: a\n  dataStore:\n"
            + "    persistentVolumeClaim: a\n  pathOnCompute: /\n"), INPUT0, "other than '/'"),
        Arguments.of("entry script ./", entry("./"), "spec.entryScript", "names a directory, not a script file"),
        Arguments.of("entry script .", entry("."), "spec.entryScript", "names a directory"),
        Arguments.of("entry script dir/", entry("scripts/"), "spec.entryScript", "names a directory"),
        Arguments.of("entry script dir/.", entry("scripts/."), "spec.entryScript", "names a directory"),
        Arguments.of("entry script with NUL", entry("train.py\\0.sh"), "spec.entryScript", "U+0000"),
        Arguments.of("source directory on the SSH keys", job("sourceDirectory: /etc/chainer/./ssh/\n"
            + "entryScript: t.py\nframeworkVersion: \"7.0.0\"\n"), "spec.sourceDirectory",
            "is where the operator mounts its own files"),
        Arguments.of("source directory under /dev/shm", job("sourceDirectory: //dev/shm/app\n"
            + "entryScript: t.py\nframeworkVersion: \"7.0.0\"\n"), "spec.sourceDirectory", "would hide the code"),
        Arguments.of("source directory with newline", job("sourceDirectory: \"/app\\n\"\nentryScript: t.py\n"
            + "frameworkVersion: \"7.0.0\"\n"), "spec.sourceDirectory", "U+000A"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refused")
  void isRefusedNamingTheFieldAndTheRule(String name, ChainerJob job, String field, String words) {
    Verdicts.refused(job, field, words);
  }

  static Stream<Arguments> accepted() {
    return Stream.of(
        Arguments.of("two inputs on their default paths", twoInputs(null, null)),
        Arguments.of("neighbours sharing a prefix", twoInputs("/data", "/data2")),
        Arguments.of("an input inside the code", minimal("inputs:\n- name: a\n  dataStore:\n"
            + "    persistentVolumeClaim: a\n  pathOnCompute: /app/data\n")),
        Arguments.of("a trailing slash nowhere near", input("/mnt/data/")),
        Arguments.of("entry script in a directory", entry("./scripts/train.py")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("accepted")
  void isAccepted(String name, ChainerJob job) {
    Verdicts.accepted(job);
  }
}
