package dev.chainer.operator.bench;

import java.security.SecureRandom;

/** A benchmark run's id: 6 characters, a letter first, fit for the DNS labels of the names it goes into. */
final class RunId {
  private static final String LETTERS = "abcdefghijklmnopqrstuvwxyz";
  private static final String ALPHANUMERIC = LETTERS + "0123456789";
  private static final SecureRandom RANDOM = new SecureRandom();

  private RunId() {}

  static String generate() {
    StringBuilder id = new StringBuilder().append(LETTERS.charAt(RANDOM.nextInt(LETTERS.length())));
    for (int i = 1; i < 6; i++) {
      id.append(ALPHANUMERIC.charAt(RANDOM.nextInt(ALPHANUMERIC.length())));
    }
    return id.toString();
  }
}
