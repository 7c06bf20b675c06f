package callwatch.aggregator.ingest;

/**
 * Keeps a backlog's ingest within reach of detection. Detection judges the agents' slots in event
 * time, a bounded number per second, while agents can replay hours of files in seconds; the cache
 * drops an agent's slots once they are a window older than its event time, so slots detection had
 * not reached yet would be gone and read as silence (a false, late stall). A batch whose oldest
 * slot is more than {@link #leadSeconds} ahead of what detection has judged waits (and the agent's
 * window of unacknowledged batches with it: its backlog waits on its own disk) until detection
 * catches up; the cache keeps what detection has not judged ({@code CacheExpiry}), so a batch
 * spanning hours is judged whole too. Only while detection reports: without a detector (no member leads, or it is stuck)
 * storing goes on, since keeping every call matters more than judging a backlog. Nor is an agent
 * held whose own clock is where detection stands: detection waits for it, so holding its batch
 * would hold both for good (a quiet stretch in its backlog longer than the lead puts its next batch
 * that far ahead). Thread-safe.
 */
public final class DetectionPace {
  /** A report older than this is no report: the detector is gone or stuck, storing must not wait on it. */
  static final long STALE_MILLIS = 10_000;
  /** An agent whose clock is within this of detection's (one slot) is one detection waits for. */
  static final long WAITED_FOR_MILLIS = 10_000;
  private final long leadSeconds;
  private volatile long judgedUpToSeconds = Long.MIN_VALUE;
  private volatile long reportedAtMillis = Long.MIN_VALUE;
  /** Where detection's own clock stands (ms of event time): at the slowest agent it waits for. */
  private volatile long detectionClockMillis = Long.MIN_VALUE;

  /** @param leadSeconds how far ahead of detection a batch may be stored: less than the cache's window */
  public DetectionPace(long leadSeconds) {
    this.leadSeconds = leadSeconds;
  }

  /**
   * Detection's report: judged up to {@code judgedUpToMillis} (null before it has a clock), and its
   * own clock {@code clockMillis} (null likewise), which stands at the slowest agent it waits for.
   */
  public void report(Long judgedUpToMillis, Long clockMillis, long nowMillis) {
    judgedUpToSeconds = judgedUpToMillis == null ? Long.MIN_VALUE : judgedUpToMillis / 1000;
    detectionClockMillis = clockMillis == null ? Long.MIN_VALUE : clockMillis;
    reportedAtMillis = nowMillis;
  }

  /**
   * Whether a batch whose oldest slot starts at {@code oldestSlotSeconds} must wait for detection
   * now; {@code agentClockMillis} is how far its agent's stored batches have read (Long.MIN_VALUE:
   * unknown). An agent whose clock is where detection's stands is never held: detection waits for it.
   * (A report is up to a tick old; detection's clock only moves on, so an old one holds more, never
   * an agent for good.)
   */
  public boolean holds(long agentClockMillis, long oldestSlotSeconds, long nowMillis) {
    long judged = judgedUpToSeconds(nowMillis);
    if (judged == Long.MIN_VALUE || oldestSlotSeconds == Long.MIN_VALUE) return false;
    long detectionClock = detectionClockMillis;
    if (detectionClock != Long.MIN_VALUE && agentClockMillis != Long.MIN_VALUE && agentClockMillis <= detectionClock + WAITED_FOR_MILLIS) {
      return false;
    }
    return oldestSlotSeconds > judged + leadSeconds;
  }

  /** What detection has judged up to (s), or Long.MIN_VALUE when no detector reports (none yet, or gone quiet). */
  public long judgedUpToSeconds(long nowMillis) {
    return nowMillis - reportedAtMillis > STALE_MILLIS ? Long.MIN_VALUE : judgedUpToSeconds;
  }
}
