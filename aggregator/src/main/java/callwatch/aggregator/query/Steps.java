package callwatch.aggregator.query;

import callwatch.aggregator.store.RrdLayout;

/**
 * Chooses the step of a series answer and the archive it is read from, and says the limits. Pure.
 *
 * <p>An answer has at most {@link #MAX_POINTS} points. Without a wanted step the finest archive
 * that still holds the start of the range is used, coarsened to a whole number of hours when the
 * range would give more points. A wanted step is taken as it is (an overlay asks for its main
 * series' step): if the archives no longer hold that resolution so far back, the coarser rows are
 * spread evenly over it (see {@link Rebucket}).
 */
public final class Steps {
  /** The documented cap on points per answer (and on a PNG's steps). */
  public static final int MAX_POINTS = 5000;
  /** The longest range an answer may cover. */
  public static final long MAX_RANGE_SECONDS = 20L * 365 * 86400;
  /** The coarsest step that may be asked for. */
  public static final long MAX_STEP_SECONDS = 366L * 86400;
  /** Steps used past the coarsest archive, so that a long range stays under {@link #MAX_POINTS}. */
  private static final long[] COARSE = {3600, 7200, 10800, 21600, 43200, 86400, 2 * 86400, 7 * 86400, 14 * 86400, 28 * 86400};

  private Steps() {}

  /** The step of the answer for [from, to): {@code wanted} if positive (checked), else chosen. */
  public static long choose(long from, long to, long wanted, long now) {
    long span = to - from;
    if (span <= 0) throw new IllegalArgumentException("'from' must be before 'to'");
    if (span > MAX_RANGE_SECONDS) {
      throw new IllegalArgumentException("the range is " + span + " s; the limit is 20 years (" + MAX_RANGE_SECONDS + " s)");
    }
    if (wanted > 0) {
      if (wanted % RrdLayout.STEP != 0) throw new IllegalArgumentException("'step' must be a multiple of 10 s, got " + wanted);
      if (wanted > MAX_STEP_SECONDS) {
        throw new IllegalArgumentException("'step' is " + wanted + " s; the limit is " + MAX_STEP_SECONDS + " s (366 days)");
      }
      long points = points(from, to, wanted);
      if (points > MAX_POINTS) {
        throw new IllegalArgumentException("'step' " + wanted + " s gives " + points + " points over this range; the limit is "
            + MAX_POINTS + " points per answer: take a step of at least " + ceilTo(span / MAX_POINTS + 1, RrdLayout.STEP) + " s");
      }
      return wanted;
    }
    long res = RrdLayout.resolutionFor(from, now, RrdLayout.STEP);
    if (points(from, to, res) <= MAX_POINTS) return res;
    for (long[] a : RrdLayout.ARCHIVES) {
      if (a[0] > res && points(from, to, a[0]) <= MAX_POINTS) return a[0];
    }
    for (long c : COARSE) if (c >= res && points(from, to, c) <= MAX_POINTS) return c;
    return COARSE[COARSE.length - 1];
  }

  /**
   * The archive resolution to read for an answer at {@code step} starting at {@code start}: the
   * coarsest archive that divides the step and still holds the start (fewest rows to read), else the
   * finest archive that holds it (coarser than the step: its rows are spread).
   */
  public static long archiveFor(long start, long step, long now) {
    long best = 0;
    for (long[] a : RrdLayout.ARCHIVES) {
      if (step % a[0] == 0 && holds(a, start, now)) best = a[0];
    }
    return best > 0 ? best : RrdLayout.resolutionFor(start, now, RrdLayout.STEP);
  }

  /** The oldest time any archive still holds at {@code now}. */
  public static long oldestHeld(long now) {
    long[] last = RrdLayout.ARCHIVES[RrdLayout.ARCHIVES.length - 1];
    return now - last[0] * last[1];
  }

  private static boolean holds(long[] archive, long start, long now) {
    return now - archive[0] * archive[1] <= start;
  }

  static long points(long from, long to, long step) {
    return Math.floorDiv(to + step - 1, step) - Math.floorDiv(from, step);
  }

  private static long ceilTo(long v, long unit) {
    return (v + unit - 1) / unit * unit;
  }
}
