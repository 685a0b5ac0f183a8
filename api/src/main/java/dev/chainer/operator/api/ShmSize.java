package dev.chainer.operator.api;

import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The estimator's shm_size: Docker's {@code --shm-size} form or a Kubernetes quantity ({@code 2Gi}). Docker reads a
 * size with go-units' RAMInBytes: a decimal number (fractions too), an optional space, then an optional unit {@code b}
 * or one of {@code k m g t p} followed by an optional {@code b} or {@code ib}, in any case ({@code 512mb},
 * {@code 1.5g}, {@code 2GB}, {@code 1t}); the units are binary (k is 1024) and the bytes are truncated to a whole
 * number. A value that reads both ways ({@code 512m}: 512 MiB for Docker, half a byte for Kubernetes) takes Docker's
 * meaning, the estimator's.
 */
public final class ShmSize {
  private static final String DOCKER = "([0-9]+(\\.[0-9]*)?|\\.[0-9]+) ?([bB]|[kKmMgGtTpP]([bB]|[iI][bB])?)?";
  /** For the CRD and the validator: Docker's form first, then any Kubernetes quantity. */
  public static final String PATTERN = "^(" + DOCKER + "|" + Quantities.CORE + ")$";
  private static final Pattern DOCKER_FORM = Pattern.compile(DOCKER);
  private static final Pattern ANY = Pattern.compile(PATTERN);
  private static final String[] BINARY = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
  private static final String DOCKER_UNITS = "bkmgtp";

  private ShmSize() {}

  public static boolean isValid(String size) {
    return size != null && ANY.matcher(size).matches();
  }

  /** The size in bytes (a valid size only): Docker's reading where it has one, else the Kubernetes quantity's. */
  public static BigInteger bytes(String size) {
    Matcher docker = DOCKER_FORM.matcher(size);
    if (!docker.matches()) {
      return Quantity.getAmountInBytes(new Quantity(size)).setScale(0, RoundingMode.CEILING).toBigInteger();
    }
    String unit = docker.group(3);
    int exponent = unit == null ? 0 : DOCKER_UNITS.indexOf(Character.toLowerCase(unit.charAt(0)));
    BigDecimal number = new BigDecimal(docker.group(1).endsWith(".") ? docker.group(1) + "0" : docker.group(1));
    return number.multiply(new BigDecimal(BigInteger.ONE.shiftLeft(10 * exponent))).setScale(0, RoundingMode.DOWN)
        .toBigInteger();
  }

  /**
   * The size as a Kubernetes quantity, exactly its bytes, in the largest binary unit that holds it: 1.5g is 1536Mi.
   * An invalid size is returned as it is (the validator refuses it).
   */
  public static String toQuantity(String size) {
    if (!isValid(size)) {
      return size;
    }
    BigInteger bytes = bytes(size);
    BigInteger kibi = BigInteger.valueOf(1024);
    int unit = 0;
    while (bytes.signum() > 0 && unit < BINARY.length - 1 && bytes.mod(kibi).signum() == 0) {
      bytes = bytes.divide(kibi);
      unit++;
    }
    return bytes + BINARY[unit];
  }
}
