package callwatch.agent.batch;

import callwatch.agent.parse.ParsedCall;
import callwatch.common.collect.LongMap;
import callwatch.common.model.Metrics;
import callwatch.common.model.Outcome;
import callwatch.common.protocol.BatchTextWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Adds parsed calls into counters per time slot (by the line's own timestamp) and per
 * (service, op, vendor, host), and keeps each call's pharmacy; {@link #drainInto}
 * hands out what was added since the previous drain. Pure and single-threaded.
 *
 * <p>A call whose slot the agent has already declared closed ({@link #closeBefore}) is added to the
 * first open slot instead and counted as late: totals stay exact and the shift is bounded by the
 * grace period, instead of a call vanishing because the aggregator already wrote its slot.
 */
public final class CallAccumulator {
  private static final int NAMED_PHARMACY = 1 << 30;
  private final int stepSeconds;
  private final ByteInterner services = new ByteInterner(1 << 10);
  private final ByteInterner ops = new ByteInterner(1 << 12);
  private final ByteInterner vendors = new ByteInterner(1 << 14);
  private final ByteInterner hosts = new ByteInterner(1 << 12);
  private final ByteInterner pharmacies = new ByteInterner(1 << 20);
  private final int unknownVendor;
  private final LongMap<LongMap<long[]>> slots = new LongMap<>();
  private final PharmacyCalls pharmacyCalls = new PharmacyCalls();
  /** Pair id + 1 (0: none yet) by service id and vendor id, and each pair's (service << 14 | vendor). */
  private int[][] pairIds = new int[8][];
  private long[] pairKeys = new long[16];
  private int pairCount;
  private long closedBefore = Long.MIN_VALUE;
  /** The second of the previous line (epoch ms of its start), its slot and its minute. */
  private long secondStartMillis = Long.MIN_VALUE / 2, secondSlot, secondMinute;
  /** The slot of the previous line and its map (cleared with the maps on a drain). */
  private long lastSlot = Long.MIN_VALUE;
  private LongMap<long[]> lastSlotRows;
  /** Rows of the largest slot of the last drain: new maps start that big. */
  private int lastSlotSize;
  private long late;
  private long calls;
  private int rows;

  public CallAccumulator(int stepSeconds) {
    this.stepSeconds = stepSeconds;
    byte[] unknown = "unknown".getBytes(StandardCharsets.UTF_8);
    this.unknownVendor = vendors.id(unknown, 0, unknown.length);
  }

  /** Adds one call; {@code defaultHost} names the host when the line does not. */
  public void add(ParsedCall c, int defaultHostId) {
    if (c.epochMillis - secondStartMillis >= 1000 || c.epochMillis < secondStartMillis) {
      // a new second: the divisions are done once per second of log, not once per line
      long second = Math.floorDiv(c.epochMillis, 1000L);
      secondStartMillis = second * 1000L;
      secondSlot = second - Math.floorMod(second, stepSeconds);
      secondMinute = second - Math.floorMod(second, 60);
    }
    long slot = secondSlot;
    long minute = secondMinute;
    if (slot < closedBefore) {
      slot = closedBefore;
      late++;
    }
    int service = services.id(c.serviceBuf, c.serviceFrom, c.serviceTo);
    int op = ops.id(c.buf, c.opFrom, c.opTo);
    int vendor = isUnknown(c.buf, c.vendorFrom, c.vendorTo) ? unknownVendor : vendors.id(c.buf, c.vendorFrom, c.vendorTo);
    int host = c.hostFrom < 0 ? defaultHostId : hosts.id(c.buf, c.hostFrom, c.hostTo);
    long key = ((long) service << 38) | ((long) op << 26) | ((long) vendor << 12) | host;

    LongMap<long[]> rows = slot == lastSlot ? lastSlotRows : slots.get(slot); // lines come in time order: mostly the same slot
    if (rows == null) {
      rows = new LongMap<>(lastSlotSize); // about as many rows as the last slot had
      slots.put(slot, rows);
    }
    lastSlot = slot;
    lastSlotRows = rows;
    long[] v = rows.get(key);
    if (v == null) {
      v = new long[Metrics.SIZE];
      rows.put(key, v);
      this.rows++;
    }
    v[Metrics.CALLS]++;
    v[c.outcome.metricIndex()]++;
    if (c.codeIndex >= 0) v[c.codeIndex]++;
    v[Metrics.LATENCY_SUM] += c.latencyMs;
    if (c.latencyMs > v[Metrics.LATENCY_MAX]) v[Metrics.LATENCY_MAX] = c.latencyMs;
    v[Metrics.HISTOGRAM + Metrics.bucketOf(c.latencyMs)]++;
    calls++;

    int code = pair(service, vendor) * 4 + (c.outcome != Outcome.OK ? 1 : 0) + (c.codeIndex == Metrics.E401 ? 2 : 0);
    pharmacyCalls.add(minute, pharmacyId(c.buf, c.pharmacyFrom, c.pharmacyTo), code);
    this.rows++;
  }

  /** The id of a (service, vendor) pair; a batch lists the pairs its pharmacy calls use. */
  private int pair(int service, int vendor) {
    if (service >= pairIds.length) pairIds = Arrays.copyOf(pairIds, Math.max(service + 1, pairIds.length * 2));
    int[] byVendor = pairIds[service];
    if (byVendor == null || vendor >= byVendor.length) {
      int[] old = byVendor == null ? new int[0] : byVendor;
      byVendor = pairIds[service] = Arrays.copyOf(old, Math.max(vendor + 1, Math.max(16, old.length * 2)));
    }
    int id = byVendor[vendor] - 1;
    if (id < 0) {
      id = pairCount++;
      byVendor[vendor] = id + 1;
      if (id == pairKeys.length) pairKeys = Arrays.copyOf(pairKeys, Math.max(16, id * 2));
      pairKeys[id] = ((long) service << 14) | vendor;
    }
    return id;
  }

  /**
   * Pharmacy ids are mostly numbers: a number of up to 9 digits (no leading zero) is its own id,
   * without a lookup; any other name is interned and marked with bit 30.
   */
  private int pharmacyId(byte[] b, int from, int to) {
    int n = to - from;
    if (n >= 1 && n <= 9 && (b[from] != '0' || n == 1)) {
      int v = 0;
      int i = from;
      for (; i < to; i++) {
        int d = b[i] - '0';
        if (d < 0 || d > 9) break;
        v = v * 10 + d;
      }
      if (i == to) return v;
    }
    return NAMED_PHARMACY | pharmacies.id(b, from, to);
  }

  public int hostId(String host) {
    byte[] b = host.getBytes(StandardCharsets.UTF_8);
    return hosts.id(b, 0, b.length);
  }

  /** From now on, calls for slots before {@code slot} go to {@code slot} and count as late. */
  public void closeBefore(long slot) {
    closedBefore = Math.max(closedBefore, slot);
  }

  public long late() {
    return late;
  }

  public long calls() {
    return calls;
  }

  /** Series and pharmacy rows waiting for the next batch. */
  public int rows() {
    return rows;
  }

  public boolean hasPending() {
    return !slots.isEmpty() || pharmacyCalls.size() > 0;
  }

  /**
   * Writes the counters added since the last drain into {@code w} (slots oldest first, then the
   * pharmacy calls) and forgets them.
   */
  public void drainInto(BatchTextWriter w) {
    long[] slotTimes = new long[slots.size()];
    int[] n = {0};
    lastSlotSize = 0;
    slots.forEach((slot, rows) -> {
      slotTimes[n[0]++] = slot;
      lastSlotSize = Math.max(lastSlotSize, rows.size());
    });
    Arrays.sort(slotTimes);
    for (long slot : slotTimes) {
      w.slot(slot);
      slots.get(slot).forEach((key, v) -> w.row(services.literal((int) (key >>> 38)), ops.literal((int) ((key >>> 26) & 0xFFF)),
          vendors.literal((int) ((key >>> 12) & 0x3FFF)), hosts.literal((int) (key & 0xFFF)), v));
    }
    w.pharmacyPairs();
    boolean[] listed = new boolean[pairCount];
    pharmacyCalls.forEachRun((minute, records, from, to) -> {
      for (int i = from; i < to; i++) {
        int pair = records[2 * i + 1] >>> 2;
        if (!listed[pair]) {
          listed[pair] = true;
          long key = pairKeys[pair];
          w.pair(pair, services.literal((int) (key >>> 14)), vendors.literal((int) (key & 0x3FFF)));
        }
      }
    });
    w.pharmacyCalls();
    pharmacyCalls.forEachRun((minute, records, from, to) -> {
      w.minute(minute);
      for (int i = from; i < to; i++) {
        int pharmacy = records[2 * i];
        if ((pharmacy & NAMED_PHARMACY) != 0) w.call(pharmacies.literal(pharmacy & ~NAMED_PHARMACY), records[2 * i + 1]);
        else w.call(pharmacy, records[2 * i + 1]);
      }
    });
    pharmacyCalls.clear();
    slots.clear();
    lastSlot = Long.MIN_VALUE;
    lastSlotRows = null;
    rows = 0;
  }

  private static boolean isUnknown(byte[] b, int from, int to) {
    return to <= from || (to - from == 1 && b[from] == '-');
  }
}
