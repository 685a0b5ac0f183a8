package dev.chainer.operator.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.testing.Repository;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The packages of every module's main code, read from their sources: which of ours each one uses. They form no
 * cycle, and each module uses only the modules below it (api, then operator, then tools).
 */
class PackageDependenciesTest {
  private static final String ROOT = "dev.chainer.operator.";
  private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
  private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.chainer\\.operator\\.((?:[a-z]\\w*\\.)*[a-z]\\w*)\\.[A-Z]");

  /** Each package of a module's main sources, with the other packages of ours it names. */
  private static Map<String, Set<String>> packages(String module) {
    Map<String, Set<String>> graph = new TreeMap<>();
    try (Stream<Path> files = Files.walk(Repository.path(module + "/src/main/java"))) {
      for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
        String source = Files.readString(file);
        Matcher pkg = PACKAGE.matcher(source);
        assertTrue(pkg.find(), file.toString());
        String name = pkg.group(1).substring(ROOT.length());
        Set<String> uses = graph.computeIfAbsent(name, k -> new TreeSet<>());
        Matcher ref = REFERENCE.matcher(source);
        while (ref.find()) {
          if (!ref.group(1).equals(name)) {
            uses.add(ref.group(1));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return graph;
  }

  private static Map<String, Set<String>> all() {
    Map<String, Set<String>> graph = new TreeMap<>();
    for (String module : List.of("api", "operator", "tools")) {
      graph.putAll(packages(module));
    }
    return graph;
  }

  /** The packages that reach themselves again through what they use. */
  private static List<String> cycles(Map<String, Set<String>> graph) {
    List<String> found = new ArrayList<>();
    for (String start : graph.keySet()) {
      Set<String> seen = new TreeSet<>();
      List<String> todo = new ArrayList<>(graph.get(start));
      while (!todo.isEmpty()) {
        String next = todo.remove(todo.size() - 1);
        if (next.equals(start)) {
          found.add(start);
          break;
        }
        if (seen.add(next)) {
          todo.addAll(graph.getOrDefault(next, Set.of()));
        }
      }
    }
    return found;
  }

  @Test
  void noPackageIsPartOfACycle() {
    Map<String, Set<String>> graph = all();
    assertTrue(graph.size() > 10, graph.keySet().toString());
    assertEquals(List.of(), cycles(graph), () -> "packages in a cycle; the graph: " + graph);
  }

  @Test
  void aModuleUsesOnlyTheModulesBelowIt() {
    Set<String> api = packages("api").keySet();
    Set<String> operator = packages("operator").keySet();
    packages("api").forEach((pkg, uses) -> assertEquals(Set.of(), uses, "api." + pkg + " uses nothing of ours"));
    packages("operator").forEach((pkg, uses) -> uses.forEach(used -> assertTrue(
        api.contains(used) || operator.contains(used), pkg + " (operator) uses " + used + " of the tools")));
  }

  @Test
  void theCheckSeesACycle() {
    Map<String, Set<String>> graph = new TreeMap<>(Map.of("a", Set.of("b"), "b", Set.of("c"), "c", Set.of("a"),
        "d", Set.of("a")));
    assertEquals(List.of("a", "b", "c"), cycles(graph));
  }
}
