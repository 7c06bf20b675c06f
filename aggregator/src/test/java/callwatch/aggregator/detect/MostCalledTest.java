package callwatch.aggregator.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MostCalledTest {
  /** Rows as (name, calls), in order, and the name expected. */
  record Case(String what, List<Object[]> rows, String expected) {
    @Override
    public String toString() {
      return what;
    }
  }

  static List<Case> cases() {
    return List.of(
        new Case("no call", List.of(), "unknown"),
        new Case("rows with no call", List.<Object[]>of(new Object[] {"Farmad/2.9", 0L}), "unknown"),
        new Case("one vendor", List.<Object[]>of(new Object[] {"Farmad/2.9", 3L}, new Object[] {"Farmad/2.9", 1L}), "Farmad/2.9"),
        new Case("the majority first, then a stray row", List.<Object[]>of(
            new Object[] {"Farmad/2.9", 5L}, new Object[] {"Corilus/4.2", 2L}), "Farmad/2.9"),
        new Case("stray rows first, then the majority", List.<Object[]>of(
            new Object[] {"Corilus/4.2", 1L}, new Object[] {"Pharmony/1.0", 1L}, new Object[] {"Farmad/2.9", 1L},
            new Object[] {"Farmad/2.9", 1L}, new Object[] {"Farmad/2.9", 1L}), "Farmad/2.9"),
        new Case("interleaved, the majority by calls not by rows", List.<Object[]>of(
            new Object[] {"Corilus/4.2", 1L}, new Object[] {"Farmad/2.9", 4L}, new Object[] {"Corilus/4.2", 1L},
            new Object[] {"Corilus/4.2", 1L}, new Object[] {"Farmad/2.9", 1L}), "Farmad/2.9"),
        new Case("a switch of software: the new vendor once it has most calls", List.<Object[]>of(
            new Object[] {"Corilus/4.2", 10L}, new Object[] {"Farmad/2.9", 11L}), "Farmad/2.9"),
        new Case("a big count beyond an int", List.<Object[]>of(
            new Object[] {"Corilus/4.2", 5L}, new Object[] {"Farmad/2.9", 3_000_000_000L}), "Farmad/2.9"),
        new Case("names equal but not the same string", List.<Object[]>of(
            new Object[] {new String("Farmad/2.9"), 2L}, new Object[] {"Corilus/4.2", 1L}, new Object[] {new String("Farmad/2.9"), 1L}),
            "Farmad/2.9"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void namesTheMajority(Case c) {
    MostCalled most = new MostCalled();
    for (Object[] row : c.rows()) most.add((String) row[0], (Long) row[1]);
    assertEquals(c.expected(), most.name());
  }
}
