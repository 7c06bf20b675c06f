package callwatch.aggregator.auth;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows password guessing, per account and per address: after {@link #FREE_FAILURES} failures in a
 * row, each further try must wait 2, 4, 8 … seconds (at most 15 minutes) after the last failure.
 * A success clears the key. Pure (time passed in), thread-safe; per member.
 */
public final class LoginThrottle {
  static final int FREE_FAILURES = 5;
  static final long MAX_WAIT_MILLIS = 15 * 60_000L;
  private final ConcurrentHashMap<String, long[]> failures = new ConcurrentHashMap<>(); // key -> {count, lastMillis}

  /** Milliseconds {@code key} must still wait before it may try (0: now). */
  public long waitMillis(String key, long now) {
    long[] f = failures.get(key);
    if (f == null || f[0] < FREE_FAILURES) return 0;
    long wait = Math.min(MAX_WAIT_MILLIS, 1000L << Math.min(20, f[0] - FREE_FAILURES + 1));
    return Math.max(0, f[1] + wait - now);
  }

  public void failed(String key, long now) {
    failures.compute(key, (k, f) -> f == null ? new long[] {1, now} : new long[] {f[0] + 1, now});
    if (failures.size() > 100_000) failures.clear(); // a flood of made-up keys cannot fill the heap
  }

  public void succeeded(String key) {
    failures.remove(key);
  }
}
