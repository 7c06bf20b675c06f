package callwatch.aggregator.detect;

/**
 * How much more a service's calls vary from one 10 s slot to the next than Poisson calls would,
 * measured on its own recent history: the factor its stall and drop evidence is divided by. Calls
 * may come several at a time (a dispensing reads and records a prescription in the same seconds,
 * a vendor's software retries at once), and then a service at 2 calls/s in bunches of eight is
 * silent for 10 s about once a minute, where single calls would be e^-20. Consecutive slots differ
 * by {@code (x - y)²}, which is {@code x + y} on average for Poisson calls and about {@code k}
 * times that for bunches of {@code k}; the day's rhythm hardly shows between two neighbouring
 * slots. Each pair's term is capped, so that the edges of an outage (a full slot next to an empty
 * one) do not read as bunching for hours after. Pure.
 */
public final class Dispersion {
  /** Pairs of known slots needed before the history says anything (ten minutes of calls). */
  static final int MIN_PAIRS = 60;
  /**
   * A pair's term counts up to this many times its Poisson expectation (times the first pass's
   * ratio on the second pass): an outage's edge at the peak, 1,300 calls next to none, would
   * otherwise weigh as much as hours of ordinary pairs.
   */
  static final double CAP = 36;

  private Dispersion() {}

  /**
   * The factor for consecutive 10 s slot counts (NaN: unknown, no pair with it), at least 1; 1
   * while fewer than {@link #MIN_PAIRS} pairs with calls are known.
   */
  public static double of(double[] slotCounts) {
    double first = ratio(slotCounts, CAP);
    return first <= 1 ? 1 : Math.max(1, ratio(slotCounts, CAP * first));
  }

  private static double ratio(double[] c, double cap) {
    double squares = 0, calls = 0;
    int pairs = 0;
    for (int i = 1; i < c.length; i++) {
      double x = c[i - 1], y = c[i];
      if (Double.isNaN(x) || Double.isNaN(y) || x + y <= 0) continue;
      double d = x - y;
      squares += Math.min(d * d, cap * (x + y));
      calls += x + y;
      pairs++;
    }
    return pairs < MIN_PAIRS ? 1 : squares / calls;
  }
}
