package dev.chainer.operator.render;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * A float as Python's {@code str()} (and {@code repr()}) prints it, which is what the estimator put on the script's
 * command line: the shortest digits that read back as the same double (closest to it when several do), in positional
 * form with at least one decimal ({@code 100.0}, {@code 0.0001}) when the decimal exponent is from -4 to 15, else in
 * scientific form with a signed two-digit exponent ({@code 1e-05}, {@code 1.5e+16}). CPython's float_repr_style
 * 'short' (format code 'r').
 */
public final class PythonFloat {
  private PythonFloat() {}

  /** Python's str() of the double; finite values only. */
  public static String str(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("not a finite number: " + value);
    }
    if (value == 0) {
      return (1 / value < 0) ? "-0.0" : "0.0";
    }
    BigDecimal shortest = shortest(value);
    String sign = shortest.signum() < 0 ? "-" : "";
    String digits = shortest.unscaledValue().abs().toString();
    int exponent = digits.length() - 1 - shortest.scale(); // of the first digit
    digits = stripTrailingZeros(digits);
    if (exponent < -4 || exponent >= 16) {
      String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
      return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + (Math.abs(exponent) < 10 ? "0" : "")
          + Math.abs(exponent);
    }
    if (exponent < 0) {
      return sign + "0." + "0".repeat(-exponent - 1) + digits;
    }
    if (digits.length() <= exponent + 1) {
      return sign + digits + "0".repeat(exponent + 1 - digits.length()) + ".0";
    }
    return sign + digits.substring(0, exponent + 1) + "." + digits.substring(exponent + 1);
  }

  /** The fewest significant digits that read back as the value; of two candidates, the nearer. */
  private static BigDecimal shortest(double value) {
    BigDecimal exact = new BigDecimal(value);
    for (int precision = 1; precision <= 17; precision++) {
      BigDecimal down = exact.round(new MathContext(precision, RoundingMode.DOWN));
      BigDecimal up = exact.round(new MathContext(precision, RoundingMode.UP));
      boolean downReads = down.doubleValue() == value;
      boolean upReads = up.doubleValue() == value;
      if (downReads && upReads) {
        int nearer = exact.subtract(down).abs().compareTo(up.subtract(exact).abs());
        return nearer < 0 ? down : nearer > 0 ? up : exact.round(new MathContext(precision, RoundingMode.HALF_EVEN));
      }
      if (downReads || upReads) {
        return downReads ? down : up;
      }
    }
    return exact.round(MathContext.DECIMAL64);
  }

  private static String stripTrailingZeros(String digits) {
    int end = digits.length();
    while (end > 1 && digits.charAt(end - 1) == '0') {
      end--;
    }
    return digits.substring(0, end);
  }
}
