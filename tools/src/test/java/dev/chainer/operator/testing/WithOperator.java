package dev.chainer.operator.testing;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Tests that need a fresh in-process API server and a running operator for each test. */
public abstract class WithOperator {
  protected OperatorHarness h;

  @BeforeEach
  void startOperator() {
    h = new OperatorHarness();
  }

  @AfterEach
  void stopOperator() {
    h.close();
  }
}
