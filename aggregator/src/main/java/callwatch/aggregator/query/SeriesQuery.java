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
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rrd4j.ConsolFun;
import org.rrd4j.core.FetchData;

/**
 * Answers "this series over this range": sums the counter vectors of every matching source per
 * bucket, read from the archive that suits the answer's step ({@link Steps}) and moved onto the
 * answer's grid ({@link Rebucket}). Per agent, the buckets this node has fully written come from
 * its round-robin files and the rest from the replicated cache. A bucket nobody reported is
 * unknown (NaN, null in JSON), never zero: before history began, or past an agent's last report.
 * Blocking; run on a worker pool.
 */
public final class SeriesQuery {
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

  /**
   * Points of a series: {@code times[i]} is the start of bucket i (epoch s), {@code vectors[i]} its
   * summed counters, {@code known[i]} whether anyone reported it; {@code historyStart} the first
   * known bucket of the range (null if none); {@code matched} whether any source or cached row
   * matched the series (if not, its names may be a typo: see {@link #checkNamesBlocking}).
   */
  public record Result(long step, long from, long to, long[] times, double[][] vectors, boolean[] known, Long historyStart,
                       boolean matched) {
    /** The shown values (NaN where unknown). */
    public double[] display(SeriesSpec spec, SeriesSpec.Per per) {
      double[] out = new double[times.length];
      for (int i = 0; i < out.length; i++) out[i] = known[i] ? spec.display(vectors[i], step, per) : Double.NaN;
      return out;
    }

    /** The window's total of one counter over the known buckets. */
    public long total(int index) {
      double sum = 0;
      for (int i = 0; i < times.length; i++) if (known[i]) sum += vectors[i][index];
      return Math.round(sum);
    }
  }

  /** Refuses a series that names a service, op, host or agent never seen, naming those that exist. */
  public void checkNamesBlocking(SeriesSpec spec) {
    Names names = Names.of(repo.allSources());
    if (names.explains(spec) == null) return;
    addRecentNamesBlocking(names); // not on disk yet (a new agent's first seconds)
    String problem = names.explains(spec);
    if (problem != null) throw new UnknownNameException(problem);
  }

  /**
   * The reading of a name ({@link SeriesSpec#readings}) whose service and op are known, the first
   * one if several are; the first reading if none is (its query finds nothing, and
   * {@link #checkNamesBlocking} says why).
   */
  public SeriesSpec resolveBlocking(List<SeriesSpec> readings) {
    if (readings.size() == 1) return readings.get(0);
    Names names = Names.of(repo.allSources());
    for (int pass = 0; pass < 2; pass++) {
      for (SeriesSpec r : readings) if (names.explains(r) == null) return r;
      if (pass == 0) addRecentNamesBlocking(names);
    }
    return readings.get(0);
  }

  /** Adds the names in the cache's last slots of each agent (a new service's first seconds are not on disk yet). */
  private void addRecentNamesBlocking(Names names) {
    long now = System.currentTimeMillis() / 1000;
    for (Map.Entry<String, AgentState> a : cache.agentsBlocking().entrySet()) {
      long from = Math.max(Math.min(writer.writtenUpTo(a.getKey()), now), now - 120);
      Set<String> keys = new LinkedHashSet<>();
      for (long t = Math.floorDiv(from, RrdLayout.STEP) * RrdLayout.STEP; t <= now + RrdLayout.STEP; t += RrdLayout.STEP) {
        keys.add(AgentSlot.key(a.getKey(), t));
      }
      for (AgentSlot slot : cache.slotsBlocking(keys).values()) {
        slot.rows.keySet().forEach(k -> {
          String[] f = AgentSlot.split(k);
          names.add(a.getKey(), f[3], f[0], f[1]);
        });
      }
    }
  }

  /** The series over [from, to) at {@code wantedStep} (0: chosen, see {@link Steps}). */
  public Result runBlocking(SeriesSpec spec, long from, long to, long wantedStep, long now) throws IOException {
    long step = Steps.choose(from, to, wantedStep, now);
    long start = Math.floorDiv(from, step) * step;
    long end = Math.floorDiv(to + step - 1, step) * step;
    return runAlignedBlocking(spec, start, step, (int) ((end - start) / step), now);
  }

