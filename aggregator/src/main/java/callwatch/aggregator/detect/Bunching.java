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
  /** Pairs the platform remembers, all pharmacies together: some hours of its busy time (thousands of pairs a minute). */
  static final double PLATFORM_PAIRS = 1_000_000;
  /** Pairs after which its own factor is known well enough to count on its own (within about a tenth): a busy pharmacy's day. */
  static final double KNOWN_PAIRS = 500;

  private final double decay;
  private double squares;
  private double calls;
  private double pairs;

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
   * The ratio learnt so far (1 before two pairs): the factor a count and its expectation are divided
   * by before a Poisson test. Not lowered for its noise: at the hog's bar (about 23 nats) a factor a
   * tenth too low makes a bunched pharmacy's chance burst ten times likelier than the bar says
   * (bench/detection.sh with BUNCH=4 saw one false hog at a factor of about 3.7 for bunches of 4).
   */
  double ratio() {
    return pairs < 2 || calls <= 0 ? 1 : squares / calls;
  }
}
