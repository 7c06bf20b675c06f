package callwatch.aggregator.detect;

/**
 * How bunched a pharmacy's calls are, learnt from its own minutes: a dispensing reads the
 * prescription, records it and checks the insurance in the same few seconds, so calls come several
 * at a time and a pharmacy's count in a window varies more than a Poisson count of single calls.
 * Its calls in consecutive minutes differ by {@code (x - y)²}, which is {@code x + y} on average
 * for Poisson calls and {@code k} times that for calls in bunches of {@code k} (or for a rate that
 * jumps from minute to minute); a slow change of its rate over the day hardly shows between two
 * neighbouring minutes. The ratio of the two sums, decayed over a number of pairs of minutes, is
 * the factor a count's evidence is divided by. Pure.
 */
final class Bunching {
  /** Pairs of minutes with calls a pharmacy remembers: about a week of a busy pharmacy's opening hours. */
  static final double PHARMACY_PAIRS = 2000;
  /** Pairs the platform remembers, all pharmacies together: about a day. */
  static final double PLATFORM_PAIRS = 1_000_000;
  private final double decay;
  private double squares;
  private double calls;
  private double pairs;

  /** Pairs after which its own factor is known well enough to go alone (within about a tenth): a busy pharmacy's day. */
  static final double KNOWN_PAIRS = 500;

  /** @param pairs how many pairs of minutes with calls it remembers (their weights decay over that many) */
  Bunching(double pairs) {
    this.decay = 1 - 1 / pairs;
  }

  /** Two consecutive minutes' calls ({@code before}, then {@code now}). */
  void add(long before, long now) {
    if (before + now == 0) return; // two empty minutes tell nothing
    double d = now - before;
    squares = squares * decay + d * d;
    calls = calls * decay + before + now;
    pairs = pairs * decay + 1;
  }

  /** Whether it has seen {@link #KNOWN_PAIRS} pairs (decayed): till then, a wider factor (the platform's) is the safer one. */
  boolean known() {
    return pairs >= KNOWN_PAIRS;
  }

  /**
   * The factor (≥ 1) a count and its expectation are divided by before a Poisson test: the ratio
   * learnt so far, lowered by twice its standard error, so that a short history or the noise of a
   * Poisson pharmacy's own minutes does not slow its judgement; only bunching the minutes show
   * beyond doubt raises the bar.
   */
  double factor() {
    if (pairs < 2 || calls <= 0) return 1;
    double ratio = squares / calls;
    double perMinute = calls / (2 * pairs);
    // the ratio's relative standard error for bunches of `ratio` calls at `perMinute`: (2 + ratio / (2 rate)) / pairs
    double relativeError = Math.sqrt((2 + ratio / (2 * perMinute)) / pairs);
    return Math.max(1, ratio * (1 - 2 * relativeError));
  }
}
