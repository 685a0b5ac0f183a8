package dev.chainer.operator.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** gitignore's pattern format (git's documentation, PATTERN FORMAT), one row per rule. */
class IgnoreFileTest {
  @ParameterizedTest(name = "{0} / {1} (dir {2}) -> {3}")
  @CsvSource(delimiter = '|', value = {
      "*.log              | a.log              | false | true",
      "*.log              | deep/dir/a.log     | false | true",
      "*.log              | a.logx             | false | false",
      "data/              | data               | true  | true",
      "data/              | data               | false | false",
      "data/              | sub/data           | true  | true",
      "/build             | build              | true  | true",
      "/build             | pkg/build          | true  | false",
      "doc/frotz          | doc/frotz          | false | true",
      "doc/frotz          | a/doc/frotz        | false | false",
      "**/cache           | cache              | true  | true",
      "**/cache           | a/b/cache          | true  | true",
      "logs/**            | logs/a/b.txt       | false | true",
      "logs/**            | logs               | true  | false",
      "a/**/b             | a/b                | false | true",
      "a/**/b             | a/x/y/b            | false | true",
      "a?c                | abc                | false | true",
      "a?c                | a/c                | false | false",
      "[ab].txt           | b.txt              | false | true",
      "[!ab].txt          | b.txt              | false | false",
      "# comment          | # comment          | false | false",
      "\\#hash            | #hash              | false | true",
      "*.npz\\n!keep.npz  | keep.npz           | false | false",
      "*.npz\\n!keep.npz  | other.npz          | false | true",
      "!keep.npz\\n*.npz  | keep.npz           | false | true"})
  void followsGitignore(String patterns, String path, boolean directory, boolean ignored) {
    IgnoreFile file = IgnoreFile.parse(patterns.replace("\\n", "\n"), ".amlignore");
    assertEquals(ignored, file.ignores(path, directory));
  }
}
