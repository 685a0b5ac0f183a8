package dev.chainer.operator.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobCrd;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Reads ChainerJobs from YAML as kubectl and the API server would take them: scalars typed as kubectl types them, a
 * wrong or unknown field an error naming it, and the input bounded (see {@link YamlDocuments}). Every message
 * names the document ("document 2: spec.scriptParams: duplicate key --lr").
 */
public final class JobFiles {
  /** The most a job file may hold: the API server's limit on one request (3 MiB). */
  public static final int MAX_BYTES = YamlDocuments.MAX_BYTES;
  /** Problems said for one document: the first ones are what the author needs, not a wall of text. */
  private static final int MAX_PROBLEMS = 20;
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private JobFiles() {}

  /** A problem reading a job file, with a message meant for the user (no stack trace). */
  public static final class InvalidJobFile extends Exception {
    public InvalidJobFile(String message) {
      super(message);
    }
  }

  /**
   * A ChainerJob and where in the file it came from: its document (1 for the first) and, for a v1 List such as
   * {@code kubectl get chainerjobs -o yaml} writes, its index among the List's items (else -1).
   */
  public record Job(int document, int item, ChainerJob job) {
    /** "document 2", or "document 1 items[3]". */
    public String where() {
      return "document " + document + (item < 0 ? "" : " items[" + item + "]");
    }
  }

  /**
   * What a file holds: its ChainerJobs, and what was skipped (other kinds, such as a ConfigMap kept next to the
   * job), each said as "document 2: ConfigMap my-config". Empty documents are neither.
   */
  public record Contents(List<Job> jobs, List<String> skipped) {
    public List<ChainerJob> chainerJobs() {
      return jobs.stream().map(Job::job).toList();
    }
  }

  /** The one job in a file ("-": standard input), for commands that take one. */
  public static ChainerJob read(Path file) throws InvalidJobFile {
    return single(load(file));
  }

  /** Every ChainerJob in a file, other kinds skipped; see {@link #load} for what was skipped. */
  public static List<ChainerJob> readAll(Path file) throws InvalidJobFile {
    return load(file).chainerJobs();
  }

  /** Every document of a file ("-": standard input), read at most {@link #MAX_BYTES} bytes from it. */
  public static Contents load(Path file) throws InvalidJobFile {
    try (InputStream in = file.toString().equals("-") ? System.in : Files.newInputStream(file)) {
      byte[] bytes = in.readNBytes(MAX_BYTES + 1);
      if (bytes.length > MAX_BYTES) {
        throw new InvalidJobFile(YamlDocuments.tooLarge() + ": split it into several files");
      }
      return contents(utf8(bytes));
    } catch (IOException e) {
      throw new InvalidJobFile("cannot read " + file + ": " + e.getMessage());
    }
  }

  public static ChainerJob parse(String yaml) throws InvalidJobFile {
    return single(contents(yaml));
  }

  /** Every ChainerJob in a YAML text, each checked as {@link #contents} does. */
  public static List<ChainerJob> parseAll(String yaml) throws InvalidJobFile {
    return contents(yaml).chainerJobs();
  }

  private static ChainerJob single(Contents contents) throws InvalidJobFile {
    if (contents.jobs().size() != 1) {
      throw new InvalidJobFile("holds " + contents.jobs().size() + " ChainerJobs (documents "
          + contents.jobs().stream().map(j -> j.where().substring("document ".length()))
          .collect(Collectors.joining(", "))
          + "); this command takes a file with one (render takes several)");
    }
    return contents.jobs().get(0).job();
  }

  /**
   * Each document as the API server would take it: apiVersion and kind checked (a document of another kind is
   * skipped; one that is nearly a ChainerJob, such as chainer.dev/v2 or kind chainerjob, is an error), the spec
   * checked against the CRD's structural schema (a number where a string is due, 2.5 or "4" for an integer, a
   * null item: refused, never coerced), then read strictly (an unknown field is an error naming it). Two jobs of
   * one namespace and name are refused: the second would replace the first.
   */
  public static Contents contents(String yaml) throws InvalidJobFile {
    List<Job> jobs = new ArrayList<>();
    List<String> skipped = new ArrayList<>();
    List<JsonNode> documents = YamlDocuments.read(yaml);
    for (int n = 1; n <= documents.size(); n++) {
      JsonNode tree = documents.get(n - 1);
      if (tree != null && isList(tree)) {
        for (int i = 0; i < tree.path("items").size(); i++) {
          add(new Job(n, i, null), tree.path("items").get(i), jobs, skipped);
        }
      } else if (tree != null) {
        add(new Job(n, -1, null), tree, jobs, skipped);
      }
    }
    if (jobs.isEmpty()) {
      throw new InvalidJobFile("holds no ChainerJob" + (skipped.isEmpty() ? "" : " (" + String.join("; ", skipped)
          + ")"));
    }
    refuseSameName(jobs);
    return new Contents(jobs, skipped);
  }

  /** One object: a ChainerJob checked and added, or another kind noted as skipped. */
  private static void add(Job place, JsonNode tree, List<Job> jobs, List<String> skipped) throws InvalidJobFile {
    try {
      if (isOtherKind(tree)) {
        skipped.add(place.where() + ": " + tree.path("kind").asText() + " "
            + tree.path("metadata").path("name").asText(tree.path("metadata").path("generateName").asText("")));
      } else {
        jobs.add(new Job(place.document(), place.item(), checked(tree)));
      }
    } catch (InvalidJobFile e) {
      throw new InvalidJobFile(place.where() + ": " + e.getMessage());
    }
  }

