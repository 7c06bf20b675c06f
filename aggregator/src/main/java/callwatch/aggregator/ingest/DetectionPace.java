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
 * held once detection has judged everything it stored: detection then waits for that agent's next
 * batch, so holding it would hold both for good (a quiet stretch in its backlog longer than the
 * lead puts its next batch that far ahead). An agent detection has not caught up with yet waits, the
 * only agent of a backlog too: its batches stay within reach of detection's walk. Thread-safe.
 */
public final class DetectionPace {
  /** A report older than this is no report: the detector is gone or stuck, storing must not wait on it. */
  static final long STALE_MILLIS = 10_000;
  /** An agent whose stored batches end within this of what detection has judged (two slots) is one detection waits for. */
  static final long WAITED_FOR_MILLIS = 20_000;
  private final long leadSeconds;
  private volatile long judgedUpToSeconds = Long.MIN_VALUE;
  private volatile long reportedAtMillis = Long.MIN_VALUE;

  /** @param leadSeconds how far ahead of detection a batch may be stored: less than the cache's window */
  public DetectionPace(long leadSeconds) {
    this.leadSeconds = leadSeconds;
  }

  /** Detection's report: judged up to {@code judgedUpToMillis} (null before it has a clock). */
  public void report(Long judgedUpToMillis, long nowMillis) {
    judgedUpToSeconds = judgedUpToMillis == null ? Long.MIN_VALUE : judgedUpToMillis / 1000;
    reportedAtMillis = nowMillis;
  }

  /**
   * Whether a batch whose oldest slot starts at {@code oldestSlotSeconds} must wait for detection
   * now; {@code agentClockMillis} is how far its agent's stored batches have read (Long.MIN_VALUE:
   * unknown). A report is up to a tick old; what detection has judged only moves on, so an old one
   * holds more, never an agent for good.
   */
  public boolean holds(long agentClockMillis, long oldestSlotSeconds, long nowMillis) {
    long judged = judgedUpToSeconds(nowMillis);
    if (judged == Long.MIN_VALUE || oldestSlotSeconds == Long.MIN_VALUE) return false;
    if (agentClockMillis != Long.MIN_VALUE && agentClockMillis <= judged * 1000 + WAITED_FOR_MILLIS) return false;
    return oldestSlotSeconds > judged + leadSeconds;
  }

  /** What detection has judged up to (s), or Long.MIN_VALUE when no detector reports (none yet, or gone quiet). */
  public long judgedUpToSeconds(long nowMillis) {
    return nowMillis - reportedAtMillis > STALE_MILLIS ? Long.MIN_VALUE : judgedUpToSeconds;
  }
}
