package dev.chainer.operator.validation;

import dev.chainer.operator.api.Quantities;
import java.util.regex.Pattern;

/** Small syntactic checks shared by the validators. */
final class Rules {
  private static final Pattern QUANTITY = Pattern.compile(Quantities.PATTERN);
  private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

  private Rules() {}

  static boolean isQuantity(String s) {
    return s != null && QUANTITY.matcher(s).matches();
  }

  static boolean isEnvName(String s) {
    return s != null && ENV_NAME.matcher(s).matches();
  }

  static boolean isLabelValue(String s) {
    return s != null && s.length() <= 63 && LABEL_VALUE.matcher(s).matches();
  }

  /** A non-empty relative path that stays inside its base directory. */
  static boolean isContainedRelativePath(String s) {
    if (s == null || s.isEmpty() || s.startsWith("/") || s.startsWith("-")) {
      return false;
    }
    for (String part : s.split("/")) {
      if (part.equals("..")) {
        return false;
      }
    }
    return true;
  }

  static boolean isAbsoluteCleanPath(String s) {
    return s != null && s.startsWith("/") && isContainedRelativePath(s.substring(1).isEmpty() ? "." : s.substring(1));
  }

  static boolean isSet(Object o) {
    return o != null;
  }
}