  /** kubectl's v1 List (what {@code kubectl get -o yaml} writes for several objects): kubectl applies each item. */
  private static boolean isList(JsonNode tree) {
    return "v1".equals(tree.path("apiVersion").asText()) && "List".equals(tree.path("kind").asText())
        && tree.path("items").isArray();
  }

  /**
   * Binds without the schema check: for building jobs in code and tests, valid or not. A float stays a float even
   * when integral (2.0), as a job built in code holds it; a file read as the API server stores it has 2.
   */
  public static ChainerJob bind(String yaml) throws InvalidJobFile {
    return bind(YamlDocuments.read(yaml, false).get(0));
  }

  /** An object of another kind (a ConfigMap kept next to the job): neither a ChainerJob nor a misspelt one. */
  private static boolean isOtherKind(JsonNode tree) {
    String kind = tree.path("kind").asText("");
    String apiVersion = tree.path("apiVersion").asText("");
    return tree.isObject() && !kind.isEmpty() && !kind.equalsIgnoreCase("ChainerJob")
        && !apiVersion.startsWith(ChainerJob.API_VERSION.substring(0, ChainerJob.API_VERSION.indexOf('/') + 1));
  }

  private static void refuseSameName(List<Job> jobs) throws InvalidJobFile {
    Map<String, String> seen = new HashMap<>();
    for (Job j : jobs) {
      String name = j.job().getMetadata().getName();
      if (name == null) {
        continue; // the server generates a distinct name for each
      }
      String key = j.job().getMetadata().getNamespace() + "/" + name;
      String first = seen.putIfAbsent(key, j.where());
      if (first != null) {
        throw new InvalidJobFile(j.where() + ": metadata.name: ChainerJob " + key + " is also " + first
            + ": a file may hold one job of each name (the second would replace the first)");
      }
    }
  }

  /** The text of a file, which must be UTF-8 as YAML for kubectl must be. */
  private static String utf8(byte[] bytes) throws InvalidJobFile {
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new InvalidJobFile("is not UTF-8 text");
    }
  }

  private static ChainerJob checked(JsonNode tree) throws InvalidJobFile {
    if (!tree.isObject()) {
      throw new InvalidJobFile("not a Kubernetes object (a mapping with apiVersion and kind)");
    }
    if (!"ChainerJob".equals(tree.path("kind").asText(null))) {
      throw new InvalidJobFile("kind: expected ChainerJob, got " + tree.path("kind"));
    }
    if (!ChainerJob.API_VERSION.equals(tree.path("apiVersion").asText(null))) {
      throw new InvalidJobFile("apiVersion: expected " + ChainerJob.API_VERSION + ", got " + tree.path("apiVersion"));
    }
    refuseNonStrings(tree.path("metadata"), "labels");
    refuseNonStrings(tree.path("metadata"), "annotations");
    StructuralSchema.dropNulls(tree.path("spec"), ChainerJobCrd.specSchema());
    List<Problem> problems = StructuralSchema.validate(tree.path("spec"), ChainerJobCrd.specSchema(), "spec");
    if (!problems.isEmpty()) {
      throw new InvalidJobFile(problems.stream().limit(MAX_PROBLEMS).map(Problem::toString)
          .collect(Collectors.joining("; ")) + (problems.size() > MAX_PROBLEMS
          ? "; and " + (problems.size() - MAX_PROBLEMS) + " more" : ""));
    }
    return bind(tree);
  }

  /** Label and annotation values are strings: the API server refuses {@code a: 1} or {@code a: true} there. */
  private static void refuseNonStrings(JsonNode metadata, String field) throws InvalidJobFile {
    JsonNode map = metadata.path(field);
    for (var it = map.fields(); it.hasNext(); ) {
      var e = it.next();
      if (!e.getValue().isTextual() && !e.getValue().isNull()) {
        throw new InvalidJobFile("metadata." + field + "[" + e.getKey() + "]: must be a string, got " + e.getValue()
            + " (quote it: kubectl reads it as a " + e.getValue().getNodeType().toString().toLowerCase() + ")");
      }
    }
  }

  private static ChainerJob bind(JsonNode tree) throws InvalidJobFile {
    ChainerJob job;
    try {
      job = YAML.treeToValue(tree, ChainerJob.class);
    } catch (JsonMappingException e) {
      throw new InvalidJobFile(path(e) + ": " + e.getOriginalMessage().split("\n")[0]);
    } catch (JsonProcessingException e) {
      throw new InvalidJobFile("not valid YAML: " + e.getOriginalMessage());
    }
    if (job == null) {
      throw new InvalidJobFile("kind: expected ChainerJob");
    }
    if (job.getMetadata() == null) {
      job.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    }
    if (job.getMetadata().getNamespace() == null) {
      job.getMetadata().setNamespace("default");
    }
    return job;
  }

  private static String path(JsonMappingException e) {
    String path = e.getPath().stream()
        .map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining());
    return path.isEmpty() ? "(document)" : path.substring(1);
  }
}
