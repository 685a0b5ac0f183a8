package dev.chainer.operator.api;

/** The CEL rule shared by every field that holds a path relative to a directory the job names. */
final class PathRule {
  /** A relative path that stays inside its base: no leading '/', no '..' segment. */
  static final String RELATIVE_INSIDE = "!self.startsWith('/') && !self.matches('(^|/)[.][.](/|$)')";

  private PathRule() {}
}
