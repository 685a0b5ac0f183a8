package dev.chainer.operator.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.chainer.operator.api.ChainerJobSpec;

/**
 * The fields that shape a run: the whole spec except runPolicy (which stays editable). A snapshot is
 * stamped on the launcher and the workers when they are created, so that a run keeps the spec it started
 * with and the operator can tell when a running job's spec was edited.
 */
public final class RunSpec {
  public static final String ANNOTATION = "chainer.dev/run-spec";
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private RunSpec() {}

  /** The spec without runPolicy, as canonical JSON (sorted keys). */
  public static String snapshot(ChainerJobSpec spec) {
    try {
      ChainerJobSpec copy = MAPPER.readValue(MAPPER.writeValueAsBytes(spec), ChainerJobSpec.class);
      copy.setRunPolicy(null);
      return MAPPER.writeValueAsString(copy);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot serialise a ChainerJob spec", e);
    }
  }

  /** The spec a snapshot was taken of, with the given (current, always editable) runPolicy. */
  public static ChainerJobSpec restore(String snapshot, dev.chainer.operator.api.RunPolicy runPolicy) {
    try {
      ChainerJobSpec spec = MAPPER.readValue(snapshot, ChainerJobSpec.class);
      spec.setRunPolicy(runPolicy);
      return spec;
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("unreadable " + ANNOTATION + " annotation", e);
    }
  }
}
