package callwatch.aggregator.watch;

import callwatch.aggregator.detect.Dispersion;
import callwatch.aggregator.detect.Holidays;
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
  private final Holidays holidays;

  ProfileLoader(SeriesQuery query, ZoneId zone, Holidays holidays) {
    this.query = query;
    this.zone = zone;
    this.holidays = holidays;
  }

  /**
   * The profile from the history before {@code asOfSeconds}: the detector's event time, so that a
   * backlog is judged against the history before it, not after.
   */
  /**
   * Today's rows are not history: the profile is what the same moment was on other days. Rows of
   * the last {@link #TODAY_HOURS} hours would only ever stand for "the same moment ± 10 minutes"
   * of today, and the first of them is partial on a new installation (it began mid-row): a
   * service started at 18:49:30 had its 18:40 row hold 30 s of calls, so the detector expected a
   * tenth of the real rate and took 90 s to call a stall (OutboxFailoverTest, in CI). The last
   * hours are the level's job (ServiceWatch), and with no other day the detector goes by the
   * recent rates.
   */
  static long historyEnd(long asOfSeconds, long nowSeconds) {
    int bin = WeeklyProfile.BIN_SECONDS;
    return Math.floorDiv(Math.min(asOfSeconds, nowSeconds) - TODAY_HOURS * 3600L, bin) * bin;
  }

  /** Rows newer than this are left out of the profile (see {@link #historyEnd}). */
  static final int TODAY_HOURS = 12;

  WeeklyProfile loadBlocking(String service, long asOfSeconds, long nowSeconds) throws java.io.IOException {
    int bin = WeeklyProfile.BIN_SECONDS;
    long end = historyEnd(asOfSeconds, nowSeconds);
    int n = DAYS * 86400 / bin;
    long start = end - (long) n * bin;
    double[] calls = callsBlocking(service, start, bin, n, nowSeconds);
    return WeeklyProfile.learn(start, calls, zone, holidays).withDispersion(recentDispersionBlocking(service, asOfSeconds, nowSeconds));
  }

  /** Hours of 10 s slots the dispersion is measured on: thousands of pairs, within the files' day of 10 s rows. */
  static final int DISPERSION_HOURS = 6;

  /**
   * How much the service's calls varied beyond Poisson from one 10 s slot to the next over the
   * {@link #DISPERSION_HOURS} hours before {@code asOfSeconds} ({@link Dispersion}): unknown slots
   * (before the history, a backlog not yet written) are left out, and too few known ones give 1.
   */
  private double recentDispersionBlocking(String service, long asOfSeconds, long nowSeconds) throws java.io.IOException {
    int step = callwatch.aggregator.store.RrdLayout.STEP;
    int n = DISPERSION_HOURS * 3600 / step;
    long end = Math.floorDiv(Math.min(asOfSeconds, nowSeconds), step) * step;
    return Dispersion.of(callsBlocking(service, end - (long) n * step, step, n, nowSeconds));
  }

  /** The service's calls in {@code n} rows of {@code step} seconds from {@code start}; NaN where unknown or before its history. */
  private double[] callsBlocking(String service, long start, int step, int n, long nowSeconds) throws java.io.IOException {
    SeriesQuery.Result r = query.runAlignedBlocking(new SeriesSpec(service, null, "calls", null, null), start, step, n, nowSeconds);
    double[] calls = new double[n];
    for (int i = 0; i < n; i++) {
      boolean before = r.historyStart() != null && r.times()[i] < r.historyStart();
      calls[i] = !r.known()[i] || before ? Double.NaN : r.vectors()[i][Metrics.CALLS];
    }
    return calls;
  }
}
