package dev.chainer.operator.api;

/** The syntax of a Kubernetes resource quantity, shared by the CRD schema and the validator. */
public final class Quantities {
  /** Number, optional exponent or binary/decimal suffix, as the Kubernetes API accepts. */
  public static final String CORE =
      "([+]?[0-9]+(\\.[0-9]*)?|[+]?\\.[0-9]+)([eE][-+]?[0-9]+|Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)?";
  public static final String PATTERN = "^" + CORE + "$";

  private Quantities() {}
}
