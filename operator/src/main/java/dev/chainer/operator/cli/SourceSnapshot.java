package dev.chainer.operator.cli;

import dev.chainer.operator.api.Limits;
import dev.chainer.operator.api.StoreFile;
import dev.chainer.operator.validation.ObjectRules;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * A local source directory packed for a ConfigMap, as Azure ML snapshotted {@code source_directory} on submit: UTF-8
 * files in {@code data}, others in {@code binaryData}, each under a valid ConfigMap key, with the list that lays the
 * keys out again as the directory tree (the store's {@code items}). Leaves out what the ignore file names, and
 * {@code .git}.
 */
public record SourceSnapshot(Map<String, String> data, Map<String, String> binaryData, List<StoreFile> items,
    long bytes, String ignoreFile) {

  /**
   * What Kubernetes lets a ConfigMap hold: 1 MiB of data and binaryData (its validation counts the values; the keys
   * and the object's metadata also travel in the request etcd stores, so they are counted here too).
   */
  public static final long MAX_BYTES = ObjectRules.MAX_DATA_BYTES;

  /** The directory does not fit in a ConfigMap. */
  public static final class TooLarge extends Exception {
    TooLarge(String message) {
      super(message);
    }
  }

  private record Entry(String path, byte[] content) {}

  public static SourceSnapshot pack(Path directory) throws IOException, TooLarge {
    IgnoreFile ignore = IgnoreFile.of(directory);
    List<Entry> files = new ArrayList<>();
    collect(directory, directory, ignore, files);
    files.sort(Comparator.comparing(Entry::path));
    Map<String, String> data = new LinkedHashMap<>();
    Map<String, String> binary = new LinkedHashMap<>();
    List<StoreFile> items = new ArrayList<>();
    Set<String> keys = new HashSet<>();
    long bytes = 0;
    for (Entry f : files) {
      String key = ConfigMapKeys.forPath(f.path(), keys);
      bytes += key.length() + f.content().length + f.path().length();
      String text = utf8(f.content());
      if (text != null) {
        data.put(key, text);
      } else {
        binary.put(key, Base64.getEncoder().encodeToString(f.content()));
      }
      items.add(new StoreFile(key, f.path()));
    }
    if (bytes > MAX_BYTES || files.size() > Limits.MAX_STORE_FILES) {
      throw new TooLarge(tooLarge(directory, files, bytes, ignore));
    }
    return new SourceSnapshot(data, binary, items, bytes, ignore.source().orElse(null));
  }

  public int fileCount() {
    return items.size();
  }

  private static void collect(Path root, Path dir, IgnoreFile ignore, List<Entry> out) throws IOException {
    List<Path> children;
    try (Stream<Path> list = Files.list(dir)) {
      children = list.sorted().toList();
    }
    for (Path child : children) {
      String relative = root.relativize(child).toString().replace(child.getFileSystem().getSeparator(), "/");
      boolean directory = Files.isDirectory(child);
      // A directory left out is not entered: git cannot re-include a file below an excluded directory either.
      if (relative.equals(".git") || ignore.ignores(relative, directory)) {
        continue;
      }
      if (directory && !Files.isSymbolicLink(child)) {
        collect(root, child, ignore, out);
      } else if (Files.isRegularFile(child)) {
        out.add(new Entry(relative, Files.readAllBytes(child)));
      }
    }
  }

  /** The text of a valid UTF-8 file; null for any other bytes, which go to binaryData. */
  private static String utf8(byte[] content) {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(content)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String tooLarge(Path directory, List<Entry> files, long bytes, IgnoreFile ignore) {
    StringBuilder m = new StringBuilder("the source directory ").append(directory).append(" is too large for a "
        + "ConfigMap: ").append(files.size()).append(" files, ").append(bytes).append(" bytes with their names; a "
        + "ConfigMap holds at most ").append(MAX_BYTES).append(" bytes and this command packs at most ")
        .append(Limits.MAX_STORE_FILES).append(" files.\nLargest files:");
    files.stream().sorted(Comparator.comparingInt((Entry e) -> e.content().length).reversed()).limit(5)
        .forEach(e -> m.append("\n  ").append(e.content().length).append("  ").append(e.path()));
    m.append("\nLeave out data, checkpoints and build output with ").append(ignore.source()
        .map(s -> "patterns in " + s).orElse("an .amlignore file (gitignore syntax)"))
        .append(", or keep the code in a git repository (spec.sourceDirectoryDataStore.git) or on a volume "
            + "(spec.sourceDirectoryDataStore.persistentVolumeClaim or .nfs) and submit without --source-dir; "
            + "bring data in through spec.inputs.");
    return m.toString();
  }
}
