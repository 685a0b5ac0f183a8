package dev.chainer.operator.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.events.ScalarEvent;
import org.yaml.snakeyaml.parser.Parser;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;

/**
 * The documents of a YAML stream as the JSON kubectl sends for each (scalars typed by {@link GoYamlScalars}), at a
 * cost bounded by the input's size. Read from SnakeYAML's event stream, never its object graph, so that nothing is
 * expanded before it is counted:
 * <ul>
 *   <li>every alias is charged the JSON size of what it stands for, scalar aliases too (SnakeYAML's own alias
 *       limit counts collections only), and a document whose JSON would pass {@link #MAX_BYTES} is refused at
 *       that point: kubectl expands aliases itself and the API server takes at most 3 MiB per request;</li>
 *   <li>nesting is limited to {@link #MAX_DEPTH} levels (a ChainerJob needs about 15);</li>
 *   <li>a key given twice in one mapping (after typing: {@code lr} and {@code "lr"}, {@code 1} and {@code "1"})
 *       is refused with the mapping's path, as kubectl's strict decoding does; a sequence or mapping used as a key
 *       is refused (JSON has string keys only). Merge keys ({@code <<}) work as in go-yaml: explicit keys win.</li>
 * </ul>
 */
final class YamlDocuments {
  /** The API server's limit on a request body (apiserver's MaxRequestBodyBytes, 3 MiB), applied to the file. */
  static final int MAX_BYTES = 3 * 1024 * 1024;
  /** What all of a stream's documents may expand to together: bounds the work on a file of many documents. */
  static final long MAX_STREAM_BYTES = 2L * MAX_BYTES;
  static final int MAX_DEPTH = 64;
  /**
   * Values (scalars and collections, aliases expanded) in one document. The CRD caps every list and map of a
   * ChainerJob at 256 entries (64 or 32 for some), so a valid job holds a few thousand; 3 MiB of {@code [0,0,...]}
   * would be 1.5 million, each read by SnakeYAML (about 10 µs an event) and then checked against the schema.
   */
  static final int MAX_VALUES = 20_000;
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  /** Maps whose keys are the user's data (flags, variable names, label keys), not field names. */
  private static final java.util.Set<String> USER_KEYED = java.util.Set.of("scriptParams", "environmentVariables",
      "labels", "annotations", "nodeSelector", "limits", "requests", "data", "binaryData", "matchLabels");
  private static final java.util.regex.Pattern PLAIN_KEY = java.util.regex.Pattern.compile("[-A-Za-z0-9_<]+");

  private final Parser parser;
  private final boolean asStored;
  private final Deque<Frame> stack = new ArrayDeque<>();
  private final Map<String, Built> anchors = new HashMap<>();
  private int document;
  private long expanded;
  private long values;
  private long streamExpanded;
  private JsonNode root;

  private YamlDocuments(String yaml, boolean asStored) {
    this.asStored = asStored;
    LoaderOptions options = new LoaderOptions();
    options.setCodePointLimit(MAX_BYTES);
    parser = new ParserImpl(new StreamReader(new StringReader(yaml)), options);
  }

  /** Each document's JSON as the API server stores it, null for an empty one. */
  static List<JsonNode> read(String yaml) throws JobFiles.InvalidJobFile {
    return read(yaml, true);
  }

