package callwatch.aggregator.query;

import callwatch.aggregator.cluster.AgentSlot;
import callwatch.aggregator.cluster.AgentState;
import callwatch.aggregator.cluster.LiveCache;
import callwatch.aggregator.store.RrdLayout;
import callwatch.aggregator.store.RrdRepository;
import callwatch.aggregator.store.SlotWriter;
import callwatch.aggregator.store.Source;
import callwatch.common.model.Metrics;
import java.io.IOException;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import org.rrd4j.ConsolFun;
import org.rrd4j.core.FetchData;

/**
 * Answers "this series over this range": sums the counter vectors of every matching source, per
 * bucket of the finest resolution whose archive covers the range. Per agent, the buckets this
 * node has fully written come from its round-robin files and the rest from the replicated cache.
 * Blocking; run on a worker pool.
 */
public final class SeriesQuery {
  /** Beyond this many points the next coarser archive is used. */
  public static final int MAX_POINTS = 5000;
  private final LiveCache cache;
  private final RrdRepository repo;
  private final SlotWriter writer;
  private final long cacheWindowSeconds;

  public SeriesQuery(LiveCache cache, RrdRepository repo, SlotWriter writer, long cacheWindowSeconds) {
    this.cache = cache;
    this.repo = repo;
    this.writer = writer;
    this.cacheWindowSeconds = cacheWindowSeconds;
  }

  /** Points of a series: {@code times[i]} is the start of bucket i (epoch s), {@code vectors[i]} its summed counters. */
  public record Result(long step, long from, long to, long[] times, double[][] vectors) {
    public double[] values(SeriesSpec spec) {
      double[] out = new double[times.length];
      for (int i = 0; i < out.length; i++) out[i] = spec.value(vectors[i], step);
      return out;
    }
  }

  public Result runBlocking(SeriesSpec spec, long from, long to, long minStep, long now) throws IOException {
    if (to <= from) throw new IllegalArgumentException("'to' must be after 'from'");
    long res = RrdLayout.resolutionFor(from, now, minStep);
    while ((to - from) / res > MAX_POINTS && res < 3600) res = RrdLayout.resolutionFor(from, now, res + 1);
    long start = Math.floorDiv(from, res) * res;
    long end = Math.floorDiv(to + res - 1, res) * res;
    int n = (int) ((end - start) / res);
    long[] times = new long[n];
    double[][] vectors = new double[n][Metrics.SIZE];
    for (int i = 0; i < n; i++) times[i] = start + i * res;

    Set<String> agents = new LinkedHashSet<>(cache.agentsBlocking().keySet());
    for (Source s : repo.allSources()) agents.add(s.agent());
    for (String agent : agents) {
      if (spec.agent() != null && !spec.agent().equals(agent)) continue;
      long written = writer.writtenUpTo(agent);
      long rrdEnd = written == Long.MIN_VALUE ? start : Math.max(start, Math.min(end, Math.floorDiv(written, res) * res));
      if (rrdEnd > start) {
        for (Source s : repo.sources(agent)) {
          if (spec.matches(agent, s.host(), s.service(), s.op())) addFromFile(s, start, rrdEnd, res, vectors);
        }
      }
      long cacheFrom = Math.max(rrdEnd, now - cacheWindowSeconds);
      if (cacheFrom < end) addFromCache(agent, spec, Math.floorDiv(cacheFrom, RrdLayout.STEP) * RrdLayout.STEP, end, start, res, vectors);
    }
    return new Result(res, start, end, times, vectors);
  }

  private void addFromFile(Source s, long start, long end, long res, double[][] vectors) throws IOException {
    FetchData total = repo.fetchBlocking(s, ConsolFun.TOTAL, start, end, res);
    // the archive of that resolution does not reach back that far (getStep() fails on a single row: ask the archive)
    if (total.getArcStep() != res) return;
    long[] rows = total.getTimestamps();
    double[][] values = total.getValues();
    for (int r = 0; r < rows.length; r++) {
      long bucket = rows[r] - res;
      if (bucket < start || bucket >= end) continue;
      double[] v = vectors[(int) ((bucket - start) / res)];
      for (int i = 0; i < Metrics.SIZE; i++) {
        double x = values[i][r];
        if (Double.isNaN(x)) continue; // unknown: no calls were recorded there
        if (i == Metrics.LATENCY_MAX) {
          // a coarse row holds the sum of maxima: take the histogram's highest non-empty bucket instead
          v[i] = Math.max(v[i], res == RrdLayout.STEP ? x : highestBucketBound(values, r, x));
        } else {
          v[i] += x;
        }
      }
    }
  }

  private static double highestBucketBound(double[][] values, int row, double sumOfMaxima) {
    for (int b = Metrics.HISTOGRAM_BUCKETS - 1; b >= 0; b--) {
      double n = values[Metrics.HISTOGRAM + b][row];
      if (!Double.isNaN(n) && n > 0) {
        return b < Metrics.HISTOGRAM_BOUNDS_MS.length ? Metrics.HISTOGRAM_BOUNDS_MS[b] : sumOfMaxima;
      }
    }
    return 0;
  }

  private void addFromCache(String agent, SeriesSpec spec, long from, long end, long start, long res, double[][] vectors) {
    Set<String> keys = new LinkedHashSet<>();
    for (long t = from; t < end; t += RrdLayout.STEP) keys.add(AgentSlot.key(agent, t));
    for (Map.Entry<String, AgentSlot> e : cache.slotsBlocking(keys).entrySet()) {
      long slot = Long.parseLong(e.getKey().substring(e.getKey().lastIndexOf('|') + 1));
      if (slot < start) continue;
      double[] v = vectors[(int) ((slot - start) / res)];
      e.getValue().rows.forEach((k, c) -> {
        String[] f = AgentSlot.split(k);
        if (!spec.matches(agent, f[3], f[0], f[1])) return;
        for (int i = 0; i < Metrics.SIZE; i++) v[i] = Metrics.isMax(i) ? Math.max(v[i], c[i]) : v[i] + c[i];
      });
    }
  }

  /** The services, ops and hosts known, for the series list. */
  public Map<String, AgentState> agentsBlocking() {
    return cache.agentsBlocking();
  }
}
