package callwatch.aggregator.detect;

import java.util.Arrays;

/**
 * Counts in 10 s bins over the last 10 minutes, by event time. Only a bin that gets calls moves
 * the ring on, so an idle caller costs nothing: bins past the newest, or fallen out of the ring,
 * read as empty. A bin holds at most {@link Integer#MAX_VALUE} (it stops there): 32-bit bins halve
 * what closing a minute reaches for thousands of pharmacies, whose state outgrew the CPU's cache.
 * Pure.
 */
final class Bins {
  static final int SECONDS = 10;
  static final int SIZE = 60;
  private final int[] ring = new int[SIZE];
  /** The newest bin written (epoch seconds / 10), or none yet. */
  private long newest = Long.MIN_VALUE;

  /** Adds {@code calls} to the bin holding {@code at} (epoch seconds); a bin out of the ring already is dropped. */
  void add(long at, long calls) {
    if (calls <= 0) return;
    long bin = Math.floorDiv(at, SECONDS);
    if (newest == Long.MIN_VALUE || bin - newest >= SIZE) {
      Arrays.fill(ring, 0);
      newest = bin;
    }
    if (bin > newest) {
      // the bins skipped over are emptied walking the ring, one division in all: a division per
      // skipped bin was the largest single cost of closing a minute for thousands of pharmacies
      int i = index(newest);
      for (long b = newest; b < bin; b++) {
        i = i + 1 == SIZE ? 0 : i + 1;
        ring[i] = 0;
      }
      newest = bin;
    }
    if (newest - bin < SIZE) {
      int i = index(bin);
      ring[i] = saturated(ring[i] + calls);
    }
  }

  /** The calls in bin number {@code bin}. */
  long get(long bin) {
    return newest == Long.MIN_VALUE || bin > newest || newest - bin >= SIZE ? 0 : ring[index(bin)];
  }

  /** {@code count} as an int, at most {@link Integer#MAX_VALUE} (counts are never negative). */
  static int saturated(long count) {
    return count >= Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) Math.max(0, count);
  }

  private static int index(long bin) {
    return (int) Math.floorMod(bin, SIZE);
  }
}
