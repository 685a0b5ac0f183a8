package dev.chainer.operator.validation;

import dev.chainer.operator.api.Quantities;
import java.util.List;
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
    if (s == null || s.isEmpty() || s.startsWith("/") || s.startsWith("-") || controlCharacter(s) >= 0) {
      return false;
    }
    for (String part : s.split("/")) {
      if (part.equals("..")) {
        return false;
      }
    }
    return true;
  }

  /** An absolute path without '..' ('//' and '.' are fine: the container runtime cleans them away). */
  static boolean isAbsoluteCleanPath(String s) {
    if (s == null || !s.startsWith("/")) {
      return false;
    }
    String relative = s.replaceFirst("^/+", "");
    return isContainedRelativePath(relative.isEmpty() ? "." : relative);
  }

  /** The index of the first control character (NUL, newline, escape, bell, DEL ...; not tab), or -1. */
  static int controlCharacter(String s) {
    for (int i = 0; s != null && i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) && c != '\t') {
        return i;
      }
    }
    return -1;
  }

  /** A problem when the text holds a control character, naming it and where. */
  static boolean refuseControlCharacters(String text, String field, String what, List<Problem> out) {
    int at = controlCharacter(text);
    if (at >= 0) {
      out.add(Problem.error(field, String.format("contains the control character U+%04X at position %d: %s "
          + "cannot hold NUL, newlines or other control characters", (int) text.charAt(at), at, what)));
      return true;
    }
    return false;
  }

  static boolean isSet(Object o) {
    return o != null;
  }
}
