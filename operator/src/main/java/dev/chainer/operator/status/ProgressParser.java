package dev.chainer.operator.status;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads training progress from what an unchanged Chainer script prints: the ProgressBar extension
 * ("total [###...] 14.17%", "1700 iter, 2 epoch / 20 epochs", "Estimated time to finish: 0:08:57"), the
 * PrintReport table (a header of report keys, then rows of numbers in the same columns) and LogReport
 * JSON when a script dumps it. Later lines win. Anything else (other ranks' output, warnings, garbage) is
 * ignored, and nothing here ever throws on input.
 */
public final class ProgressParser {
  private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");
  private static final Pattern TOTAL_BAR = Pattern.compile("^\\s*total \\[[#.]*\\]\\s+([0-9]+(?:\\.[0-9]+)?)%");
  private static final Pattern ITERATIONS = Pattern.compile(
      "^\\s*(\\d+) iter, (\\d+) epoch / (\\d+) (epochs?|iterations?)\\b");
  private static final Pattern ETA = Pattern.compile(
      "Estimated time to finish: (?:(\\d+) days?, )?(\\d+):(\\d{2}):(\\d{2})(?:\\.\\d+)?");
  /** ChainerMN's examples print their length at start-up. */
  private static final Pattern NUM_EPOCH = Pattern.compile("^\\s*Num epoch: (\\d+)\\s*$");
  private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d+\\.?\\d*|\\.\\d+)([eE][-+]?\\d+)?|nan|inf|-inf");
  private static final ObjectMapper JSON = new ObjectMapper();

  private ProgressParser() {}

  /**
   * The last PrintReport header in the log, if any: a reader that keeps it can read the report's rows from a tail that
   * no longer holds it (a script that prints a lot between its reports).
   */
  public static java.util.Optional<String> lastHeader(String log) {
    String found = null;
    for (String raw : log.split("\r\n|\r|\n")) {
      String line = ANSI.matcher(raw).replaceAll("");
      if (isHeader(line)) {
        found = line;
      }
    }
    return java.util.Optional.ofNullable(found);
  }

  public static ProgressReading parse(String log) {
    ProgressReading reading = new ProgressReading();
    if (log == null) {
      return reading;
    }
    List<Column> header = null;
    StringBuilder json = null;
    for (String raw : log.split("\r\n|\r|\n")) {
      String line = ANSI.matcher(raw).replaceAll("");
      try {
        if (json != null) {
          json.append(line).append('\n');
          if (line.trim().equals("]")) {
            logReport(json.toString(), reading);
            json = null;
          }
          continue;
        }
        if (line.trim().equals("[")) {
          json = new StringBuilder("[\n");
        } else if (progressBar(line, reading)) {
          continue;
        } else if (isHeader(line)) {
          header = columns(line);
        } else if (header != null && isRow(line)) {
          row(line, header, reading);
        }
      } catch (RuntimeException | java.io.IOException garbage) {
        // One odd line never spoils the rest.
      }
    }
    return reading;
  }

  private static boolean progressBar(String line, ProgressReading r) {
    Matcher m = NUM_EPOCH.matcher(line);
    if (m.find()) {
      r.totalEpochs = Long.parseLong(m.group(1));
      return true;
    }
    m = TOTAL_BAR.matcher(line);
    if (m.find()) {
      r.percent = Double.parseDouble(m.group(1));
      return true;
    }
    m = ITERATIONS.matcher(line);
    if (m.find()) {
      r.iteration = Long.parseLong(m.group(1));
      r.epoch = Long.parseLong(m.group(2));
      if (m.group(4).startsWith("epoch")) {
        r.totalEpochs = Long.parseLong(m.group(3));
      } else {
        r.totalIterations = Long.parseLong(m.group(3));
      }
      return true;
    }
    m = ETA.matcher(line);
    if (m.find()) {
      long days = m.group(1) == null ? 0 : Long.parseLong(m.group(1));
      r.secondsRemaining = days * 86400 + Long.parseLong(m.group(2)) * 3600 + Long.parseLong(m.group(3)) * 60
          + Long.parseLong(m.group(4));
      return true;
    }
    return false;
  }

  /** PrintReport's header: report keys only, one of them epoch or iteration. */
  private static boolean isHeader(String line) {
    String[] tokens = line.trim().split("\\s+");
    if (tokens.length < 2) {
      return false;
    }
    boolean keyed = false;
    for (String t : tokens) {
      if (NUMBER.matcher(t).matches() || !t.matches("[A-Za-z_][\\w/.\\-]*")) {
        return false;
      }
      keyed |= t.equals("epoch") || t.equals("iteration");
    }
    return keyed;
  }

  private static boolean isRow(String line) {
    String trimmed = line.trim();
    if (trimmed.isEmpty()) {
      return false;
    }
    for (String t : trimmed.split("\\s+")) {
      if (!NUMBER.matcher(t).matches()) {
        return false;
      }
    }
    return true;
  }

  private record Column(String name, int start) {}

  private static List<Column> columns(String header) {
    List<Column> columns = new ArrayList<>();
    Matcher m = Pattern.compile("\\S+").matcher(header);
    while (m.find()) {
      columns.add(new Column(m.group(), m.start()));
    }
    return columns;
  }

  /** A row's values sit under their header's columns; a blank cell is a value not reported this time. */
  private static void row(String line, List<Column> header, ProgressReading r) {
    for (int i = 0; i < header.size(); i++) {
      int start = header.get(i).start();
      int end = i + 1 < header.size() ? header.get(i + 1).start() : line.length();
      if (start >= line.length()) {
        break;
      }
      String value = line.substring(start, Math.min(end, line.length())).trim();
      if (!value.isEmpty()) {
        put(header.get(i).name(), value, r);
      }
    }
  }

  private static void put(String key, String value, ProgressReading r) {
    switch (key) {
      case "epoch" -> r.epoch = (long) Double.parseDouble(value);
      case "iteration" -> r.iteration = (long) Double.parseDouble(value);
      case "elapsed_time" -> { }
      default -> r.metric(key, value);
    }
  }

  /** LogReport's JSON: a list of entries; the last one is the latest. */
  private static void logReport(String text, ProgressReading r) throws java.io.IOException {
    JsonNode entries = JSON.readTree(text);
    if (!entries.isArray() || entries.isEmpty()) {
      return;
    }
    JsonNode last = entries.get(entries.size() - 1);
    last.fields().forEachRemaining(e -> {
      if (e.getValue().isNumber()) {
        put(e.getKey(), e.getValue().asText(), r);
      }
    });
  }
}
