package callwatch.common.log;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Lets one log line per key through per interval, and says how many were held back meanwhile: a
 * fault that repeats every second (an agent refused, an aggregator unreachable) is one clear line a
 * minute, not a flood. Thread-safe; pure (time is passed in).
 */
public final class LogLimiter {
  private final long intervalMillis;
  private final ConcurrentHashMap<String, long[]> byKey = new ConcurrentHashMap<>();

  public LogLimiter(long intervalMillis) {
    this.intervalMillis = intervalMillis;
  }

  /**
   * -1 if the line for {@code key} is held back; otherwise how many were held back since the last
   * one let through (0 for the first).
   */
  public long allow(String key, long nowMillis) {
    long[] result = {-1};
    byKey.compute(key, (k, s) -> {
      if (s == null) {
        result[0] = 0;
        return new long[] {nowMillis, 0};
      }
      if (nowMillis - s[0] >= intervalMillis) {
        result[0] = s[1];
        return new long[] {nowMillis, 0};
      }
      s[1]++;
      return s;
    });
    return result[0];
  }

  /** Forgets a key (the fault is over): its next occurrence is logged at once. */
  public void reset(String key) {
    byKey.remove(key);
  }

  /** Forgets every key. */
  public void clear() {
    byKey.clear();
  }

  /** " (N more like it held back)" or "". */
  public static String heldBack(long n) {
    return n > 0 ? " (" + n + " more like it in the last interval)" : "";
  }
}
