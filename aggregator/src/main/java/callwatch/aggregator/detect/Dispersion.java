package callwatch.aggregator.detect;

/**
 * How much more a service's calls vary from one 10 s slot to the next than Poisson calls would,
 * measured on its own recent history: the factor its stall, drop and silent-server evidence is
 * divided by. Calls may come several at a time (a vendor's software that calls twice per
 * dispensing, or retries at once), and then a service at 2 calls/s in bunches of eight is silent
 * for 10 s about once a minute, where single calls would be e^-20. Given the calls {@code n = x + y}
 * of two neighbouring slots, Poisson calls split between them as a fair coin would, so
 * {@code (x - y)² / n} is 1 on average at every rate; calls in bunches of {@code k} split by the
 * bunch, so it is about {@code k}. The factor is the average over the pairs, each term capped (the
 * edges of an outage, 1,300 calls next to none, must not read as bunching for hours after). It is 1
 * unless that average is above 1 by more than twice its own noise: Poisson calls measure 1 give or
 * take {@code √(2/pairs)}, and thresholds calibrated on them must not move with that noise. Above
 * it, the average counts as measured, not less its noise: a factor taken too low is a false alarm,
 * one taken too high only a later one, and a new installation's first minutes have few pairs and
 * much noise (taking the noise off made calls in pairs read as 1.4 after 14 minutes, and a false
 * silent server followed: bench/detection.sh with SERVICE_BUNCH=2). The day's rhythm hardly shows
 * between two neighbouring slots. Pure.
 */
public final class Dispersion {
  /**
   * Pairs of known slots with calls needed before the history says anything: a minute of calls.
   * Bunches of eight already stand out of five pairs' noise nine times in ten, and the factor is
   * measured again at every slot while there are few.
   */
  static final int MIN_PAIRS = 5;
  /**
   * A pair's term counts up to this (times the first pass's factor on the second pass): a Poisson
   * pair passes it once in 15,000, an outage's edge would otherwise count as hundreds of pairs.
   */
  static final double CAP = 16;

  private Dispersion() {}

  /**
   * The factor for consecutive 10 s slot counts (NaN: unknown, no pair with it), at least 1; NaN
   * (not known) while fewer than {@link #MIN_PAIRS} pairs with calls are.
   */
  public static double of(double[] slotCounts) {
    Mean first = average(slotCounts, CAP);
    if (first.pairs() < MIN_PAIRS) return Double.NaN;
    Mean second = average(slotCounts, CAP * Math.max(1, first.value()));
    // for Poisson calls the average of n terms of χ²(1) has a standard error of √(2/n)
    return second.value() > 1 + 2 * Math.sqrt(2.0 / second.pairs()) ? second.value() : 1;
  }

  private record Mean(double value, int pairs) {}

  private static Mean average(double[] c, double cap) {
    double sum = 0;
    int pairs = 0;
    for (int i = 1; i < c.length; i++) {
      double x = c[i - 1], y = c[i];
      if (Double.isNaN(x) || Double.isNaN(y) || x + y <= 0) continue;
      double d = x - y;
      sum += Math.min(d * d / (x + y), cap);
      pairs++;
    }
    return new Mean(pairs == 0 ? 0 : sum / pairs, pairs);
  }
}