  /** @param asStored whether an integral float becomes an integer, as the API server stores it (2.0 as 2) */
  static List<JsonNode> read(String yaml, boolean asStored) throws JobFiles.InvalidJobFile {
    if (yaml.length() > MAX_BYTES || yaml.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
      throw new JobFiles.InvalidJobFile(tooLarge());
    }
    YamlDocuments reader = new YamlDocuments(yaml, asStored);
    try {
      return reader.documents();
    } catch (MarkedYAMLException e) {
      Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      throw reader.refused("", "not valid YAML: " + (e.getProblem() != null ? e.getProblem() : e.getContext())
          + (mark == null ? "" : " (line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1) + ")"));
    } catch (YAMLException e) {
      throw reader.refused("", "not valid YAML: " + e.getMessage().replaceAll("\\s+", " "));
    }
  }

  static String tooLarge() {
    return "is larger than 3 MiB (" + MAX_BYTES + " bytes), the most the API server accepts in one request";
  }

  private List<JsonNode> documents() throws JobFiles.InvalidJobFile {
    List<JsonNode> out = new ArrayList<>();
    while (true) {
      Event e = parser.getEvent();
      switch (e.getEventId()) {
        case DocumentStart -> {
          document++;
          anchors.clear();
          expanded = 0;
          values = 0;
          root = null;
        }
        case DocumentEnd -> out.add(root == null || root.isNull() ? null : root);
        case Scalar -> scalar((ScalarEvent) e);
        case Alias -> alias((AliasEvent) e);
        case SequenceStart, MappingStart -> start((CollectionStartEvent) e);
        case SequenceEnd, MappingEnd -> end();
        case StreamEnd -> {
          return out;
        }
        default -> { }
      }
    }
  }

  private void scalar(ScalarEvent e) throws JobFiles.InvalidJobFile {
    Frame parent = stack.peek();
    if (parent instanceof MapFrame map && !map.hasKey && GoYamlScalars.isMergeKey(e)) {
      map.mergeNext();
      return;
    }
    JsonNode value;
    try {
      value = GoYamlScalars.value(e, asStored);
    } catch (GoYamlScalars.Unsupported u) {
      throw refused(childPath(), u.getMessage());
    }
    long size = value.isTextual() ? value.textValue().getBytes(StandardCharsets.UTF_8).length + 2
        : value.toString().length();
    charge(size, 1);
    place(new Built(value, size, 1), e.getAnchor());
  }

  private void alias(AliasEvent e) throws JobFiles.InvalidJobFile {
    Built target = anchors.get(e.getAnchor());
    if (target == null) {
      throw refused(childPath(), "the alias *" + e.getAnchor() + " names no anchor before it (or one that "
          + "contains the alias)");
    }
    charge(target.size(), target.values());
    place(new Built(target.node().deepCopy(), target.size(), target.values()), null);
  }

  private void start(CollectionStartEvent e) throws JobFiles.InvalidJobFile {
    String path = childPath();
    if (stack.peek() instanceof MapFrame map && !map.hasKey) {
      throw refused(path, "a mapping key must be a string or a number, not a " + kind(e)
          + " (JSON keys are strings)");
    }
    String tag = e.getTag();
    String expected = "tag:yaml.org,2002:" + (e instanceof org.yaml.snakeyaml.events.MappingStartEvent ? "map" : "seq");
    if (tag != null && !tag.equals("!") && !tag.equals(expected)) {
      throw refused(path, "the tag " + tag + " is not supported (kubectl reads only plain YAML values)");
    }
    if (stack.size() >= MAX_DEPTH) {
      throw refused(path, "nested deeper than " + MAX_DEPTH + " levels");
    }
    charge(2, 1);
    stack.push(e instanceof org.yaml.snakeyaml.events.MappingStartEvent ? new MapFrame(path, e.getAnchor(), expanded,
        values) : new SeqFrame(path, e.getAnchor(), expanded, values));
  }

  private void end() throws JobFiles.InvalidJobFile {
    Frame frame = stack.pop();
    place(new Built(frame.build(), expanded - frame.startedAt + 3, values - frame.valuesBefore + 1), frame.anchor);
  }

  private void place(Built built, String anchor) throws JobFiles.InvalidJobFile {
    boolean isKey = stack.peek() instanceof MapFrame map && !map.hasKey;
    if (!isKey && built.node().isDouble() && !Double.isFinite(built.node().doubleValue())) {
      throw refused(childPath(), built.node().asText() + " has no JSON form (kubectl refuses .nan and .inf): "
          + "quote it to pass a string");
    }
    if (anchor != null) {
      anchors.put(anchor, built);
    }
    Frame parent = stack.peek();
    if (parent == null) {
      root = built.node();
    } else {
      parent.add(built.node(), this);
    }
  }

  /** Counts JSON bytes as they are produced, so that a bomb is refused before it is built. */
  private void charge(long bytes, long count) throws JobFiles.InvalidJobFile {
    expanded += bytes + 1;
    streamExpanded += bytes + 1;
    values += count;
    if (values > MAX_VALUES) {
      throw refused(childPath(), "holds more than " + MAX_VALUES + " values (aliases expanded); a ChainerJob has "
          + "at most a few thousand (the CRD caps each list and map at 256 entries)");
    }
    if (expanded > MAX_BYTES) {
      throw refused(childPath(), "is larger than 3 MiB (" + MAX_BYTES + " bytes) once its aliases are expanded: "
          + "kubectl sends the expanded JSON, and the API server accepts at most 3 MiB in one request");
    }
    if (streamExpanded > MAX_STREAM_BYTES) {
      throw refused(childPath(), "the file's documents together expand to more than " + MAX_STREAM_BYTES
          + " bytes of JSON");
    }
  }

  private String childPath() {
    Frame parent = stack.peek();
    return parent == null ? "" : parent.childPath();
  }

  JobFiles.InvalidJobFile refused(String path, String message) {
    String shown = path.length() <= 160 ? path : path.substring(0, 80) + "..." + path.substring(path.length() - 40);
    return new JobFiles.InvalidJobFile("document " + Math.max(document, 1) + ": "
        + (path.isEmpty() ? "" : shown + ": ") + message);
  }

  private static String kind(CollectionStartEvent e) {
    return e instanceof org.yaml.snakeyaml.events.MappingStartEvent ? "mapping" : "sequence";
  }

  private record Built(JsonNode node, long size, long values) {}

  private abstract static class Frame {
    final String path;
    final String anchor;
    final long startedAt;
    final long valuesBefore;

    Frame(String path, String anchor, long startedAt, long valuesBefore) {
      this.path = path;
      this.anchor = anchor;
      this.startedAt = startedAt;
      this.valuesBefore = valuesBefore;
    }

    abstract String childPath();

    abstract void add(JsonNode node, YamlDocuments reader) throws JobFiles.InvalidJobFile;

    abstract JsonNode build();
  }

  private static final class SeqFrame extends Frame {
    private final ArrayNode items = JSON.arrayNode();

    SeqFrame(String path, String anchor, long startedAt, long valuesBefore) {
      super(path, anchor, startedAt, valuesBefore);
    }

    @Override
    String childPath() {
      return path + "[" + items.size() + "]";
    }

    @Override
    void add(JsonNode node, YamlDocuments reader) {
      items.add(node);
    }

    @Override
    JsonNode build() {
      return items;
    }
  }

  /** A mapping being read: keys and values alternate; {@code <<} merges mappings in under the explicit keys. */
  private static final class MapFrame extends Frame {
    private final Map<String, JsonNode> explicit = new LinkedHashMap<>();
    private final List<ObjectNode> merged = new ArrayList<>();
    private boolean hasKey;
    private boolean merging;
    private boolean mergedOnce;
    private String key;

    MapFrame(String path, String anchor, long startedAt, long valuesBefore) {
      super(path, anchor, startedAt, valuesBefore);
    }

    void mergeNext() {
      hasKey = true;
      merging = true;
    }

    @Override
    String childPath() {
      return !hasKey ? path : merging ? join("<<") : join(key);
    }

    /**
     * spec.kubernetes.launcher.resources, but spec.scriptParams[--lr] and metadata.labels[team] for a key of a map
     * the user fills (as the validators name them), or a key holding dots or slashes.
     */
    private String join(String k) {
      if (!PLAIN_KEY.matcher(k).matches() || USER_KEYED.contains(path.substring(path.lastIndexOf('.') + 1))) {
        return path + "[" + k + "]";
      }
      return path.isEmpty() ? k : path + "." + k;
    }

    @Override
    void add(JsonNode node, YamlDocuments reader) throws JobFiles.InvalidJobFile {
      if (!hasKey) {
        if (node.isContainerNode()) {
          throw reader.refused(path, "a mapping key must be a string or a number, not an alias of a "
              + (node.isObject() ? "mapping" : "sequence") + " (JSON keys are strings)");
        }
        try {
          key = GoYamlScalars.key(node);
        } catch (GoYamlScalars.Unsupported u) {
          throw reader.refused(path, u.getMessage());
        }
        if (explicit.containsKey(key)) {
          throw reader.refused(path, "duplicate key " + key + " (each key may appear once in a mapping; a "
              + "quoted and a plain spelling are the same key)");
        }
        hasKey = true;
        return;
      }
      if (merging) {
        merge(node, reader);
      } else {
        explicit.put(key, node);
      }
      hasKey = false;
      merging = false;
    }

    private void merge(JsonNode node, YamlDocuments reader) throws JobFiles.InvalidJobFile {
      if (mergedOnce) {
        throw reader.refused(path, "duplicate key << (merge several mappings with << : [*a, *b])");
      }
      mergedOnce = true;
      List<JsonNode> sources = node.isArray() ? toList(node) : List.of(node);
      for (JsonNode source : sources) {
        if (!source.isObject()) {
          throw reader.refused(join("<<"), "a merge key takes a mapping or a list of mappings");
        }
        merged.add((ObjectNode) source);
      }
    }

    private static List<JsonNode> toList(JsonNode array) {
      List<JsonNode> out = new ArrayList<>();
      array.forEach(out::add);
      return out;
    }

    @Override
    JsonNode build() {
      ObjectNode out = JSON.objectNode();
      for (ObjectNode source : merged) { // the first mapping merged wins over later ones, as in go-yaml
        source.fields().forEachRemaining(f -> {
          if (!out.has(f.getKey())) {
            out.set(f.getKey(), f.getValue());
          }
        });
      }
      explicit.forEach(out::set);
      return out;
    }
  }
}
