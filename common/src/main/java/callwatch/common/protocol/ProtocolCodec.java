package callwatch.common.protocol;

import callwatch.common.model.Metrics;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
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

  /**
   * The batch as JSON text, written straight into a StringBuilder: the agent cuts large batches
   * when it catches up a backlog, and building a JsonObject tree first doubles the work.
   */
  public static String encodeText(Batch b) {
    int rows = 0;
    for (SlotDelta s : b.slots()) rows += s.rows().size();
    StringBuilder sb = new StringBuilder(1024 + rows * 200 + b.pharmacies().size() * 64);
    sb.append("{\"type\":\"batch\",\"v\":").append(Protocol.VERSION).append(",\"seq\":").append(b.seq())
        .append(",\"step\":").append(b.stepSeconds()).append(",\"closedBefore\":").append(b.closedBefore()).append(",\"slots\":[");
    for (int i = 0; i < b.slots().size(); i++) {
      SlotDelta s = b.slots().get(i);
      if (i > 0) sb.append(',');
      sb.append("{\"t\":").append(s.slot()).append(",\"rows\":[");
      for (int j = 0; j < s.rows().size(); j++) {
        SeriesRow r = s.rows().get(j);
        if (j > 0) sb.append(',');
        sb.append('[');
        str(sb, r.service()).append(',');
        str(sb, r.op()).append(',');
        str(sb, r.vendor()).append(',');
        str(sb, r.host()).append(",[");
        long[] c = r.counters();
        for (int k = 0; k < c.length; k++) {
          if (k > 0) sb.append(',');
          sb.append(c[k]);
        }
        sb.append("]]");
      }
      sb.append("]}");
    }
    sb.append("],\"pharmacies\":[");
    for (int i = 0; i < b.pharmacies().size(); i++) {
      PharmacyRow p = b.pharmacies().get(i);
      if (i > 0) sb.append(',');
      sb.append('[').append(p.minute()).append(',');
      str(sb, p.pharmacy()).append(',');
      str(sb, p.service()).append(',');
      str(sb, p.vendor()).append(',').append(p.calls()).append(',').append(p.errors()).append(',').append(p.e401()).append(']');
    }
    sb.append("],\"stats\":").append(encodeStats(b.stats()).encode()).append('}');
    return sb.toString();
  }

  /** Appends a JSON string literal, escaping what JSON requires. */
  private static StringBuilder str(StringBuilder sb, String s) {
    if (plain(s)) return sb.append('"').append(s).append('"'); // the usual case, copied in bulk
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
      else if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
      else sb.append(ch);
    }
    return sb.append('"');
  }

  private static boolean plain(String s) {
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '"' || ch == '\\' || ch < 0x20) return false;
    }
    return true;
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
    JsonArray pharmacies = new JsonArray();
    for (PharmacyRow p : b.pharmacies()) {
      pharmacies.add(new JsonArray().add(p.minute()).add(p.pharmacy()).add(p.service()).add(p.vendor())
          .add(p.calls()).add(p.errors()).add(p.e401()));
    }
    return message(Protocol.BATCH)
        .put("seq", b.seq())
        .put("step", b.stepSeconds())
        .put("closedBefore", b.closedBefore())
        .put("slots", slots)
        .put("pharmacies", pharmacies)
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
    List<PharmacyRow> pharmacies = new ArrayList<>();
    JsonArray pa = o.getJsonArray("pharmacies", new JsonArray());
    for (Object po : pa) {
      if (!(po instanceof JsonArray p) || p.size() != 7) throw new ProtocolException("pharmacies[] must be arrays of 7");
      try {
        pharmacies.add(new PharmacyRow(p.getLong(0), p.getString(1), p.getString(2), p.getString(3),
            p.getLong(4), p.getLong(5), p.getLong(6)));
      } catch (ClassCastException | NullPointerException e) {
        throw new ProtocolException("pharmacies[] has a field of the wrong type");
      }
    }
    return new Batch(seq, step, closedBefore, slots, pharmacies, decodeStats(o.getJsonObject("stats", new JsonObject())));
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
