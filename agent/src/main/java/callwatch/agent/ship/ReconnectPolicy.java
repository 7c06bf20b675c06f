package callwatch.agent.ship;

import java.util.Random;

/**
 * Exponential backoff with jitter: the n-th failed attempt waits a random time between half and
 * all of min·2ⁿ (capped at max), so that after an aggregator restart a hundred agents spread their
 * reconnections instead of arriving in the same second (netdata's randomised reconnect delay).
 */
public final class ReconnectPolicy {
  private final long minMillis;
  private final long maxMillis;
  private final Random random;
  private int attempt;

  public ReconnectPolicy(long minMillis, long maxMillis, Random random) {
    this.minMillis = minMillis;
    this.maxMillis = maxMillis;
    this.random = random;
  }

  public long nextDelayMillis() {
    long ceiling = Math.min(maxMillis, minMillis << Math.min(attempt, 30));
    attempt++;
    long half = ceiling / 2;
    return half + (long) (random.nextDouble() * (ceiling - half));
  }

  /** The first delay after a connection that was up: spread too, so a restarted peer is not hit all at once. */
  public void reset() {
    attempt = 0;
  }
}
