package callwatch.common.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import callwatch.common.model.Metrics;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class BatchMergeTest {
  private static long[] calls(long n, long errors) {
    long[] c = new long[Metrics.SIZE];
    c[Metrics.CALLS] = n;
    c[Metrics.ERROR] = errors;
    c[Metrics.OK] = n - errors;
    return c;
  }

  private static final AgentStats STATS_OLD = new AgentStats(Map.of("linesRead", 10L), List.of());
  private static final AgentStats STATS_NEW = new AgentStats(Map.of("linesRead", 25L), List.of());

  @Test
  void countsAddUpAndTheNewerBatchSpeaksForTheMarks() {
    Batch older = new Batch(7, 10, 1_000, 1_005_000,
        List.of(new SlotDelta(990, List.of(new SeriesRow("DPP", "read", "V/1", "app1", calls(3, 1)))),
            new SlotDelta(1000, List.of(new SeriesRow("DPP", "read", "V/1", "app1", calls(2, 0))))),
        List.of(new PharmacyRow(960, "100001", "DPP", "V/1", 5, 1, 1)), STATS_OLD);
    Batch newer = new Batch(8, 10, 1_010, 1_011_000,
        List.of(new SlotDelta(1000, List.of(new SeriesRow("DPP", "read", "V/1", "app1", calls(4, 2)),
            new SeriesRow("RECIPE", "read", "V/1", "app1", calls(1, 0))))),
        List.of(new PharmacyRow(960, "100001", "DPP", "V/1", 2, 0, 0), new PharmacyRow(960, "100002", "DPP", "V/1", 1, 0, 0)),
        STATS_NEW);
    Batch m = BatchMerge.merge(older, newer);
    assertEquals(8, m.seq(), "the newer batch's seq: the older one's is never sent");
    assertEquals(1_010, m.closedBefore());
    assertEquals(1_011_000, m.seenUpToMillis());
    assertEquals(STATS_NEW, m.stats());
    TreeMap<String, Long> perRow = new TreeMap<>();
    for (SlotDelta d : m.slots()) {
      for (SeriesRow r : d.rows()) perRow.merge(d.slot() + " " + r.service(), r.counters()[Metrics.CALLS], Long::sum);
    }
    assertEquals(Map.of("990 DPP", 3L, "1000 DPP", 6L, "1000 RECIPE", 1L), perRow);
    assertEquals(List.of(new PharmacyRow(960, "100001", "DPP", "V/1", 7, 1, 1), new PharmacyRow(960, "100002", "DPP", "V/1", 1, 0, 0)),
        m.pharmacies());
    // what travels decodes to the same counts, and the frame written straight into bytes is the same JSON
    Batch wire = ProtocolCodec.decodeBatch(ProtocolCodec.encode(m));
    Batch written = ProtocolCodec.decodeBatch(new io.vertx.core.json.JsonObject(new String(BatchMerge.text(m, 64), java.nio.charset.StandardCharsets.UTF_8)));
    assertEquals(ProtocolCodec.encode(wire), ProtocolCodec.encode(written));
    long[] sum = new long[Metrics.SIZE];
    for (SlotDelta d : wire.slots()) for (SeriesRow r : d.rows()) Metrics.add(sum, r.counters());
    assertArrayEquals(new long[] {10, 3}, new long[] {sum[Metrics.CALLS], sum[Metrics.ERROR]});
    assertEquals(8, wire.pharmacies().stream().mapToLong(PharmacyRow::calls).sum());
  }

  @Test
  void aNumberedPharmacyTravelsAsANumberAndANamedOneAsAString() {
    // a merged backlog carries millions of calls: a number is read without a string per call
    Batch b = new Batch(3, 10, 1_000, 1_000_000, List.of(),
        List.of(new PharmacyRow(960, "100001", "DPP", "V/1", 2, 1, 0), new PharmacyRow(960, "PH-7", "DPP", "V/1", 1, 0, 0),
            new PharmacyRow(960, "007", "DPP", "V/1", 1, 0, 0)),
        STATS_NEW);
    String text = new String(BatchMerge.text(b, 64), java.nio.charset.StandardCharsets.UTF_8);
    assertEquals(true, text.contains("[100001,1,100001,0,\"PH-7\",0,\"007\",0]"), text);
    String json = ProtocolCodec.encode(b).encode();
    assertEquals(true, json.contains("[100001,1,100001,0]") && json.contains("[\"PH-7\",0]") && json.contains("[\"007\",0]"),
        "the JSON codec writes them alike: " + json);
    Batch back = ProtocolCodec.decodeBatch(new io.vertx.core.json.JsonObject(text));
    assertEquals(b.pharmacies(), back.pharmacies());
  }
}
