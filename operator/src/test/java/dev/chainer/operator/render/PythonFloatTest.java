package dev.chainer.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Floats as CPython 3 prints them with str(); the expected column was printed by CPython itself. */
class PythonFloatTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "1e-05, 1e-05",
      "0.00001, 1e-05",
      "0.0001, 0.0001",
      "1e16, 1e+16",
      "1e15, 1000000000000000.0",
      "9.999999999999999e15, 1e+16",
      "1.5, 1.5",
      "100.0, 100.0",
      "-0.0, -0.0",
      "0.0, 0.0",
      "0.1, 0.1",
      "0.3, 0.3",
      "0.6666666666666666, 0.6666666666666666",
      "5e-324, 5e-324",
      "1.7976931348623157e308, 1.7976931348623157e+308",
      "123456789012345678.0, 1.2345678901234568e+17",
      "1e22, 1e+22",
      "2e-3, 0.002",
      "1.25e-07, 1.25e-07",
      "-2.5e+20, -2.5e+20",
      "3.14159, 3.14159"})
  void printsAsPythonDoes(String literal, String python) {
    assertEquals(python, PythonFloat.str(Double.parseDouble(literal)));
  }
}
