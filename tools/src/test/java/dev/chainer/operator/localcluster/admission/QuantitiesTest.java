package dev.chainer.operator.localcluster.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Quantities print as apimachinery's Quantity.String() prints them, which the quota plugin's messages quote. */
class QuantitiesTest {

  @ParameterizedTest
  @CsvSource({"500m, 500m", "1000m, 1", "1500m, 1500m", "2000, 2k", "1500, 1500", "0.5, 500m", "8, 8",
      "1024Mi, 1Gi", "1536Mi, 1536Mi", "1G, 1G", "512, 512", "0, 0", "2048, 2048", "1Ki, 1Ki", "100Mi, 100Mi"})
  void canonicalForm(String written, String printed) {
    assertEquals(printed, Quantities.of(written).toString());
  }

  @ParameterizedTest
  @CsvSource({"0, 1Gi, 1Gi", "512Mi, 512Mi, 1Gi", "1, 500m, 1500m", "0, 250m, 250m", "1Gi, 1G, 2073741824"})
  void aSumKeepsTheFormatOfItsFirstNonZeroTerm(String a, String b, String sum) {
    assertEquals(sum, Quantities.of(a).plus(Quantities.of(b)).toString());
  }
}
