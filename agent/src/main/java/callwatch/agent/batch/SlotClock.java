package callwatch.agent.batch;

/**
 * Decides which slots the agent may declare closed, by the lines' own time, so that an agent whose
 * host clock is minutes off still closes slots correctly: event time is the newest line timestamp
 * seen, advanced by the (monotonic) time elapsed since it was seen, so quiet periods close too.
 * A file still being caught up holds the clock back at its own position. Pure, single-threaded.
 */
public final class SlotClock {
  /** A line this far ahead of both event time and this host's clock moves event time only once the lines after it agree. */
  static final long JUMP_MILLIS = 60_000;
  /** Lines in a row that must be that far ahead: a host clock set forward passes, one stray line never. */
  static final int LINES_TO_JUMP = 10;
  private final int stepSeconds;
  private final long graceMillis;
  private long newestLineMillis = Long.MIN_VALUE;
  private long seenAtNanos;
  private long closedBefore;
  /** Lines in a row stamped far ahead of event time, and the newest of them. */
  private int linesAhead;
  private long newestAheadMillis;

  public SlotClock(int stepSeconds, long graceMillis, long restoredClosedBefore) {
    this.stepSeconds = stepSeconds;
    this.graceMillis = graceMillis;
    this.closedBefore = restoredClosedBefore;
  }

  /**
   * A line read at {@code wallNowMillis} of this host's clock. One stamped more than
   * {@link #JUMP_MILLIS} ahead of event time and of this host's clock moves event time only when
   * {@link #LINES_TO_JUMP} such lines come in a row: a single line from a clock set wrong for a
   * moment (within the bound the agent accepts, 15 minutes) would otherwise close every slot up to
   * it, and every call after it would be counted late, minutes away from its own slot, for good.
   * A line ahead of event time but not of the host's clock (a backlog's quiet night) moves it at
   * once. The line itself is counted in its own slot either way.
   */
  public void sawLine(long epochMillis, long nowNanos, long wallNowMillis) {
    if (newestLineMillis != Long.MIN_VALUE && epochMillis > wallNowMillis + JUMP_MILLIS
        && epochMillis > eventNowMillis(nowNanos) + JUMP_MILLIS) {
      newestAheadMillis = linesAhead == 0 ? epochMillis : Math.max(newestAheadMillis, epochMillis);
      if (++linesAhead < LINES_TO_JUMP) return;
      epochMillis = newestAheadMillis;
    }
    linesAhead = 0;
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
