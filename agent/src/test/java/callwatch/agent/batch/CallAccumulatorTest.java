package callwatch.agent.batch;

import static org.junit.jupiter.api.Assertions.assertEquals;

import callwatch.agent.parse.AppLineParser;
import callwatch.agent.parse.LineKind;
import callwatch.agent.parse.ParsedCall;
import callwatch.common.model.Metrics;
import callwatch.common.protocol.AgentStats;
import callwatch.common.protocol.Batch;
import callwatch.common.protocol.BatchTextWriter;
import callwatch.common.protocol.PharmacyRow;
import callwatch.common.protocol.ProtocolCodec;
import callwatch.common.protocol.SeriesRow;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/** The batch an agent sends, decoded as the aggregator decodes it, holds exactly the calls added. */
class CallAccumulatorTest {
  private final AppLineParser parser = new AppLineParser();
  private final ParsedCall call = new ParsedCall();
  private final CallAccumulator acc = new CallAccumulator(10);

  private void add(String time, String service, String pharmacy, String vendor, String status, String code) {
    byte[] b = (time + " INFO [h1] call service=" + service + " op=op pharmacy=" + pharmacy + " vendor=" + vendor
        + " status=" + status + " code=" + code + " ms=30").getBytes(StandardCharsets.UTF_8);
    assertEquals(LineKind.CALL, parser.parse(b, 0, b.length, call), parser.lastRejectReason());
    acc.add(call, acc.hostId("h1"));
  }

  private Batch drain() {
    BatchTextWriter w = new BatchTextWriter(0).begin(1, 10, 0, 0);
    acc.drainInto(w);
    String text = new String(w.end(ProtocolCodec.encodeStats(new AgentStats(Map.of(), List.of())).encode()), StandardCharsets.UTF_8);
    return ProtocolCodec.decodeBatch(ProtocolCodec.parseFrame(text));
  }

  @Test
  @DisplayName("pharmacy calls arrive per minute, pharmacy, service and vendor, whatever the pharmacy's name looks like")
  void pharmacyCallsRoundTrip() {
    add("2026-11-24T09:14:03Z", "DPP", "123456", "V1", "OK", "0");
    add("2026-11-24T09:14:09Z", "DPP", "123456", "V1", "ERROR", "E401");
    add("2026-11-24T09:14:10Z", "RECIPE", "123456", "V1", "ERROR", "E500");
    add("2026-11-24T09:14:11Z", "DPP", "0042", "V1", "OK", "0");            // a leading zero stays
    add("2026-11-24T09:14:12Z", "DPP", "PH\"7\\x", "V\"2", "OK", "0");     // quotes and backslashes are escaped
    add("2026-11-24T09:14:13Z", "DPP", "1234567890", "-", "TIMEOUT", "E504"); // 10 digits: a name, not a number
    add("2026-11-24T09:15:00Z", "DPP", "123456", "V1", "OK", "0");
    add("2026-11-24T09:14:59Z", "DPP", "123456", "V1", "OK", "0");          // back to the previous minute
    Map<String, String> rows = new TreeMap<>();
    for (PharmacyRow r : drain().pharmacies()) {
      String key = r.minute() + " " + r.pharmacy() + " " + r.service() + " " + r.vendor();
      String value = r.calls() + "/" + r.errors() + "/" + r.e401();
      if (rows.put(key, value) != null) rows.put(key, "split");
    }
    long m14 = java.time.Instant.parse("2026-11-24T09:14:00Z").getEpochSecond();
    assertEquals(new TreeMap<>(Map.of(
        m14 + " 123456 DPP V1", "3/1/1",
        m14 + " 123456 RECIPE V1", "1/1/0",
        m14 + " 0042 DPP V1", "1/0/0",
        m14 + " PH\"7\\x DPP V\"2", "1/0/0",
        m14 + " 1234567890 DPP unknown", "1/1/0",
        (m14 + 60) + " 123456 DPP V1", "1/0/0")), rows);
  }

  @Test
  @DisplayName("series rows carry every call of their slot, and a drain forgets what it sent")
  void seriesRowsRoundTrip() {
    for (int i = 0; i < 25; i++) add("2026-11-24T09:14:0" + (i % 10) + "Z", "DPP", "1" + i, "V1", i % 5 == 0 ? "ERROR" : "OK", i % 5 == 0 ? "E401" : "0");
    add("2026-11-24T09:14:10Z", "DPP", "1", "V1", "OK", "0");
    Batch b = drain();
    assertEquals(2, b.slots().size());
    SeriesRow first = b.slots().get(0).rows().get(0);
    assertEquals(List.of("DPP", "op", "V1", "h1"), List.of(first.service(), first.op(), first.vendor(), first.host()));
    assertEquals(25, first.counters()[Metrics.CALLS]);
    assertEquals(5, first.counters()[Metrics.E401]);
    assertEquals(1, b.slots().get(1).rows().get(0).counters()[Metrics.CALLS]);
    Batch empty = drain();
    assertEquals(0, empty.slots().size());
    assertEquals(0, empty.pharmacies().size());
  }
}
