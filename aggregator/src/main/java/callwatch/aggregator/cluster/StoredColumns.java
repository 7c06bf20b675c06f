package callwatch.aggregator.cluster;

import callwatch.common.protocol.PharmacyNumbers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A pharmacy minute's pharmacy and count columns as the cluster stores them, in about half the room
 * of text and 64-bit counts: a pharmacy given by number (nearly all of them) as that number, any
 * other (or one beyond 32 bits) as an index into a short list of names, and the counts (a handful
 * of calls per row) in 32 bits. Every member keeps hours of these rows, and every call to an entry
 * reads and writes all of them. Pure.
 *
 * @param numbers per row: {@code n ≥ 0} is pharmacy n, {@code -(k + 1)} is {@code names[k]}
 * @param counts per row: calls, errors, E401
 */
record StoredColumns(int[] numbers, String[] names, int[] counts) {
  /** The columns in this form, or null when a count does not fit 32 bits. */
  static StoredColumns of(String[] pharmacies, long[] counts) {
    int[] narrowCounts = new int[counts.length];
    for (int i = 0; i < counts.length; i++) {
      if (counts[i] != (int) counts[i]) return null;
      narrowCounts[i] = (int) counts[i];
    }
    int[] numbers = new int[pharmacies.length];
    List<String> names = new ArrayList<>();
    Map<String, Integer> nameIndex = null; // made for the first name: most minutes have none
    for (int i = 0; i < pharmacies.length; i++) {
      long n = PharmacyNumbers.numberOf(pharmacies[i]);
      if (n < 0 || n > Integer.MAX_VALUE) {
        if (nameIndex == null) nameIndex = new HashMap<>();
        n = -1 - nameIndex.computeIfAbsent(pharmacies[i], name -> {
          names.add(name);
          return names.size() - 1;
        });
      }
      numbers[i] = (int) n;
    }
    return new StoredColumns(numbers, names.toArray(String[]::new), narrowCounts);
  }

  /** The pharmacies' names; every row of one numbered pharmacy shares one string. */
  String[] pharmacies() {
    String[] out = new String[numbers.length];
    for (int i = 0; i < numbers.length; i++) {
      int n = numbers[i];
      if (n >= 0) {
        out[i] = PharmacyNumbers.name(n);
      } else if (-1L - n < names.length) {
        out[i] = names[-1 - n];
      } else {
        throw new IllegalArgumentException("row " + i + " names pharmacy " + (-1L - n) + " of " + names.length + " names");
      }
    }
    return out;
  }

  long[] wideCounts() {
    long[] out = new long[counts.length];
    for (int i = 0; i < counts.length; i++) out[i] = counts[i];
    return out;
  }
}
