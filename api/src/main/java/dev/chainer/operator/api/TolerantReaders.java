package dev.chainer.operator.api;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.jsonFormatVisitors.JsonFormatVisitorWrapper;
import java.io.IOException;
import java.util.stream.Collectors;

/**
 * Reads a ChainerJob's spec and status without ever failing: the informer deserializes every watched object, and a
 * single failure there is fatal to it (and JOSDK then stops the operator), whoever wrote the object.
 */
final class TolerantReaders {
  private TolerantReaders() {}

  /** A spec that cannot be read becomes an empty one carrying the raw JSON and the reason. */
  static final class Spec extends JsonDeserializer<ChainerJobSpec> {
    @Override
    public ChainerJobSpec deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      return read(p, ChainerJobSpec.class, (tree, e) -> {
        ChainerJobSpec unreadable = new ChainerJobSpec();
        unreadable.setUnreadable(new UnreadableSpec(tree, "spec" + path(e), reason(e)));
        return unreadable;
      });
    }
  }

  /**
   * Writes an unreadable spec back as the JSON it was read from: JOSDK and Fabric8 copy resources by serializing
   * them, and every copy must stay unreadable in the same way.
   */
  static final class SpecWriter extends JsonSerializer<ChainerJobSpec> {
    @Override
    public void serialize(ChainerJobSpec spec, JsonGenerator gen, SerializerProvider provider) throws IOException {
      if (spec.getUnreadable() != null) {
        gen.writeTree(spec.getUnreadable().raw());
      } else {
        provider.findValueSerializer(ChainerJobSpec.class).serialize(spec, gen, provider);
      }
    }

    /** Schema generators (the CRD generator among them) see the spec's own bean schema. */
    @Override
    public void acceptJsonFormatVisitor(JsonFormatVisitorWrapper visitor, JavaType type) throws JsonMappingException {
      visitor.getProvider().findValueSerializer(ChainerJobSpec.class).acceptJsonFormatVisitor(visitor, type);
    }
  }

  /** A status that cannot be read is dropped: the operator writes a new one from what it observes. */
  static final class Status extends JsonDeserializer<ChainerJobStatus> {
    @Override
    public ChainerJobStatus deserialize(JsonParser p, DeserializationContext ctx) throws IOException {
      return read(p, ChainerJobStatus.class, (tree, e) -> null);
    }
  }

  /** The value as {@code type}, or what {@code fallback} makes of the JSON and the reason it could not be read. */
  private static <T> T read(JsonParser p, Class<T> type,
      java.util.function.BiFunction<JsonNode, JsonProcessingException, T> fallback) throws IOException {
    JsonNode tree = p.readValueAsTree();
    try {
      return p.getCodec().treeToValue(tree, type);
    } catch (JsonProcessingException e) {
      return fallback.apply(tree, e);
    }
  }

  private static String path(JsonProcessingException e) {
    if (!(e instanceof JsonMappingException m)) {
      return "";
    }
    return m.getPath().stream().map(r -> r.getFieldName() != null ? "." + r.getFieldName() : "[" + r.getIndex() + "]")
        .collect(Collectors.joining());
  }

  private static String reason(JsonProcessingException e) {
    return e.getOriginalMessage().replaceAll("\\s+", " ").trim();
  }
}
