package dev.chainer.operator.localcluster.admission;

import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * What the API server makes of a structural schema before it estimates a CEL rule's cost (apiserver's
 * {@code SchemaDeclType}): each node's kind, the largest size its values can have ({@code maxElements}: a string's
 * bytes, a list's items, a map's entries) and the smallest JSON it can serialize to. An unbounded string, list or
 * map is assumed as large as a whole request (3 MiB), which is what makes unbounded rules expensive.
 */
public final class CelDeclType {
  /** The API server's limit on a request body; every unbounded size is estimated from it. */
  public static final long MAX_REQUEST_BYTES = 3L * 1024 * 1024;

  public enum Kind { STRING, BYTES, INT, DOUBLE, BOOL, DURATION, TIMESTAMP, DYN, OBJECT, LIST, MAP }

  private static final Set<Kind> SCALARS =
      Set.of(Kind.INT, Kind.DOUBLE, Kind.BOOL, Kind.DURATION, Kind.TIMESTAMP);
  private static final long MIN_STRING_SIZE = 2; // ""
  private static final long MIN_BOOL_SIZE = 4; // true
  private static final long MIN_NUMBER_SIZE = 1; // 0

  final Kind kind;
  final long maxElements;
  final long minSerializedSize;
  final Map<String, CelDeclType> fields;
  final CelDeclType elem;

  private CelDeclType(Kind kind, long maxElements, long minSerializedSize, Map<String, CelDeclType> fields,
      CelDeclType elem) {
    this.kind = kind;
    this.maxElements = maxElements;
    this.minSerializedSize = minSerializedSize;
    this.fields = fields;
    this.elem = elem;
  }

  static CelDeclType scalar(Kind kind) {
    return new CelDeclType(kind, 0, kind == Kind.BOOL ? MIN_BOOL_SIZE : MIN_NUMBER_SIZE, Map.of(), null);
  }

  boolean isScalar() {
    return SCALARS.contains(kind);
  }

  /** The type of a CRD version's root: apiVersion, kind, metadata.name and generateName are always readable. */
  public static CelDeclType ofResourceRoot(JSONSchemaProps root) {
    return of(withTypeAndObjectMeta(root));
  }

  /** The declared type of a schema node, or null when CEL cannot see it (no type, no items schema). */
  public static CelDeclType of(JSONSchemaProps s) {
    if (s == null) {
      return null;
    }
    if (Boolean.TRUE.equals(s.getXKubernetesIntOrString())) {
      return new CelDeclType(Kind.DYN, s.getMaxLength() != null ? s.getMaxLength() * 4 : MAX_REQUEST_BYTES - 2, 1,
          Map.of(), null);
    }
    if (Boolean.TRUE.equals(s.getXKubernetesEmbeddedResource())) {
      s = withTypeAndObjectMeta(s);
    }
    String type = s.getType();
    if (type == null) {
      return null;
    }
    return switch (type) {
      case "array" -> list(s);
      case "object" -> object(s);
      case "string" -> string(s);
      case "boolean" -> scalar(Kind.BOOL);
      case "number" -> scalar(Kind.DOUBLE);
      case "integer" -> scalar(Kind.INT);
      default -> null;
    };
  }

  private static CelDeclType list(JSONSchemaProps s) {
    CelDeclType items = s.getItems() == null ? null : of(s.getItems().getSchema());
    if (items == null) {
      return null;
    }
    long max = s.getMaxItems() != null ? Math.max(0, s.getMaxItems())
        : (MAX_REQUEST_BYTES - 2) / (items.minSerializedSize + 1);
    return new CelDeclType(Kind.LIST, max, 2, Map.of(), items);
  }

  private static CelDeclType object(JSONSchemaProps s) {
    if (s.getAdditionalProperties() != null && s.getAdditionalProperties().getSchema() != null) {
      CelDeclType values = of(s.getAdditionalProperties().getSchema());
      if (values == null) {
        return null;
      }
      long max = s.getMaxProperties() != null ? Math.max(0, s.getMaxProperties())
          : (MAX_REQUEST_BYTES - 2) / (values.minSerializedSize + 6);
      return new CelDeclType(Kind.MAP, max, 2, Map.of(), values);
    }
    Map<String, CelDeclType> fields = new LinkedHashMap<>();
    long minSize = 2;
    Set<String> required = s.getRequired() == null ? Set.of() : Set.copyOf(s.getRequired());
    if (s.getProperties() != null) {
      for (var e : s.getProperties().entrySet()) {
        CelDeclType field = of(e.getValue());
        if (field == null) {
          continue;
        }
        fields.put(e.getKey(), field);
        if (required.contains(e.getKey()) && e.getValue().getDefault() == null) {
          minSize += e.getKey().length() + field.minSerializedSize + 4;
        }
      }
    }
    return new CelDeclType(Kind.OBJECT, 0, minSize, fields, null);
  }

  private static CelDeclType string(JSONSchemaProps s) {
    String format = s.getFormat() == null ? "" : s.getFormat();
    return switch (format) {
      case "byte" -> new CelDeclType(Kind.BYTES,
          s.getMaxLength() != null ? s.getMaxLength() : MAX_REQUEST_BYTES - 2, MIN_STRING_SIZE, Map.of(), null);
      case "duration" -> new CelDeclType(Kind.DURATION, 64, 4, Map.of(), null);
      case "date" -> new CelDeclType(Kind.TIMESTAMP, 12, 12, Map.of(), null);
      case "date-time" -> new CelDeclType(Kind.TIMESTAMP, 35, 22, Map.of(), null);
      default -> new CelDeclType(Kind.STRING, stringMaxElements(s), MIN_STRING_SIZE, Map.of(), null);
    };
  }

  /** maxLength counts characters, the estimate counts bytes: up to 4 per character. */
  private static long stringMaxElements(JSONSchemaProps s) {
    if (s.getMaxLength() != null) {
      return Math.max(0, s.getMaxLength()) * 4;
    }
    if (s.getEnum() != null && !s.getEnum().isEmpty()) {
      return s.getEnum().stream().filter(v -> v.isTextual()).mapToLong(v -> v.asText().length()).max().orElse(0);
    }
    return MAX_REQUEST_BYTES - 2;
  }

  /**
   * The API server's WithTypeAndObjectMeta: unless the schema itself declares apiVersion, kind, metadata.name and
   * metadata.generateName as strings, it adds them, unbounded.
   */
  private static JSONSchemaProps withTypeAndObjectMeta(JSONSchemaProps s) {
    Map<String, JSONSchemaProps> props = s.getProperties() == null ? Map.of() : s.getProperties();
    JSONSchemaProps metadata = props.get("metadata");
    boolean declared = isString(props.get("kind")) && isString(props.get("apiVersion")) && metadata != null
        && "object".equals(metadata.getType()) && metadata.getProperties() != null
        && isString(metadata.getProperties().get("name")) && isString(metadata.getProperties().get("generateName"));
    if (declared) {
      return s;
    }
    JSONSchemaProps copy = new io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder(s).build();
    Map<String, JSONSchemaProps> withMeta = new LinkedHashMap<>(props);
    JSONSchemaProps string = new JSONSchemaProps();
    string.setType("string");
    withMeta.put("kind", string);
    withMeta.put("apiVersion", string);
    JSONSchemaProps meta = new JSONSchemaProps();
    meta.setType("object");
    meta.setProperties(Map.of("name", string, "generateName", string));
    withMeta.put("metadata", meta);
    copy.setProperties(withMeta);
    return copy;
  }

  private static boolean isString(JSONSchemaProps s) {
    return s != null && "string".equals(s.getType());
  }
}
