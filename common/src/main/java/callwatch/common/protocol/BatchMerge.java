package callwatch.common.protocol;

import callwatch.common.model.Metrics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Two consecutive batches of one agent as one: what an agent does with batches it spooled and has
 * not sent yet (the aggregator away, or its backlog window full), so a backlog travels in fewer,
 * larger batches. The result is the newer batch — its seq, clock marks and figures — carrying
 * both batches' counts. Pure.
 */
public final class BatchMerge {
  private BatchMerge() {}

  /**
   * The batch's frame, written straight into bytes (no JSON tree: an agent merging a backlog every
   * second would otherwise build and drop one per cut).
   */
  public static byte[] text(Batch b, int expectedBytes) {
    Map<String, byte[]> literals = new java.util.HashMap<>();
    java.util.function.Function<String, byte[]> lit = x -> literals.computeIfAbsent(x, BatchTextWriter::literal);
    BatchTextWriter w = new BatchTextWriter(expectedBytes).begin(b.seq(), b.stepSeconds(), b.closedBefore(), b.seenUpToMillis());
    for (SlotDelta d : b.slots()) {
      w.slot(d.slot());
      for (SeriesRow r : d.rows()) w.row(lit.apply(r.service()), lit.apply(r.op()), lit.apply(r.vendor()), lit.apply(r.host()), r.counters());
    }
    w.pharmacyPairs();
    Map<String, Integer> pairs = new LinkedHashMap<>();
    TreeMap<Long, List<PharmacyRow>> byMinute = new TreeMap<>();
    for (PharmacyRow p : b.pharmacies()) {
      String pair = p.service() + '\n' + p.vendor();
      if (!pairs.containsKey(pair)) {
        pairs.put(pair, pairs.size());
        w.pair(pairs.get(pair), lit.apply(p.service()), lit.apply(p.vendor()));
      }
      byMinute.computeIfAbsent(p.minute(), m -> new ArrayList<>()).add(p);
    }
    w.pharmacyCalls();
    byMinute.forEach((minute, rows) -> {
      w.minute(minute);
      for (PharmacyRow p : rows) {
        int pair = pairs.get(p.service() + '\n' + p.vendor());
        // each call of the row; a numbered pharmacy as its number, which the aggregator reads without a string per call
        long number = PharmacyNumbers.numberOf(p.pharmacy());
        byte[] name = number < 0 ? lit.apply(p.pharmacy()) : null;
        for (long i = 0; i < p.calls(); i++) {
          if (number >= 0) w.call(number, p.callCode(pair, i));
          else w.call(name, p.callCode(pair, i));
        }
      }
    });
    return w.end(ProtocolCodec.encodeStats(b.stats()).encode());
  }

  public static Batch merge(Batch older, Batch newer) {
    if (older.stepSeconds() != newer.stepSeconds()) throw new IllegalArgumentException("batches of different steps");
    TreeMap<Long, Map<String, SeriesRow>> slots = new TreeMap<>();
    for (Batch b : List.of(older, newer)) {
      for (SlotDelta d : b.slots()) {
        Map<String, SeriesRow> rows = slots.computeIfAbsent(d.slot(), s -> new LinkedHashMap<>());
        for (SeriesRow r : d.rows()) {
          String key = r.service() + '\n' + r.op() + '\n' + r.vendor() + '\n' + r.host();
          SeriesRow known = rows.get(key);
          if (known == null) {
            rows.put(key, new SeriesRow(r.service(), r.op(), r.vendor(), r.host(), r.counters().clone()));
          } else {
            Metrics.add(known.counters(), r.counters());
          }
        }
      }
    }
    List<SlotDelta> mergedSlots = new ArrayList<>();
    slots.forEach((slot, rows) -> mergedSlots.add(new SlotDelta(slot, new ArrayList<>(rows.values()))));
    Map<String, long[]> calls = new LinkedHashMap<>();
    Map<String, PharmacyRow> names = new LinkedHashMap<>();
    for (Batch b : List.of(older, newer)) {
      for (PharmacyRow p : b.pharmacies()) {
        String key = p.minute() + "\n" + p.pharmacy() + '\n' + p.service() + '\n' + p.vendor();
        names.putIfAbsent(key, p);
        long[] c = calls.computeIfAbsent(key, k -> new long[3]);
        c[0] += p.calls();
        c[1] += p.errors();
        c[2] += p.e401();
      }
    }
    List<PharmacyRow> pharmacies = new ArrayList<>();
    names.forEach((key, p) -> {
      long[] c = calls.get(key);
      pharmacies.add(new PharmacyRow(p.minute(), p.pharmacy(), p.service(), p.vendor(), c[0], c[1], c[2]));
    });
    return new Batch(newer.seq(), newer.stepSeconds(), Math.max(older.closedBefore(), newer.closedBefore()),
        Math.max(older.seenUpToMillis(), newer.seenUpToMillis()), mergedSlots, pharmacies, newer.stats());
  }
}
