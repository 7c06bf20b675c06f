package callwatch.aggregator.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

/** A pharmacy minute's row key reads back as the pharmacy, service and vendor it was made of. */
class PharmacyMinuteTest {
  @Test
  void rowKeyReadsBack() {
    String[][] table = {
        {"123456", "DPP", "Corilus/4.2"},
        {"pharma-x", "RECIPE", "Farmad"},
        {"Pharmacie Saint-Éloi", "ASSURPHARMA", "Officinall/10.1 beta"},
        {"7", "E", "V"},
    };
    for (String[] row : table) assertArrayEquals(row, PharmacyMinute.split(PharmacyMinute.rowKey(row[0], row[1], row[2])));
  }
}
