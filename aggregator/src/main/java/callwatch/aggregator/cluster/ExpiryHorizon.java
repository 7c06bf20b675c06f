package callwatch.aggregator.cluster;

import java.util.Collection;
import java.util.Map;

/**
 * Up to where an agent's cache entries may go, by the agent's own event time. The cache's time to
 * live counts wall time: a backlog of four weeks replayed in minutes would stay whole in memory for
 * its three hours. An agent's slots are dropped once they are older than the window in its event
 * time (its closed mark) and every member of the cluster has written them into its files — a
 * member that is down keeps its last mark, so nothing it still has to write is dropped. Pure.
 */
public final class ExpiryHorizon {
  private ExpiryHorizon() {}

  /**
   * Slots of {@code agent} before the returned slot may be dropped; {@link Long#MIN_VALUE} while a
   * member has not said how far it has written.
   *
   * @param marks each member's written marks (agent → slot written up to), by member address
   */
  public static long slots(String agent, long closedBefore, long windowSeconds, Collection<String> members,
                           Map<String, Map<String, Long>> marks) {
    long written = Long.MAX_VALUE;
    for (String m : members) {
      Map<String, Long> own = marks.get(m);
      Long w = own == null ? null : own.get(agent);
      if (w == null) return Long.MIN_VALUE;
      written = Math.min(written, w);
    }
    return floorToStep(Math.min(written, closedBefore - windowSeconds), callwatch.aggregator.store.RrdLayout.STEP);
  }

  /** Pharmacy minutes (kept in memory only, never written) before the returned minute may be dropped. */
  public static long minutes(long closedBefore, long windowSeconds) {
    return floorToStep(closedBefore - windowSeconds, 60);
  }

  /**
   * A horizon held at what detection has judged ({@code judgedUpToSeconds}; Long.MIN_VALUE when no
   * detector reports): a backlog read faster than detection walks it is dropped only once judged,
   * never read as silence.
   */
  public static long notBeyondJudged(long horizon, long judgedUpToSeconds, long step) {
    if (horizon == Long.MIN_VALUE || judgedUpToSeconds == Long.MIN_VALUE) return horizon;
    return Math.min(horizon, floorToStep(judgedUpToSeconds, step));
  }

  private static long floorToStep(long t, long step) {
    return Math.floorDiv(t, step) * step;
  }
}
