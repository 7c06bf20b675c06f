package callwatch.common.protocol;

import callwatch.common.model.Metrics;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns protocol messages into JSON text frames and back. Decoding checks every field and throws a
 * {@link ProtocolException} that names the bad one, so the aggregator can refuse with a reason.
 */
public final class ProtocolCodec {
  private ProtocolCodec() {}

  public static JsonObject hello(String agentId, String host, String agentVersion) {
    return message(Protocol.HELLO).put("agent", agentId).put("host", host).put("version", agentVersion);
  }

  /** The aggregator's answer to hello: the last batch it has stored from this agent. */
  public static JsonObject welcome(String agentId, long lastSeq) {
    return message(Protocol.WELCOME).put("agent", agentId).put("lastSeq", lastSeq);
  }

  public static JsonObject ack(long seq, boolean duplicate) {
    return message(Protocol.ACK).put("seq", seq).put("duplicate", duplicate);
  }

  public static JsonObject error(String reason) {
    return message(Protocol.ERROR).put("reason", reason);
  }

  private static JsonObject message(String type) {
    return new JsonObject().put("type", type).put("v", Protocol.VERSION);
  }

  public static JsonObject encode(Batch b) {
    JsonArray slots = new JsonArray();
    for (SlotDelta s : b.slots()) {
      JsonArray rows = new JsonArray();
      for (SeriesRow r : s.rows()) {
        JsonArray c = new JsonArray(new ArrayList<>(Metrics.SIZE));
        for (long v : r.counters()) c.add(v);
        rows.add(new JsonArray().add(r.service()).add(r.op()).add(r.vendor()).add(r.host()).add(c));
      }
      slots.add(new JsonObject().put("t", s.slot()).put("rows", rows));
    }
    // each row becomes its calls: `calls` records, the first e401 of them E401 errors, then the other errors
    Map<String, Integer> pairIds = new LinkedHashMap<>();
    JsonObject pairs = new JsonObject();
    JsonArray minutes = new JsonArray();
    for (PharmacyRow p : b.pharmacies()) {
      int pair = pairIds.computeIfAbsent(p.service() + "\n" + p.vendor(), k -> pairIds.size());
      pairs.put(String.valueOf(pair), new JsonArray().add(p.service()).add(p.vendor()));
      JsonArray calls = new JsonArray();
      for (long i = 0; i < p.calls(); i++) {
        calls.add(p.pharmacy()).add(pair * 4 + (i < p.errors() ? 1 : 0) + (i < p.e401() ? 2 : 0));
      }
      minutes.add(new JsonObject().put("m", p.minute()).put("c", calls));
    }
    return message(Protocol.BATCH)
        .put("seq", b.seq())
        .put("step", b.stepSeconds())
        .put("closedBefore", b.closedBefore())
        .put("slots", slots)
        .put("pharmacyPairs", pairs)
        .put("pharmacyCalls", minutes)
        .put("stats", encodeStats(b.stats()));
  }

  public static JsonObject encodeStats(AgentStats s) {
    JsonObject counters = new JsonObject();
    s.counters().forEach(counters::put);
    JsonArray files = new JsonArray();
    for (FileStatus f : s.files()) {
      files.add(new JsonObject().put("path", f.path()).put("lagBytes", f.lagBytes())
          .put("rejected", f.rejected()).put("samples", new JsonArray(new ArrayList<>(f.rejectedSamples()))));
    }
    return new JsonObject().put("counters", counters).put("files", files);
  }

  /** Parses a text frame; a frame that is not a JSON object of a known type is a protocol error. */
  public static JsonObject parseFrame(String text) {
    JsonObject o;
    try {
      o = new JsonObject(text);
    } catch (DecodeException | ClassCastException e) {
      throw new ProtocolException("frame is not a JSON object");
    }
    String type = o.getValue("type") instanceof String t ? t : null;
    if (type == null) throw new ProtocolException("message has no type");
    Object v = o.getValue("v");
    if (!(v instanceof Number n) || n.intValue() != Protocol.VERSION) {
      throw new ProtocolException("unsupported protocol version " + v + ", this side speaks " + Protocol.VERSION);
    }
    return o;
  }

  public static Batch decodeBatch(JsonObject o) {
    long seq = requireLong(o, "seq");
    if (seq <= 0) throw new ProtocolException("seq must be > 0, got " + seq);
    int step = (int) requireLong(o, "step");
    long closedBefore = requireLong(o, "closedBefore");
    List<SlotDelta> slots = new ArrayList<>();
    for (Object so : requireArray(o, "slots")) {
      if (!(so instanceof JsonObject s)) throw new ProtocolException("slots[] must hold objects");
      long t = requireLong(s, "t");
      if (t % step != 0) throw new ProtocolException("slot " + t + " is not aligned on step " + step);
      List<SeriesRow> rows = new ArrayList<>();
      for (Object ro : requireArray(s, "rows")) rows.add(decodeRow(ro));
      slots.add(new SlotDelta(t, rows));
    }
    List<PharmacyRow> pharmacies = decodePharmacyCalls(o);
    return new Batch(seq, step, closedBefore, slots, pharmacies, decodeStats(o.getJsonObject("stats", new JsonObject())));
  }

