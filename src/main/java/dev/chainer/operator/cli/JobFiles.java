package dev.chainer.operator.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.chainer.operator.api.ChainerJob;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Reads a ChainerJob from YAML strictly: an unknown or mistyped field is an error naming it. */
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

  public static ChainerJob read(Path file) throws InvalidJobFile {
    try (InputStream in = file.toString().equals("-") ? System.in : Files.newInputStream(file)) {
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new InvalidJobFile("cannot read " + file + ": " + e.getMessage());
    }
  }

  public static ChainerJob parse(String yaml) throws InvalidJobFile {
    ChainerJob job;
    try {
      job = YAML.readValue(yaml, ChainerJob.class);
    } catch (JsonMappingException e) {
      throw new InvalidJobFile(path(e) + ": " + e.getOriginalMessage().split("\n")[0]);
    } catch (JsonProcessingException e) {
      throw new InvalidJobFile("not valid YAML: " + e.getOriginalMessage());
    }
    if (job == null || !"ChainerJob".equals(job.getKind())) {
      throw new InvalidJobFile("kind: expected ChainerJob");
    }
    if (!ChainerJob.API_VERSION.equals(job.getApiVersion())) {
      throw new InvalidJobFile("apiVersion: expected " + ChainerJob.API_VERSION + ", got " + job.getApiVersion());
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
