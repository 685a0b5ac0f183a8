package dev.chainer.operator.validation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.events.ScalarEvent;

/**
 * Types a YAML scalar as kubectl does before it sends JSON to the API server: sigs.k8s.io/yaml over go-yaml v2
 * (gopkg.in/yaml.v2 resolve.go). That is neither YAML 1.1 nor 1.2: {@code y}, {@code yes}, {@code on} are true;
 * {@code 0777} and {@code 0o777} are octal; {@code 1_000} is 1000; and base-60 numbers ({@code 1:30:00}) and
 * timestamps are plain strings (go-yaml v2 never supported base 60; a timestamp decoded into an untyped value
 * stays a string). SnakeYAML's own YAML 1.1 resolver would read {@code 1:30:00} as 5400 and a date as a Date.
 */
final class GoYamlScalars {
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String TAG = "tag:yaml.org,2002:";
  /** go-yaml v2's yamlStyleFloat: what it reads as a float once it is not an integer. */
  private static final Pattern FLOAT = Pattern.compile("[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?");
  private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
  private static final Map<String, JsonNode> WORDS = words();

  private GoYamlScalars() {}

  /** The merge key {@code <<}: a plain scalar, or one tagged !!merge. */
  static boolean isMergeKey(ScalarEvent e) {
    return "<<".equals(e.getValue()) && (e.getTag() == null ? e.isPlain() : e.getTag().equals(TAG + "merge"));
  }

  /**
   * The JSON value of a scalar; NaN and infinities stay doubles (a key may hold them, a value may not).
   *
   * @param asStored an integral float as the API server stores it (2.0 as the integer 2), else kept a float
   */
  static JsonNode value(ScalarEvent e, boolean asStored) throws Unsupported {
    String tag = e.getTag();
    if (tag == null) {
      return e.isPlain() ? resolve(e.getValue(), asStored) : JSON.textNode(e.getValue());
    }
    if (tag.equals("!") || tag.equals(TAG + "str")) {
      return JSON.textNode(e.getValue());
    }
    JsonNode resolved = resolve(e.getValue(), asStored);
    switch (tag.startsWith(TAG) ? tag.substring(TAG.length()) : tag) {
      case "int":
        if (resolved.isIntegralNumber()) {
          return resolved;
        }
        break;
      case "float":
        if (resolved.isNumber()) {
          return number(resolved.doubleValue(), e.getValue(), asStored);
        }
        break;
      case "bool":
        if (resolved.isBoolean()) {
          return resolved;
        }
        break;
      case "null":
        if (resolved.isNull()) {
          return resolved;
        }
        break;
      default:
        throw new Unsupported("the tag " + tag + " is not supported (kubectl reads only plain YAML values)");
    }
    throw new Unsupported("'" + e.getValue() + "' cannot be read as " + tag);
  }

  /** A plain scalar as go-yaml v2 resolves it without a tag. */
  static JsonNode resolve(String in, boolean asStored) {
    JsonNode word = WORDS.get(in);
    if (word != null) {
      return word;
    }
    char hint = in.isEmpty() ? 0 : in.charAt(0);
    if (hint == '.') {
      return FLOAT.matcher(in).matches() ? number(Double.parseDouble(in), in, asStored) : JSON.textNode(in);
    }
    if (hint != '+' && hint != '-' && (hint < '0' || hint > '9')) {
      return JSON.textNode(in);
    }
    String plain = in.replace("_", "");
    BigInteger integer = goInteger(plain);
    if (integer != null && integer.bitLength() < 64) {
      return integer.bitLength() < 32 ? JSON.numberNode(integer.intValue()) : JSON.numberNode(integer.longValue());
    }
    if (integer != null && integer.signum() > 0 && !plain.startsWith("+") && integer.compareTo(UINT64_MAX) <= 0) {
      return JSON.numberNode(integer); // ParseUint: unsigned text only
    }
    if (FLOAT.matcher(plain).matches()) {
      return number(Double.parseDouble(plain), in, asStored);
    }
    return JSON.textNode(in);
  }

