package callwatch.aggregator.query;

/**
 * What RRDtool's GPRINT shows under a graph: the current (last known), average, maximum and
 * minimum of the known values of a window; unknown values are left out. Pure.
 */
public record LegendStats(double current, double average, double max, double min) {
  public static LegendStats of(double[] values) {
    double cur = Double.NaN, sum = 0, max = Double.NaN, min = Double.NaN;
    int n = 0;
    for (double v : values) {
      if (Double.isNaN(v)) continue;
      cur = v;
      sum += v;
      n++;
      max = Double.isNaN(max) ? v : Math.max(max, v);
      min = Double.isNaN(min) ? v : Math.min(min, v);
    }
    return new LegendStats(cur, n == 0 ? Double.NaN : sum / n, max, min);
  }
}
