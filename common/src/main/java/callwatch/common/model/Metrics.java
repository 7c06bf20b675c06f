package callwatch.common.model;

import java.util.List;

/**
 * The fixed layout of the counter vector kept for every (slot, service, op, vendor, host).
 *
 * <p>Agent and aggregator share this layout so that a batch is a list of plain long arrays, and
 * an rrd4j file holds one data source per index. The latency histogram has fixed bounds so that
 * vectors from different agents can simply be added and a p95 computed from the sum.
 */
public final class Metrics {
  public static final int CALLS = 0;
  public static final int OK = 1;
  public static final int ERROR = 2;
  public static final int TIMEOUT = 3;
  public static final int E401 = 4;
  public static final int E500 = 5;
  public static final int E503 = 6;
  public static final int E504 = 7;
  public static final int LATENCY_SUM = 8;
  public static final int LATENCY_MAX = 9;
  public static final int HISTOGRAM = 10;

  /** Upper bounds (inclusive, ms) of the latency buckets; the last bucket takes everything above. */
  public static final long[] HISTOGRAM_BOUNDS_MS = {25, 50, 100, 250, 500, 1000, 2500, 5000, 10000};
  public static final int HISTOGRAM_BUCKETS = HISTOGRAM_BOUNDS_MS.length + 1;
  public static final int SIZE = HISTOGRAM + HISTOGRAM_BUCKETS;

  /** Names used for rrd4j data sources and in series names; index i names vector element i. */
  public static final List<String> NAMES = List.of(
      "calls", "ok", "error", "timeout", "e401", "e500", "e503", "e504", "latsum", "latmax",
      "h25", "h50", "h100", "h250", "h500", "h1000", "h2500", "h5000", "h10000", "hinf");

  private Metrics() {}

  public static int index(String name) {
    return NAMES.indexOf(name);
  }

  /** Whether the element is a maximum (combined with max) rather than a count (combined with +). */
  public static boolean isMax(int index) {
    return index == LATENCY_MAX;
  }

  public static int bucketOf(long latencyMs) {
    long[] b = HISTOGRAM_BOUNDS_MS;
    for (int i = 0; i < b.length; i++) {
      if (latencyMs <= b[i]) return i;
    }
    return b.length;
  }

  /** Adds {@code delta} into {@code into}, element by element (max for the latency maximum). */
  public static void add(long[] into, long[] delta) {
    for (int i = 0; i < SIZE; i++) {
      into[i] = isMax(i) ? Math.max(into[i], delta[i]) : into[i] + delta[i];
    }
  }

  /**
   * The latency under which {@code quantile} of the calls fall, read from the histogram and
   * interpolated linearly inside the bucket where the quantile lands (from the bucket's lower bound
   * to its upper bound, the largest seen latency for the open last bucket), never above the largest
   * seen latency. Interpolating keeps a p95 over many calls smooth instead of snapping to bucket
   * edges; the browser's copy in callwatch-common.js does the same. Counts may be fractional (a
   * coarse bucket spread over finer steps).
   */
  public static double percentileMs(double[] v, double quantile) {
    double total = 0;
    for (int i = 0; i < HISTOGRAM_BUCKETS; i++) total += v[HISTOGRAM + i];
    if (total <= 0) return Double.NaN;
    double rank = quantile * total;
    double seen = 0;
    for (int i = 0; i < HISTOGRAM_BUCKETS; i++) {
      double n = v[HISTOGRAM + i];
      if (n > 0 && seen + n >= rank) {
        double lower = i == 0 ? 0 : HISTOGRAM_BOUNDS_MS[i - 1];
        double upper = i < HISTOGRAM_BOUNDS_MS.length ? HISTOGRAM_BOUNDS_MS[i] : Math.max(lower, v[LATENCY_MAX]);
        double at = lower + (upper - lower) * Math.max(0, rank - seen) / n;
        return v[LATENCY_MAX] > 0 ? Math.min(at, v[LATENCY_MAX]) : at;
      }
      seen += n;
    }
    return v[LATENCY_MAX];
  }

  public static double percentileMs(long[] v, double quantile) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) d[i] = v[i];
    return percentileMs(d, quantile);
  }
}