  /**
   * The pharmacy calls of a batch, added up per (minute, pharmacy, service, vendor). A call is a
   * pharmacy (a number or a string) and a code: the index of its (service, vendor) pair times 4,
   * plus 1 if it failed and 2 if it failed with E401.
   */
  private static List<PharmacyRow> decodePharmacyCalls(JsonObject o) {
    Map<Integer, String[]> pairs = new HashMap<>();
    JsonObject po = o.getValue("pharmacyPairs") instanceof JsonObject j ? j : new JsonObject();
    for (String id : po.fieldNames()) {
      if (!(po.getValue(id) instanceof JsonArray p) || p.size() != 2 || !(p.getValue(0) instanceof String svc)
          || !(p.getValue(1) instanceof String vendor)) {
        throw new ProtocolException("pharmacyPairs." + id + " must be [service, vendor]");
      }
      try {
        pairs.put(Integer.parseInt(id), new String[] {svc, vendor});
      } catch (NumberFormatException e) {
        throw new ProtocolException("pharmacyPairs key '" + id + "' is not a number");
      }
    }
    Map<String, Tally> tallies = new LinkedHashMap<>();
    for (Object mo : o.getJsonArray("pharmacyCalls", new JsonArray())) {
      if (!(mo instanceof JsonObject m) || !(m.getValue("m") instanceof Number minute) || !(m.getValue("c") instanceof JsonArray c)
          || c.size() % 2 != 0) {
        throw new ProtocolException("pharmacyCalls[] must be {m: minute, c: [pharmacy, code, ...]}");
      }
      for (int i = 0; i < c.size(); i += 2) {
        Object ph = c.getValue(i);
        String pharmacy = ph instanceof String str ? str : ph instanceof Number n ? Long.toString(n.longValue()) : null;
        if (pharmacy == null || !(c.getValue(i + 1) instanceof Number codeNumber)) {
          throw new ProtocolException("pharmacyCalls[].c must alternate a pharmacy and a number");
        }
        int code = codeNumber.intValue();
        String[] pair = code < 0 ? null : pairs.get(code >>> 2);
        if (pair == null) throw new ProtocolException("pharmacy call code " + code + " names no pair");
        Tally t = tallies.computeIfAbsent(minute.longValue() + "\n" + pharmacy + "\n" + pair[0] + "\n" + pair[1],
            k -> new Tally(minute.longValue(), pharmacy, pair[0], pair[1]));
        t.calls++;
        if ((code & 1) != 0) t.errors++;
        if ((code & 2) != 0) t.e401++;
      }
    }
    List<PharmacyRow> rows = new ArrayList<>(tallies.size());
    for (Tally t : tallies.values()) rows.add(new PharmacyRow(t.minute, t.pharmacy, t.service, t.vendor, t.calls, t.errors, t.e401));
    return rows;
  }

  /** Calls of one (minute, pharmacy, service, vendor) while a batch is decoded. */
  private static final class Tally {
    final long minute;
    final String pharmacy, service, vendor;
    long calls, errors, e401;

    Tally(long minute, String pharmacy, String service, String vendor) {
      this.minute = minute;
      this.pharmacy = pharmacy;
      this.service = service;
      this.vendor = vendor;
    }
  }

  private static SeriesRow decodeRow(Object ro) {
    if (!(ro instanceof JsonArray r) || r.size() != 5) throw new ProtocolException("rows[] must be arrays of 5");
    for (int i = 0; i < 4; i++) {
      if (!(r.getValue(i) instanceof String s) || s.isEmpty()) throw new ProtocolException("rows[] field " + i + " must be a non-empty string");
    }
    if (!(r.getValue(4) instanceof JsonArray c) || c.size() != Metrics.SIZE) {
      throw new ProtocolException("rows[] counters must be an array of " + Metrics.SIZE + " numbers");
    }
    long[] counters = new long[Metrics.SIZE];
    for (int i = 0; i < Metrics.SIZE; i++) {
      if (!(c.getValue(i) instanceof Number n)) throw new ProtocolException("rows[] counter " + i + " is not a number");
      counters[i] = n.longValue();
      if (counters[i] < 0) throw new ProtocolException("rows[] counter " + i + " is negative");
    }
    return new SeriesRow(r.getString(0), r.getString(1), r.getString(2), r.getString(3), counters);
  }

  public static AgentStats decodeStats(JsonObject o) {
    Map<String, Long> counters = new LinkedHashMap<>();
    JsonObject c = o.getJsonObject("counters", new JsonObject());
    for (String k : c.fieldNames()) {
      if (c.getValue(k) instanceof Number n) counters.put(k, n.longValue());
    }
    List<FileStatus> files = new ArrayList<>();
    for (Object fo : o.getJsonArray("files", new JsonArray())) {
      if (fo instanceof JsonObject f) {
        List<String> samples = new ArrayList<>();
        for (Object s : f.getJsonArray("samples", new JsonArray())) samples.add(String.valueOf(s));
        files.add(new FileStatus(f.getString("path", "?"), f.getLong("lagBytes", 0L), f.getLong("rejected", 0L), samples));
      }
    }
    return new AgentStats(counters, files);
  }

  static long requireLong(JsonObject o, String key) {
    if (!(o.getValue(key) instanceof Number n)) throw new ProtocolException("field '" + key + "' must be a number");
    return n.longValue();
  }

  static JsonArray requireArray(JsonObject o, String key) {
    if (!(o.getValue(key) instanceof JsonArray a)) throw new ProtocolException("field '" + key + "' must be an array");
    return a;
  }
}
