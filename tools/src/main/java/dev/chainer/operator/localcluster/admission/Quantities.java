package dev.chainer.operator.localcluster.admission;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Resource quantities as apimachinery's {@code resource.Quantity} adds and prints them, for messages that quote them
 * (the quota plugin's "requested: requests.nvidia.com/gpu=2"): a sum keeps the format of its first non-zero term
 * (Quantity.Add), and a quantity prints in canonical form (CanonicalizeBytes): "1500m" stays, "2000" is "2k", "1024Mi"
 * is "1Gi", a binary quantity that is not a whole multiple of 1Ki prints in decimal.
 */
public final class Quantities {
  private Quantities() {}

  /** Go's three formats; a quantity without suffix is DecimalSI. */
  public enum Format { DECIMAL_SI, BINARY_SI, DECIMAL_EXPONENT }

  /** A value and the format it prints in. */
  public record Amount(BigDecimal value, Format format) {
    static final Amount ZERO = new Amount(BigDecimal.ZERO, Format.DECIMAL_SI);

    /** resource.Quantity.Add: the receiver's format, or the addend's when the receiver is zero. */
    public Amount plus(Amount other) {
      return new Amount(value.add(other.value), value.signum() == 0 ? other.format : format);
    }

    public int compareTo(Amount other) {
      return value.compareTo(other.value);
    }

    @Override
    public String toString() {
      return canonical(this);
    }
  }

  public static Amount of(Quantity q) {
    return new Amount(Quantity.getAmountInBytes(q), format(q.getFormat()));
  }

  public static Amount of(String text) {
    return of(new Quantity(text));
  }

  private static Format format(String suffix) {
    if (suffix == null || suffix.isEmpty()) {
      return Format.DECIMAL_SI;
    }
    if (suffix.endsWith("i")) {
      return Format.BINARY_SI;
    }
    return suffix.startsWith("e") || suffix.startsWith("E") ? Format.DECIMAL_EXPONENT : Format.DECIMAL_SI;
  }

  /** prettyPrint of the quota plugin: {@code key=value} pairs sorted by key, joined by commas. */
  public static String pretty(Map<String, Amount> list) {
    return new TreeMap<>(list).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(","));
  }

  /** Quantity.String(): CanonicalizeBytes. */
  static String canonical(Amount a) {
    BigDecimal v = a.value;
    if (v.signum() == 0) {
      return "0";
    }
    if (v.scale() > 9) { // a Quantity holds at most nano precision, rounded up
      v = v.setScale(9, RoundingMode.CEILING);
    }
    if (a.format == Format.BINARY_SI && v.abs().compareTo(BigDecimal.valueOf(1024)) >= 0 && isWhole(v)) {
      BigInteger n = v.toBigIntegerExact();
      BigInteger k = BigInteger.valueOf(1024);
      int exponent = 0;
      while (exponent < 6 && n.mod(k).signum() == 0) {
        n = n.divide(k);
        exponent++;
      }
      return n + new String[] {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"}[exponent];
    }
    // AsCanonicalBytes: every factor of ten out of the mantissa, then the exponent down to a multiple of three
    BigDecimal stripped = v.stripTrailingZeros();
    BigInteger mantissa = stripped.unscaledValue();
    int exponent = -stripped.scale();
    int down = Math.floorMod(exponent, 3);
    mantissa = mantissa.multiply(BigInteger.TEN.pow(down));
    exponent -= down;
    if (a.format == Format.DECIMAL_EXPONENT || exponent < -9 || exponent > 18) {
      return mantissa + (exponent == 0 ? "" : "e" + exponent);
    }
    return mantissa + switch (exponent) {
      case -9 -> "n";
      case -6 -> "u";
      case -3 -> "m";
      case 3 -> "k";
      case 6 -> "M";
      case 9 -> "G";
      case 12 -> "T";
      case 15 -> "P";
      case 18 -> "E";
      default -> "";
    };
  }

  private static boolean isWhole(BigDecimal v) {
    return v.stripTrailingZeros().scale() <= 0;
  }
}
