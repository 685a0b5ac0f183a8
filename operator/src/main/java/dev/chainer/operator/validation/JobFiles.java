package dev.chainer.operator.validation;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobCrd;
import dev.chainer.operator.validation.Problem;
import dev.chainer.operator.validation.StructuralSchema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** Reads ChainerJobs from YAML as the API server would take them: a wrong or unknown field is an error naming it. */
public final class JobFiles {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private JobFiles() {}

  /** A problem reading a job file, with a message meant for the user (no stack trace). */
  public static final class InvalidJobFile extends Exception {
    public InvalidJobFile(String message) {
      super(message);
    }
  }

  /** The one job in a file ("-": standard input); a file with several documents is refused. */
  public static ChainerJob read(Path file) throws InvalidJobFile {
    return single(readAll(file));
  }

  /** Every job in a file, one per YAML document, each checked as {@link #parseAll} does. */
  public static List<ChainerJob> readAll(Path file) throws InvalidJobFile {
    try (InputStream in = file.toString().equals("-") ? System.in : Files.newInputStream(file)) {
      return parseAll(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new InvalidJobFile("cannot read " + file + ": " + e.getMessage());
    }
  }

  public static ChainerJob parse(String yaml) throws InvalidJobFile {
    return single(parseAll(yaml));
  }

  private static ChainerJob single(List<ChainerJob> jobs) throws InvalidJobFile {
    if (jobs.size() != 1) {
      throw new InvalidJobFile("holds " + jobs.size() + " documents; give one ChainerJob");
    }
    return jobs.get(0);
  }

  /**
   * Each document as the API server would take it: YAML aliases resolved, apiVersion and kind checked, the spec
   * checked against the CRD's structural schema (a number where a string is due, 2.5 or "4" for an integer, a
   * null item: refused, never coerced), then read strictly (an unknown field is an error naming it).
   */
  public static List<ChainerJob> parseAll(String yaml) throws InvalidJobFile {
    List<ChainerJob> jobs = new ArrayList<>();
    List<Object> documents = documents(yaml);
    for (int n = 1; n <= documents.size(); n++) {
      Object document = documents.get(n - 1);
      String where = documents.size() == 1 ? "" : "document " + n + ": ";
      if (document == null) {
        continue;
      }
      JsonNode tree = YAML.valueToTree(document);
      try {
        jobs.add(checked(tree));
      } catch (InvalidJobFile e) {
        throw new InvalidJobFile(where + e.getMessage());
      }
    }
    if (jobs.isEmpty()) {
      throw new InvalidJobFile("holds no ChainerJob");
    }
    return jobs;
  }

  /** Binds without the schema check: for building jobs in code and tests, valid or not. */
  public static ChainerJob bind(String yaml) throws InvalidJobFile {
    return bind(YAML.valueToTree(documents(yaml).get(0)));
  }

  private static List<Object> documents(String yaml) throws InvalidJobFile {
    try {
      List<Object> all = new ArrayList<>();
      new Yaml(new SafeConstructor(new LoaderOptions())).loadAll(yaml).forEach(all::add);
      return all;
    } catch (RuntimeException e) {
      throw new InvalidJobFile("not valid YAML: " + e.getMessage().replaceAll("\\s+", " "));
    }
  }

  private static ChainerJob checked(JsonNode tree) throws InvalidJobFile {
    if (!tree.isObject()) {
      throw new InvalidJobFile("not a Kubernetes object");
    }
    if (!"ChainerJob".equals(tree.path("kind").asText(null))) {
      throw new InvalidJobFile("kind: expected ChainerJob, got " + tree.path("kind"));
    }
    if (!ChainerJob.API_VERSION.equals(tree.path("apiVersion").asText(null))) {
      throw new InvalidJobFile("apiVersion: expected " + ChainerJob.API_VERSION + ", got " + tree.path("apiVersion"));
    }
    StructuralSchema.dropNulls(tree.path("spec"), ChainerJobCrd.specSchema());
    List<Problem> problems = StructuralSchema.validate(tree.path("spec"), ChainerJobCrd.specSchema(), "spec");
    if (!problems.isEmpty()) {
      throw new InvalidJobFile(problems.stream().map(Problem::toString).collect(Collectors.joining("; ")));
    }
    return bind(tree);
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