  /**
   * The series on a given grid of {@code n} buckets of {@code step} from {@code start} (which need
   * not be a multiple of the step): an overlay asks for its main series' grid moved back by the shift.
   */
  public Result runAlignedBlocking(SeriesSpec spec, long start, long step, int n, long now) throws IOException {
    if (n < 1 || n > Steps.MAX_POINTS) throw new IllegalArgumentException(n + " points; the limit is " + Steps.MAX_POINTS);
    long end = start + step * n;
    // read no further back than the archives hold (a 20-year range has 400 days of rows at most)
    long res = Steps.archiveFor(Math.max(start, Steps.oldestHeld(now)), step, now);
    long readFrom = Math.max(Math.floorDiv(start, res) * res, Math.floorDiv(Steps.oldestHeld(now), res) * res);
    long readTo = Math.max(readFrom, Math.floorDiv(end + res - 1, res) * res);
    Rebucket.Grid grid = Rebucket.Grid.empty(readFrom, res, (int) ((readTo - readFrom) / res));

    Set<String> agents = new LinkedHashSet<>(cache.agentsBlocking().keySet());
    for (Source s : repo.allSources()) agents.add(s.agent());
    Map<String, AgentState> states = cache.agentsBlocking();
    boolean matched = false;
    List<long[]> incomplete = new ArrayList<>();
    for (String agent : agents) {
      if (spec.agent() != null && !spec.agent().equals(agent)) continue;
      boolean carries = false;
      long written = writer.writtenUpTo(agent);
      long rrdEnd = written == Long.MIN_VALUE ? readFrom : Math.max(readFrom, Math.min(readTo, Math.floorDiv(written, res) * res));
      for (Source s : repo.sources(agent)) {
        if (!spec.matches(agent, s.host(), s.service(), s.op())) continue;
        carries = true;
        if (rrdEnd > readFrom) addFromFile(s, readFrom, rrdEnd, grid);
      }
      AgentState st = states.get(agent);
      long cacheFrom = Math.max(rrdEnd, now - cacheWindowSeconds);
      if (cacheFrom < readTo) {
        carries |= addFromCache(agent, spec, Math.floorDiv(cacheFrom, RrdLayout.STEP) * RrdLayout.STEP, readTo, grid);
        // the agent read on and saw no matching call: zero, not unknown, up to where it has reported
        if (carries && st != null && st.firstSlot != Long.MAX_VALUE) grid.markKnown(Math.max(cacheFrom, st.firstSlot), st.closedBefore);
      }
      // a backlog older than the cache's window of wall time that the writer has not reached for this
      // agent yet (it writes agent by agent, two hours each per round): its calls are in neither part
      // read, so the rows holding it are unknown until written — never one agent's calls taken for
      // the whole (detection learns its profile from these rows while a backlog is stored)
      // (an agent with no file yet may carry anything)
      if (st != null && st.firstSlot != Long.MAX_VALUE && (carries || repo.sources(agent).isEmpty())) {
        long unwrittenFrom = Math.max(rrdEnd, st.firstSlot);
        long unwrittenTo = Math.min(cacheFrom, Math.max(st.closedBefore, st.seenUpToMillis / 1000) + RrdLayout.STEP);
        if (unwrittenFrom < unwrittenTo) incomplete.add(new long[] {unwrittenFrom, unwrittenTo});
      }
      matched |= carries;
    }
    Rebucket.Grid out = Rebucket.resample(grid, start, step, n);
    long[] times = new long[n];
    for (int i = 0; i < n; i++) times[i] = start + i * step;
    boolean[] known = out.known();
    for (long[] gap : incomplete) {
      for (int i = 0; i < n; i++) if (times[i] < gap[1] && times[i] + step > gap[0]) known[i] = false;
    }
    Long historyStart = null;
    for (int i = 0; i < n && historyStart == null; i++) if (out.known()[i]) historyStart = times[i];
    return new Result(step, start, end, times, out.vectors(), out.known(), historyStart, matched);
  }

  private void addFromFile(Source s, long start, long end, Rebucket.Grid grid) throws IOException {
    long res = grid.step();
    // ask for one row more than needed: rrd4j's fetch of a single row is fragile at the archive's edges
    FetchData total = repo.fetchBlocking(s, ConsolFun.TOTAL, start, end + res, res);
    // the archive of that resolution does not reach back that far (getStep() fails on a single row: ask the archive)
    if (total.getArcStep() != res) return;
    long[] rows = total.getTimestamps();
    double[][] values = total.getValues();
    double[] v = new double[Metrics.SIZE];
    for (int r = 0; r < rows.length; r++) {
      long bucket = rows[r] - res;
      if (bucket < start || bucket >= end || Double.isNaN(values[Metrics.CALLS][r])) continue; // unknown: nobody reported it
      for (int i = 0; i < Metrics.SIZE; i++) {
        double x = values[i][r];
        if (Double.isNaN(x)) x = 0;
        // a coarse row holds the sum of maxima: take the histogram's highest non-empty bucket instead
        v[i] = i == Metrics.LATENCY_MAX && res != RrdLayout.STEP ? highestBucketBound(values, r, x) : x;
      }
      grid.add(bucket, v);
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

  /** Adds the cached slots in [from, end); returns whether any of them had a matching row. */
  private boolean addFromCache(String agent, SeriesSpec spec, long from, long end, Rebucket.Grid grid) {
    Set<String> keys = new LinkedHashSet<>();
    for (long t = from; t < end; t += RrdLayout.STEP) keys.add(AgentSlot.key(agent, t));
    boolean matched = false;
    // the agent's few row keys come back in every slot: each is split and matched once per query
    Map<String, Boolean> matching = new java.util.HashMap<>();
    for (Map.Entry<String, AgentSlot> e : cache.slotsBlocking(keys).entrySet()) {
      long slot = Long.parseLong(e.getKey().substring(e.getKey().lastIndexOf('|') + 1));
      double[] sum = new double[Metrics.SIZE];
      boolean[] any = {false};
      e.getValue().rows.forEach((k, c) -> {
        if (!matching.computeIfAbsent(k, row -> {
          String[] f = AgentSlot.split(row);
          return spec.matches(agent, f[3], f[0], f[1]);
        })) {
          return;
        }
        any[0] = true;
        for (int i = 0; i < Metrics.SIZE; i++) sum[i] = Metrics.isMax(i) ? Math.max(sum[i], c[i]) : sum[i] + c[i];
      });
      if (any[0]) {
        grid.add(slot, sum);
        matched = true;
      }
    }
    return matched;
  }

  /** The services, ops and hosts known, for the series list. */
  /** The services the round-robin files know. */
  public java.util.Set<String> serviceNamesBlocking() {
    java.util.Set<String> out = new java.util.TreeSet<>();
    for (Source s : repo.allSources()) out.add(s.service());
    return out;
  }

  public Map<String, AgentState> agentsBlocking() {
    return cache.agentsBlocking();
  }
}
