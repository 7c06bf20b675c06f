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
  private final LeftOut leftOut;

  /**
   * Whether a service's slot [from, to) (epoch seconds of event time) is left out of its dispersion
   * (see {@link #recentDispersionBlocking}): its calls were known to be out (a stall or drop
   * detection called, the slots it began and ended in too) or a maintenance window held them.
   */
  interface LeftOut {
    LeftOut NOTHING = (service, from, to) -> false;

    boolean slot(String service, long from, long to);
  }

  ProfileLoader(SeriesQuery query, ZoneId zone, Holidays holidays) {
    this(query, zone, holidays, LeftOut.NOTHING);
  }

  ProfileLoader(SeriesQuery query, ZoneId zone, Holidays holidays, LeftOut leftOut) {
    this.query = query;
    this.zone = zone;
    this.holidays = holidays;
    this.leftOut = leftOut;
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
  /** Days of minute rows it is measured on when the files' day of 10 s rows has too few calls. */
  static final int DISPERSION_FALLBACK_DAYS = 7;

  /**
   * How much the service's calls varied beyond Poisson from one slot to the next ({@link
   * Dispersion}): over the {@link #DISPERSION_HOURS} hours of 10 s slots before {@code asOfSeconds}
   * or, when those hold too few calls, the whole day of 10 s rows the files keep, then the last
   * {@link #DISPERSION_FALLBACK_DAYS} days of minutes (the pairs' test holds at any slot length).
   * The detector's call-rate tests wait for a known factor, and a service quiet since the weekend
   * must still be judged on Monday morning. Unknown slots (before the history, a backlog not yet
   * written) are left out, and so are the service's known outages and maintenance windows ({@link
   * LeftOut}); NaN if even the week says nothing.
   */
  private double recentDispersionBlocking(String service, long asOfSeconds, long nowSeconds) throws java.io.IOException {
    long asOf = Math.min(asOfSeconds, nowSeconds);
    int step = callwatch.aggregator.store.RrdLayout.STEP;
    double d = dispersionBlocking(service, asOf, step, DISPERSION_HOURS * 3600 / step, nowSeconds);
    if (Double.isNaN(d)) d = dispersionBlocking(service, asOf, step, 86400 / step, nowSeconds);
    if (Double.isNaN(d)) d = dispersionBlocking(service, asOf, 60, DISPERSION_FALLBACK_DAYS * 1440, nowSeconds);
    return d;
  }

  private double dispersionBlocking(String service, long asOf, int step, int n, long nowSeconds) throws java.io.IOException {
    long start = Math.floorDiv(asOf, step) * step - (long) n * step;
    double[] slots = new double[n];
    // in pieces a query takes (a day of 10 s rows is more than one answers)
    for (int from = 0; from < n; from += QUERY_ROWS) {
      int rows = Math.min(QUERY_ROWS, n - from);
      System.arraycopy(callsBlocking(service, start + (long) from * step, step, rows, nowSeconds), 0, slots, from, rows);
    }
    // an outage's edge (87 calls next to none) is not bunching: with a new installation's few pairs
    // one edge read as a factor of 6, and a member taking over detection then missed the next stall
    for (int i = 0; i < n; i++) {
      long t = start + (long) i * step;
      if (leftOut.slot(service, t, t + step)) slots[i] = Double.NaN;
    }
    return Dispersion.of(slots);
  }

  /** Rows read by one query, within what the series API answers. */
  private static final int QUERY_ROWS = 4320;

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
