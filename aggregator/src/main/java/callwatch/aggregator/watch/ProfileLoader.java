package callwatch.aggregator.watch;

import callwatch.aggregator.detect.WeeklyProfile;
import callwatch.aggregator.query.SeriesQuery;
import callwatch.aggregator.query.SeriesSpec;
import callwatch.common.model.Metrics;
import java.time.ZoneId;

/**
 * A service's usual traffic, learnt from its history: the calls of the last {@link #DAYS} days in
 * 10-minute rows (the round-robin files' 10-minute archive, plus the cache for the newest rows).
 * Rows before the history starts are unknown, not zero. Blocking.
 */
final class ProfileLoader {
  /** Under the query's point limit at 10 minutes (4,896 rows): four weeks and six days. */
  static final int DAYS = 34;
  private final SeriesQuery query;
  private final ZoneId zone;

  ProfileLoader(SeriesQuery query, ZoneId zone) {
    this.query = query;
    this.zone = zone;
  }

  /**
   * The profile from the history before {@code asOfSeconds}: the detector's event time, so that a
   * backlog is judged against the history before it, not after.
   */
  WeeklyProfile loadBlocking(String service, long asOfSeconds, long nowSeconds) throws java.io.IOException {
    int bin = WeeklyProfile.BIN_SECONDS;
    long end = Math.floorDiv(Math.min(asOfSeconds, nowSeconds), bin) * bin; // the bin in progress is not history yet
    int n = DAYS * 86400 / bin;
    long start = end - (long) n * bin;
    SeriesQuery.Result r = query.runAlignedBlocking(SeriesSpec.parse(service + ".calls", null, null), start, bin, n, nowSeconds);
    double[] calls = new double[n];
    for (int i = 0; i < n; i++) {
      boolean before = r.historyStart() != null && r.times()[i] < r.historyStart();
      calls[i] = !r.known()[i] || before ? Double.NaN : r.vectors()[i][Metrics.CALLS];
    }
    return WeeklyProfile.learn(start, calls, zone);
  }
}