  /**
   * A float as the API server stores it: Go's JSON writes an integral float without a fraction (2.0 as 2), which
   * the server then reads, stores and returns as an integer; out of range (1e400) go-yaml's parse fails and the
   * text stays a string.
   */
  private static JsonNode number(double v, String text, boolean asStored) {
    if (Double.isInfinite(v)) {
      return JSON.textNode(text);
    }
    if (asStored && v == Math.rint(v) && Math.abs(v) < 1e21 && Math.abs(v) < 0x1p63) {
      long l = (long) v;
      return l == (int) l ? JSON.numberNode((int) l) : JSON.numberNode(l);
    }
    return JSON.numberNode(v);
  }

  /** Go's strconv.ParseInt(s, 0, 64) syntax: an optional sign, then 0x, 0o, 0b, a leading 0 (octal), or decimal. */
  private static BigInteger goInteger(String s) {
    int i = s.startsWith("+") || s.startsWith("-") ? 1 : 0;
    String body = s.substring(i);
    int radix = 10;
    if (body.length() > 1 && body.charAt(0) == '0') {
      char p = Character.toLowerCase(body.charAt(1));
      radix = p == 'x' ? 16 : p == 'b' ? 2 : 8;
      body = body.substring(p == 'x' || p == 'b' || p == 'o' ? 2 : 1);
    }
    if (body.isEmpty() || body.length() > 80) {
      return null;
    }
    for (char c : body.toCharArray()) {
      if (c > 127 || Character.digit(c, radix) < 0) {
        return null;
      }
    }
    BigInteger v = new BigInteger(body, radix);
    return s.startsWith("-") ? v.negate() : v;
  }

  /**
   * A mapping key as sigs.k8s.io/yaml writes it into JSON: a string as is, a number in decimal, a float as Go's
   * FormatFloat(k, 'g', -1, 32), a boolean as true/false (so an unquoted key {@code y} or {@code on} becomes
   * "true"); null has no JSON form.
   */
  static String key(JsonNode k) throws Unsupported {
    if (k.isTextual()) {
      return k.textValue();
    }
    if (k.isIntegralNumber() || k.isBoolean()) {
      return k.asText();
    }
    if (k.isDouble()) {
      return goFloat32(k.doubleValue());
    }
    throw new Unsupported("a mapping key cannot be null (kubectl refuses it): quote it");
  }

  private static String goFloat32(double d) {
    float f = (float) d;
    if (Float.isNaN(f) || Float.isInfinite(f)) {
      return Float.isNaN(f) ? ".nan" : f > 0 ? ".inf" : "-.inf";
    }
    if (f == 0) {
      return "0";
    }
    BigDecimal v = new BigDecimal(Float.toString(f)).stripTrailingZeros();
    int exp = v.precision() - v.scale() - 1;
    if (exp >= -4 && exp < 6) { // shortest 'g' switches to an exponent outside [1e-4, 1e6)
      return v.toPlainString();
    }
    String digits = v.unscaledValue().abs().toString();
    return (v.signum() < 0 ? "-" : "") + digits.charAt(0) + (digits.length() > 1 ? "." + digits.substring(1) : "")
        + "e" + (exp < 0 ? "-" : "+") + (Math.abs(exp) < 10 ? "0" : "") + Math.abs(exp);
  }

  private static Map<String, JsonNode> words() {
    Map<String, JsonNode> m = new java.util.HashMap<>();
    for (String s : new String[] {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"}) {
      m.put(s, JSON.booleanNode(true));
    }
    for (String s : new String[] {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"}) {
      m.put(s, JSON.booleanNode(false));
    }
    for (String s : new String[] {"", "~", "null", "Null", "NULL"}) {
      m.put(s, JSON.nullNode());
    }
    for (String s : new String[] {".nan", ".NaN", ".NAN"}) {
      m.put(s, JSON.numberNode(Double.NaN));
    }
    for (String s : new String[] {".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"}) {
      m.put(s, JSON.numberNode(Double.POSITIVE_INFINITY));
    }
    for (String s : new String[] {"-.inf", "-.Inf", "-.INF"}) {
      m.put(s, JSON.numberNode(Double.NEGATIVE_INFINITY));
    }
    return Map.copyOf(m);
  }

  /** A scalar kubectl would not turn into JSON. */
  static final class Unsupported extends Exception {
    Unsupported(String message) {
      super(message);
    }
  }
}
