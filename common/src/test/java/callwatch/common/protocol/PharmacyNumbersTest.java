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

  @Test
  void onlyNamesThatReadBackAsTheSameNumberAreNumbers() {
    String[][] table = {
        {"123456", "123456"}, {"0", "0"}, {"999999999999999999", "999999999999999999"},
        {"0123", "-1"}, {"00", "-1"}, {"-5", "-1"}, {"+5", "-1"}, {"", "-1"}, {"12a", "-1"}, {"apotheek-7", "-1"},
        {"1234567890123456789", "-1"}, // 19 digits: may not fit a long
        {"١٢", "-1"}, // Arabic-Indic digits are text
    };
    for (String[] row : table) assertEquals(Long.parseLong(row[1]), PharmacyNumbers.numberOf(row[0]), "\"" + row[0] + "\"");
  }
}
