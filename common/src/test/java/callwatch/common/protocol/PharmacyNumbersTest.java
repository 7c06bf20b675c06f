package callwatch.common.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class PharmacyNumbersTest {
  @Test
  void aNumberIsNamedByItsDigitsAndOnce() {
    assertEquals("123456", PharmacyNumbers.name(123456));
    assertSame(PharmacyNumbers.name(123456), PharmacyNumbers.name(123456), "the same pharmacy's rows share one name");
    assertEquals("0", PharmacyNumbers.name(0));
    assertEquals("8796093022207", PharmacyNumbers.name((1L << 43) - 1));
  }

  @Test
  void numbersSharingASlotKeepTheirOwnNames() {
    long a = 100_000;
    long b = a + (1 << 16); // the same low bits
    for (int round = 0; round < 3; round++) {
      assertEquals("100000", PharmacyNumbers.name(a));
      assertEquals("165536", PharmacyNumbers.name(b));
    }
  }
}
