package dev.chainer.operator.api;

import java.math.BigInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The estimator's shm_size: Docker's {@code --shm-size} form (a whole number of bytes with an optional b, k, m or g,
 * powers of 1024: {@code 2g}, {@code 512m}) or a Kubernetes quantity ({@code 2Gi}). A value that reads both ways
 * ({@code 512m}: 512 MiB for Docker, half a byte for Kubernetes) takes Docker's meaning, the estimator's.
 */
public final class ShmSize {
  private static final String DOCKER = "([0-9]+)([bBkKmMgG]?)";
  /** For the CRD and the validator: Docker's form first, then any Kubernetes quantity. */
  public static final String PATTERN = "^(" + DOCKER + "|" + Quantities.CORE + ")$";
  private static final Pattern DOCKER_FORM = Pattern.compile(DOCKER);
  private static final Pattern ANY = Pattern.compile(PATTERN);
  private static final String[] BINARY = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};

  private ShmSize() {}

  public static boolean isValid(String size) {
    return size != null && ANY.matcher(size).matches();
  }

  /** The size as a Kubernetes quantity, in the largest binary unit that holds it exactly: 512m gives 512Mi. */
  public static String toQuantity(String size) {
    Matcher docker = DOCKER_FORM.matcher(size);
    if (!docker.matches()) {
      return size;
    }
    int exponent = "bkmg".indexOf(docker.group(2).isEmpty() ? 'b' : Character.toLowerCase(docker.group(2).charAt(0)));
    BigInteger bytes = new BigInteger(docker.group(1)).shiftLeft(10 * exponent);
    BigInteger kibi = BigInteger.valueOf(1024);
    int unit = 0;
    while (bytes.signum() > 0 && unit < BINARY.length - 1 && bytes.mod(kibi).signum() == 0) {
      bytes = bytes.divide(kibi);
      unit++;
    }
    return bytes + BINARY[unit];
  }
}
