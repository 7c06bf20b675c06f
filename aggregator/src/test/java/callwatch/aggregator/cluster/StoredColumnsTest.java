package callwatch.aggregator.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The stored form of a pharmacy minute's columns: what goes in comes out, or the form is not used. */
class StoredColumnsTest {
  @Test
  @DisplayName("numbered pharmacies are stored as numbers, any other name as text, and all read back as written")
  void pharmaciesReadBackAsWritten() {
    String[][] table = {
        {},
        {"123456"},
        {"123456", "123456", "7"},
        {"pharma-x", "123456", "pharma-x", "0123", "", "-5", "2147483647", "21474836470"},
        {"Apotheek Sint-Jan", "<b>x</b>", "pharmacie é"},
    };
    for (String[] pharmacies : table) {
      long[] counts = new long[3 * pharmacies.length];
      for (int i = 0; i < counts.length; i++) counts[i] = i % 4;
      StoredColumns stored = StoredColumns.of(pharmacies, counts);
      assertArrayEquals(pharmacies, stored.pharmacies(), String.join(",", pharmacies));
      assertArrayEquals(counts, stored.wideCounts());
    }
    StoredColumns mixed = StoredColumns.of(table[3], new long[3 * table[3].length]);
    assertArrayEquals(new String[] {"pharma-x", "0123", "", "-5", "21474836470"}, mixed.names(), "each name once, numbers not among them");
    assertArrayEquals(new int[] {-1, 123456, -1, -2, -3, -4, Integer.MAX_VALUE, -5}, mixed.numbers());
    String[] read = StoredColumns.of(table[2], new long[9]).pharmacies();
    assertSame(read[0], read[1], "one pharmacy's rows share one name");
  }

  @Test
  @DisplayName("a count beyond 32 bits: the form is not used (the entry keeps the wide form)")
  void onlyWhatFitsIsNarrowed() {
    assertNull(StoredColumns.of(new String[] {"1"}, new long[] {Integer.MAX_VALUE + 1L, 0, 0}));
    assertNull(StoredColumns.of(new String[] {"1"}, new long[] {0, Integer.MIN_VALUE - 1L, 0}));
    assertArrayEquals(new String[] {"2147483648"}, StoredColumns.of(new String[] {"2147483648"}, new long[3]).names(),
        "a pharmacy number beyond 32 bits is kept as its name");
    assertArrayEquals(new long[] {Integer.MAX_VALUE, 0, 1}, StoredColumns.of(new String[] {"1"}, new long[] {Integer.MAX_VALUE, 0, 1}).wideCounts());
  }

  @Test
  @DisplayName("a row naming a name the column does not have is refused with its row and the number of names")
  void missingNameIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new StoredColumns(new int[] {5, -2}, new String[] {"a"}, new int[6]).pharmacies());
    assertTrue(e.getMessage().contains("row 1") && e.getMessage().contains("1 names"), e.getMessage());
  }
}
