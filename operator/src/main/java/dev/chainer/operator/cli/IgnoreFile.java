package dev.chainer.operator.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The files a snapshot leaves out, as Azure ML chose them: {@code .amlignore} when the source directory has one, else
 * {@code .gitignore}, in gitignore syntax (git's documentation, "PATTERN FORMAT"): '#' comments, '!' re-includes,
 * a '/' at the start or in the middle anchors a pattern to the directory, a trailing '/' matches directories only,
 * '*', '?', '[...]' and '**'. The last pattern that matches decides. Only the file at the root is read.
 */
public final class IgnoreFile {
  public static final List<String> NAMES = List.of(".amlignore", ".gitignore");

  private record Rule(Pattern regex, boolean negated, boolean directoryOnly) {}

  private final List<Rule> rules;
  private final String source;

  private IgnoreFile(List<Rule> rules, String source) {
    this.rules = rules;
    this.source = source;
  }

  /** Nothing ignored (no ignore file). */
  public static IgnoreFile none() {
    return new IgnoreFile(List.of(), null);
  }

  /** The directory's .amlignore, else its .gitignore, else none. */
  public static IgnoreFile of(Path directory) throws IOException {
    for (String name : NAMES) {
      Path file = directory.resolve(name);
      if (Files.isRegularFile(file)) {
        return parse(Files.readString(file, StandardCharsets.UTF_8), name);
      }
    }
    return none();
  }

  public static IgnoreFile parse(String text, String source) {
    List<Rule> rules = new ArrayList<>();
    for (String line : text.split("\r?\n", -1)) {
      rule(line).ifPresent(rules::add);
    }
    return new IgnoreFile(List.copyOf(rules), source);
  }

  /** Which file the patterns came from; empty when there is none. */
  public Optional<String> source() {
    return Optional.ofNullable(source);
  }

  /** Whether the file or directory at this path ('/'-separated, relative to the root) is left out. */
  public boolean ignores(String relativePath, boolean directory) {
    boolean ignored = false;
    for (Rule r : rules) {
      if ((!r.directoryOnly || directory) && r.regex.matcher(relativePath).matches()) {
        ignored = !r.negated;
      }
    }
    return ignored;
  }

  private static Optional<Rule> rule(String line) {
    String p = trimTrailingSpaces(line);
    if (p.isEmpty() || p.startsWith("#")) {
      return Optional.empty();
    }
    boolean negated = p.startsWith("!");
    if (negated || p.startsWith("\\!") || p.startsWith("\\#")) {
      p = p.substring(1);
    }
    boolean directoryOnly = p.endsWith("/");
    if (directoryOnly) {
      p = p.substring(0, p.length() - 1);
    }
    // A slash anywhere but at the end ties the pattern to the root; otherwise it matches at any depth.
    boolean anchored = p.contains("/");
    if (p.startsWith("/")) {
      p = p.substring(1);
    }
    if (p.isEmpty()) {
      return Optional.empty();
    }
    String regex = (anchored ? "" : "(?:.*/)?") + translate(p);
    return Optional.of(new Rule(Pattern.compile(regex, Pattern.DOTALL), negated, directoryOnly));
  }

  /** Trailing spaces go, unless escaped with a backslash. */
  private static String trimTrailingSpaces(String line) {
    int end = line.length();
    while (end > 0 && line.charAt(end - 1) == ' ' && !(end > 1 && line.charAt(end - 2) == '\\')) {
      end--;
    }
    return line.substring(0, end);
  }

  private static String translate(String glob) {
    StringBuilder re = new StringBuilder();
    int i = 0;
    while (i < glob.length()) {
      char c = glob.charAt(i);
      if (glob.startsWith("**/", i) && (i == 0 || glob.charAt(i - 1) == '/')) {
        re.append("(?:.*/)?"); // leading or middle "**/": zero or more directories
        i += 3;
      } else if (glob.startsWith("**", i) && i + 2 == glob.length() && (i == 0 || glob.charAt(i - 1) == '/')) {
        re.append(".*"); // trailing "/**": everything inside
        i += 2;
      } else if (c == '*') {
        re.append("[^/]*");
        i++;
      } else if (c == '?') {
        re.append("[^/]");
        i++;
      } else if (c == '[' && glob.indexOf(']', i + 2) > 0) {
        int close = glob.indexOf(']', i + 2);
        String body = glob.substring(i + 1, close);
        re.append('[').append(body.startsWith("!") ? "^" + body.substring(1) : body).append(']');
        i = close + 1;
      } else if (c == '\\' && i + 1 < glob.length()) {
        re.append(Pattern.quote(String.valueOf(glob.charAt(i + 1))));
        i += 2;
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
        i++;
      }
    }
    return re.toString();
  }
}
