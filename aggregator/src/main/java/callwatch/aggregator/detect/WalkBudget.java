package callwatch.aggregator.detect;

/**
 * How many slots detection may walk in its next one-second round while it is behind (a backlog):
 * as many as fit {@link #TARGET_NANOS} by what the last round's slots cost, so a fast machine
 * judges a backlog of weeks in minutes and a busy one keeps most of its time for storing. Never
 * fewer than {@link #MIN} (30 minutes of event time a second) nor more than {@link #MAX}. Pure.
 */
public final class WalkBudget {
  /** Detection's share of each second while it walks a backlog. */
  static final long TARGET_NANOS = 400_000_000L;
  static final int MIN = 180;
  static final int MAX = 3600;
  private int slots = MIN;

  public int slots() {
    return slots;
  }

  /**
   * After a round that walked {@code walked} slots (in whole-slot units) in {@code tookNanos}:
   * only a round that used its whole budget says what a slot costs (a round that caught up did
   * little); the new budget moves halfway to what would have fit the target.
   */
  public void after(int walked, long tookNanos) {
    if (walked < slots || tookNanos <= 0) return;
    long fit = Math.max(MIN, Math.min(MAX, walked * TARGET_NANOS / tookNanos));
    // halfway, rounded towards the fit so that it is reached
    slots = (int) (fit > slots ? (slots + fit + 1) / 2 : (slots + fit) / 2);
  }
}
