package callwatch.agent.batch;

/**
 * Decides which slots the agent may declare closed, by the lines' own time, so that an agent whose
 * host clock is minutes off still closes slots correctly: event time is the newest line timestamp
 * seen, advanced by the (monotonic) time elapsed since it was seen, so quiet periods close too.
 * A file still being caught up holds the clock back at its own position. Pure, single-threaded.
 */
public final class SlotClock {
  private final int stepSeconds;
  private final long graceMillis;
  private long newestLineMillis = Long.MIN_VALUE;
  private long seenAtNanos;
  private long closedBefore;

  public SlotClock(int stepSeconds, long graceMillis, long restoredClosedBefore) {
    this.stepSeconds = stepSeconds;
    this.graceMillis = graceMillis;
    this.closedBefore = restoredClosedBefore;
  }

  public void sawLine(long epochMillis, long nowNanos) {
    if (epochMillis > newestLineMillis) {
      newestLineMillis = epochMillis;
      seenAtNanos = nowNanos;
    }
  }

  /**
   * Advances and returns the start of the oldest slot still open (slots before it are closed).
   * {@code laggingFloorMillis} is the oldest position among files not yet read to their end
   * (Long.MAX_VALUE when all are at their end).
   */
  public long advance(long nowNanos, long laggingFloorMillis) {
    if (newestLineMillis == Long.MIN_VALUE) return closedBefore;
    long eventNow = newestLineMillis + (nowNanos - seenAtNanos) / 1_000_000L;
    long horizon = Math.min(eventNow, laggingFloorMillis) - graceMillis;
    long second = Math.floorDiv(horizon, 1000L);
    long candidate = second - Math.floorMod(second, stepSeconds);
    if (candidate > closedBefore) closedBefore = candidate;
    return closedBefore;
  }

  /**
   * The event time up to which every line has been read: event time now, held at the oldest
   * position of a file still being caught up, less a second for lines a busy application writes
   * slightly out of order. Detection counts a slot's calls as complete up to here.
   */
  public long seenUpToMillis(long nowNanos, long laggingFloorMillis) {
    if (newestLineMillis == Long.MIN_VALUE) return closedBefore * 1000L;
    long eventNow = newestLineMillis + (nowNanos - seenAtNanos) / 1_000_000L;
    return Math.max(closedBefore * 1000L, Math.min(eventNow, laggingFloorMillis) - 1000L);
  }

  /** Event time now ({@code Long.MIN_VALUE} before the first line): what a checkpoint keeps. */
  public long eventNowMillis(long nowNanos) {
    return newestLineMillis == Long.MIN_VALUE ? Long.MIN_VALUE : newestLineMillis + (nowNanos - seenAtNanos) / 1_000_000L;
  }

  /**
   * Restores event time after a restart: {@code eventMillis} as it was when the checkpoint was
   * written, plus the wall time elapsed since ({@code wallElapsedMillis}, never negative: a clock
   * set back does not move event time back). Without it, an agent restarted in a quiet period would
   * close nothing until the next line, and the calls it had read would expire from the cache.
   */
  public void restore(long eventMillis, long wallElapsedMillis, long nowNanos) {
    if (eventMillis == Long.MIN_VALUE) return;
    newestLineMillis = eventMillis + Math.max(0, wallElapsedMillis);
    seenAtNanos = nowNanos;
  }

  public long closedBefore() {
    return closedBefore;
  }
}
