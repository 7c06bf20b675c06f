package callwatch.aggregator.store;

import callwatch.common.model.Metrics;
import org.rrd4j.ConsolFun;
import org.rrd4j.DsType;
import org.rrd4j.core.RrdDef;

/**
 * The round-robin definition of every source file: one GAUGE data source per element of the
 * {@link Metrics} vector, holding the count of one 10 s slot, and archives that keep
 * 10 s for a day, 1 min for 14 days, 10 min for 92 days and 1 h for 400 days (so last year can be
 * laid over this year). Counts consolidate with TOTAL, so a coarse row is the exact sum of its
 * slots. There are no MAX archives (they would double the disk per series against rrdtool's
 * four-archive definition): at coarse resolutions the latency maximum is read from the histogram
 * (the bound of the highest non-empty bucket). Pure.
 */
public final class RrdLayout {
  public static final int STEP = 10;
  /**
   * How long a source may go without an update before rrd4j counts the time as unknown. The writer
   * moves every source of an agent on as far as the agent has reported, at most
   * {@link SlotWriter#MAX_SLOTS_PER_ROUND} slots at a time (a backlog): a quiet source over such a
   * round is zero calls, not unknown. A source that was not moved on for longer (its agent was
   * away and reported nothing for that time) stays unknown: a gap on the graph.
   */
  static final long HEARTBEAT = SlotWriter.MAX_SLOTS_PER_ROUND * (long) STEP + 600;
  /** Resolution (s) and rows of each archive, finest first. */
  public static final long[][] ARCHIVES = {{10, 8640}, {60, 20160}, {600, 13248}, {3600, 9600}};
  /**
   * Fraction of unknown PDPs a consolidated row may have: slots without calls are not written (see
   * {@link RrdRepository}), so a coarse row is the sum of the slots that had any.
   */
  static final double XFF = 0.999;

  /** The size of every file of this layout. */
  public static final long FILE_BYTES = definition("size", 0).getEstimatedSize();

  private RrdLayout() {}

  /** What makes an opened file not one of this layout (null if it is one). */
  static String problemWith(org.rrd4j.core.RrdDb db) throws java.io.IOException {
    if (db.getHeader().getStep() != STEP) return "step " + db.getHeader().getStep() + " instead of " + STEP;
    if (db.getDsCount() != Metrics.SIZE) return db.getDsCount() + " data sources instead of " + Metrics.SIZE;
    if (db.getArcCount() != ARCHIVES.length) return db.getArcCount() + " archives instead of " + ARCHIVES.length;
    for (int i = 0; i < ARCHIVES.length; i++) {
      if (db.getArchive(i).getRows() != ARCHIVES[i][1]) return "archive " + i + " has " + db.getArchive(i).getRows() + " rows";
    }
    if (db.getLastUpdateTime() <= 0) return "no last update time";
    return null;
  }

  public static RrdDef definition(String path, long startTime) {
    RrdDef def = new RrdDef(path, startTime, STEP);
    for (String name : Metrics.NAMES) {
      def.addDatasource(name, DsType.GAUGE, HEARTBEAT, 0, Double.NaN);
    }
    for (long[] a : ARCHIVES) {
      def.addArchive(ConsolFun.TOTAL, XFF, (int) (a[0] / STEP), (int) a[1]);
    }
    return def;
  }

  /** The finest resolution whose archive still holds {@code from} at time {@code now}, at least {@code minStep}. */
  public static long resolutionFor(long from, long now, long minStep) {
    for (long[] a : ARCHIVES) {
      if (a[0] >= minStep && now - a[0] * a[1] <= from) return a[0];
    }
    return ARCHIVES[ARCHIVES.length - 1][0];
  }
}
