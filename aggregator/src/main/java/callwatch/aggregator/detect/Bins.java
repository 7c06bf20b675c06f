package callwatch.aggregator.detect;

import java.util.Arrays;

/**
 * Counts in 10 s bins over the last 10 minutes, by event time. Only a bin that gets calls moves
 * the ring on, so an idle caller costs nothing: bins past the newest, or fallen out of the ring,
 * read as empty. Pure.
 */
final class Bins {
  static final int SECONDS = 10;
  static final int SIZE = 60;
  private final long[] ring = new long[SIZE];
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
    if (newest - bin < SIZE) ring[index(bin)] += calls;
  }

  /** The calls in bin number {@code bin}. */
  long get(long bin) {
    return newest == Long.MIN_VALUE || bin > newest || newest - bin >= SIZE ? 0 : ring[index(bin)];
  }

  private static int index(long bin) {
    return (int) Math.floorMod(bin, SIZE);
  }
}
