package dev.chainer.operator.render;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.chainer.operator.api.ChainerJobSpec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A fingerprint of the fields that shape a run: the whole spec except runPolicy (which stays editable).
 * Stamped on the launcher and the workers so the operator can tell when a running job's spec was edited.
 */
public final class SpecHash {
  public static final String ANNOTATION = "chainer.dev/spec-hash";
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

  private SpecHash() {}

  public static String of(ChainerJobSpec spec) {
    try {
      ChainerJobSpec copy = MAPPER.readValue(MAPPER.writeValueAsBytes(spec), ChainerJobSpec.class);
      copy.setRunPolicy(null);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(MAPPER.writeValueAsString(copy)
          .getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (java.io.IOException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot fingerprint a ChainerJob spec", e);
    }
  }
}
