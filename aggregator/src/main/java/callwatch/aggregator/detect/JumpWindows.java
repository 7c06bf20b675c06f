package callwatch.aggregator.detect;

import java.util.HashMap;
import java.util.Map;

/**
 * The error and latency tests' windows: running sums, per cell (service, op, vendor, version), of
 * the last few slots for each of several lengths (a minute, and longer ones for subjects whose
 * minute holds too few calls to say anything). Sums are kept running rather than summed again each
 * slot, as a backlog of weeks is judged slot by slot. Pure.
 */
final class JumpWindows {
  private final int[] lengths;
  private final Map<String, long[]>[] ring;
  private final Map<String, long[]>[] sums;
  private int added;

  /** @param lengths each window's length in slots, shortest first */
  @SuppressWarnings("unchecked")
  JumpWindows(int... lengths) {
    this.lengths = lengths.clone();
    for (int i = 1; i < lengths.length; i++) {
      if (lengths[i] <= lengths[i - 1]) throw new IllegalArgumentException("window lengths must grow: " + java.util.Arrays.toString(lengths));
    }
    ring = new Map[lengths[lengths.length - 1]];
    sums = new Map[lengths.length];
    for (int i = 0; i < sums.length; i++) sums[i] = new HashMap<>();
  }

  int count() {
    return lengths.length;
  }

  /** Window {@code i}'s length in slots. */
  int length(int i) {
    return lengths[i];
  }

  /** Adds the newest slot's cells; each window lets go of the slot that falls out of it. */
  void add(Map<String, long[]> cells) {
    for (int i = 0; i < lengths.length; i++) {
      if (added >= lengths[i]) subtract(sums[i], ring[Math.floorMod(added - lengths[i], ring.length)]);
      Map<String, long[]> sum = sums[i];
      cells.forEach((cell, v) -> {
        long[] into = sum.computeIfAbsent(cell, k -> new long[v.length]);
        for (int x = 0; x < v.length; x++) into[x] += v[x];
      });
    }
    ring[added % ring.length] = cells;
    added++;
  }

  /** Window {@code i}'s sums by cell (not to be changed). */
  Map<String, long[]> sums(int i) {
    return sums[i];
  }

  private static void subtract(Map<String, long[]> sum, Map<String, long[]> leaving) {
    leaving.forEach((cell, v) -> {
      long[] from = sum.get(cell);
      boolean empty = true;
      for (int x = 0; x < v.length; x++) empty &= (from[x] -= v[x]) == 0;
      if (empty) sum.remove(cell); // a cell nobody calls any more leaves the window
    });
  }
}
