package callwatch.aggregator.query;

import callwatch.common.model.Metrics;

/**
 * Moves counter vectors from one grid of time buckets to another by overlap: a target bucket gets
 * each source bucket's counts in proportion to the time they share (the latency maximum as a
 * maximum), and is known if any source bucket it overlaps is known. Spreading a coarse bucket over
 * finer ones keeps its rate and its total; summing fine buckets into a coarse one is exact. This is
 * how an overlay a year back, where only hourly rows are left, is drawn at the main series' 10 s
 * positions. Pure.
 */
public final class Rebucket {
  private Rebucket() {}

  /** Vectors on a grid: bucket i covers [start + i·step, start + (i+1)·step). */
  public record Grid(long start, long step, double[][] vectors, boolean[] known) {
    public static Grid empty(long start, long step, int n) {
      return new Grid(start, step, new double[n][Metrics.SIZE], new boolean[n]);
    }

    public int size() {
      return known.length;
    }

    public long end() {
      return start + step * known.length;
    }

    /** Adds a vector into the bucket holding {@code time} (ignored outside the grid) and marks it known. */
    public void add(long time, double[] v) {
      int i = index(time);
      if (i < 0) return;
      known[i] = true;
      double[] into = vectors[i];
      for (int k = 0; k < Metrics.SIZE; k++) into[k] = Metrics.isMax(k) ? Math.max(into[k], v[k]) : into[k] + v[k];
    }

    /** Marks the buckets overlapping [from, to) known (data was reported there, even if no calls). */
    public void markKnown(long from, long to) {
      long a = Math.max(from, start), b = Math.min(to, end());
      for (long t = a; t < b; t += step) {
        int i = index(t);
        if (i >= 0) known[i] = true;
      }
      if (a < b) known[index(b - 1)] = true;
    }

    int index(long time) {
      if (time < start || time >= end()) return -1;
      return (int) ((time - start) / step);
    }
  }

  public static Grid resample(Grid src, long start, long step, int n) {
    if (src.start() == start && src.step() == step && src.size() == n) return src;
    Grid out = Grid.empty(start, step, n);
    for (int j = 0; j < n; j++) {
      long a = start + j * step, b = a + step;
      long first = Math.max(0, Math.floorDiv(a - src.start(), src.step()));
      long last = Math.min(src.size() - 1L, Math.floorDiv(b - 1 - src.start(), src.step()));
      for (long i = first; i <= last; i++) {
        if (!src.known()[(int) i]) continue;
        long s = src.start() + i * src.step();
        long overlap = Math.min(b, s + src.step()) - Math.max(a, s);
        if (overlap <= 0) continue;
        double share = (double) overlap / src.step();
        double[] v = src.vectors()[(int) i];
        double[] into = out.vectors()[j];
        for (int k = 0; k < Metrics.SIZE; k++) into[k] = Metrics.isMax(k) ? Math.max(into[k], v[k]) : into[k] + v[k] * share;
        out.known()[j] = true;
      }
    }
    return out;
  }
}
