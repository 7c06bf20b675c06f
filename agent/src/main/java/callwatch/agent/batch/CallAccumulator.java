package callwatch.agent.batch;

import callwatch.agent.parse.ParsedCall;
import callwatch.common.model.Metrics;
import callwatch.common.protocol.PharmacyRow;
import callwatch.common.protocol.SeriesRow;
import callwatch.common.protocol.SlotDelta;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Adds parsed calls into counters per time slot (by the line's own timestamp) and per
 * (service, op, vendor, host), and into per-pharmacy counts per minute; {@link #drainSlots()}
 * hands out what was added since the previous drain. Pure and single-threaded.
 *
 * <p>A call whose slot the agent has already declared closed ({@link #closeBefore}) is added to the
 * first open slot instead and counted as late: totals stay exact and the shift is bounded by the
 * grace period, instead of a call vanishing because the aggregator already wrote its slot.
 */
public final class CallAccumulator {
  private final int stepSeconds;
  private final ByteInterner services = new ByteInterner(1 << 10);
  private final ByteInterner ops = new ByteInterner(1 << 12);
  private final ByteInterner vendors = new ByteInterner(1 << 14);
  private final ByteInterner hosts = new ByteInterner(1 << 12);
  private final ByteInterner pharmacies = new ByteInterner(1 << 20);
  private final int unknownVendor;
  private final LongMap<LongMap<long[]>> slots = new LongMap<>();
  private final LongMap<LongMap<long[]>> pharmacyMinutes = new LongMap<>();
  private long closedBefore = Long.MIN_VALUE;
  /** The slot and minute of the previous line and their maps (cleared with the maps on a drain). */
  private long lastSlot = Long.MIN_VALUE, lastMinute = Long.MIN_VALUE;
  private LongMap<long[]> lastSlotRows, lastMinuteRows;
  /** Rows of the largest slot and minute of the last drain: new maps start that big. */
  private int lastSlotSize, lastMinuteSize;
  /** Pharmacy rows waiting for the next batch (part of {@link #rows}). */
  private int pharmacyRows;
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
    long second = Math.floorDiv(c.epochMillis, 1000L);
    long slot = second - Math.floorMod(second, stepSeconds);
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

    long minute = second - Math.floorMod(second, 60);
    int pharmacy = pharmacies.id(c.buf, c.pharmacyFrom, c.pharmacyTo);
    long pkey = ((long) pharmacy << 24) | ((long) service << 14) | vendor;
    LongMap<long[]> prow = minute == lastMinute ? lastMinuteRows : pharmacyMinutes.get(minute);
    if (prow == null) {
      prow = new LongMap<>(lastMinuteSize);
      pharmacyMinutes.put(minute, prow);
    }
    lastMinute = minute;
    lastMinuteRows = prow;
    long[] pc = prow.get(pkey);
    if (pc == null) {
      pc = new long[3];
      prow.put(pkey, pc);
      this.rows++;
      pharmacyRows++;
    }
    pc[0]++;
    if (c.outcome != callwatch.common.model.Outcome.OK) pc[1]++;
    if (c.codeIndex == Metrics.E401) pc[2]++;
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
    return !slots.isEmpty() || !pharmacyMinutes.isEmpty();
  }

  /** The counters added since the last drain, oldest slot first; forgets them. */
  public List<SlotDelta> drainSlots() {
    List<SlotDelta> out = new ArrayList<>();
    lastSlotSize = 0;
    slots.forEach((slot, rows) -> {
      lastSlotSize = Math.max(lastSlotSize, rows.size());
      List<SeriesRow> list = new ArrayList<>(rows.size());
      rows.forEach((key, v) -> list.add(new SeriesRow(
          services.string((int) (key >>> 38)), ops.string((int) ((key >>> 26) & 0xFFF)),
          vendors.string((int) ((key >>> 12) & 0x3FFF)), hosts.string((int) (key & 0xFFF)), v)));
      out.add(new SlotDelta(slot, list));
    });
    out.sort((a, b) -> Long.compare(a.slot(), b.slot()));
    slots.clear();
    lastSlot = Long.MIN_VALUE;
    lastSlotRows = null;
    rows = 0;
    return out;
  }

  public List<PharmacyRow> drainPharmacies() {
    List<PharmacyRow> out = new ArrayList<>(pharmacyRows);
    lastMinuteSize = 0;
    pharmacyMinutes.forEach((minute, rows) -> {
      lastMinuteSize = Math.max(lastMinuteSize, rows.size());
      rows.forEach((key, c) -> out.add(new PharmacyRow(minute,
          pharmacies.string((int) (key >>> 24)), services.string((int) ((key >>> 14) & 0x3FF)),
          vendors.string((int) (key & 0x3FFF)), c[0], c[1], c[2])));
    });
    pharmacyRows = 0;
    pharmacyMinutes.clear();
    lastMinute = Long.MIN_VALUE;
    lastMinuteRows = null;
    rows = 0;
    return out;
  }

  private static boolean isUnknown(byte[] b, int from, int to) {
    return to <= from || (to - from == 1 && b[from] == '-');
  }
}
