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

  public static JsonObject hello(Hello h) {
    return hello(h.agent(), h.host(), h.version()).put("epoch", h.epoch()).put("spooled", h.spooled());
  }

  /** A hello's fields, checked; the agent id is compared with the credential by the caller. */
  public static Hello decodeHello(JsonObject o) {
    String agent = optionalString(o, "agent", "");
    String host = optionalString(o, "host", "");
    String version = optionalString(o, "version", "");
    String epoch = optionalString(o, "epoch", "");
    if (!host.isEmpty()) checkLabel("hello.host", host);
    if (version.length() > Bounds.MAX_LABEL_CHARS) throw new ProtocolException("hello.version is longer than " + Bounds.MAX_LABEL_CHARS + " characters");
    if (!epoch.matches("[A-Za-z0-9-]{0," + Bounds.MAX_EPOCH_CHARS + "}")) {
      throw new ProtocolException("hello.epoch must be up to " + Bounds.MAX_EPOCH_CHARS + " letters, digits or '-'");
    }
    long spooled = o.containsKey("spooled") ? requireWhole(o, "spooled", 0, Long.MAX_VALUE) : 0;
    return new Hello(agent, host, version, epoch, spooled);
  }

  /** The last seq of a welcome, checked (the agent must not trust a peer blindly either). */
  public static long decodeWelcomeLastSeq(JsonObject o) {
    return requireWhole(o, "lastSeq", 0, Long.MAX_VALUE);
  }

  public static long decodeAckSeq(JsonObject o) {
    return requireWhole(o, "seq", 1, Long.MAX_VALUE);
  }

  /** The aggregator's answer to hello: the last batch it has stored from this agent. */
  public static JsonObject welcome(String agentId, long lastSeq) {
    return message(Protocol.WELCOME).put("agent", agentId).put("lastSeq", lastSeq);
  }

  public static JsonObject ack(long seq, boolean duplicate) {
    return message(Protocol.ACK).put("seq", seq).put("duplicate", duplicate);
  }

  /** The batch {@code seq} (the agent's numbering) is received and waits: its ack will come later. */
  public static JsonObject waitFor(long seq, String reason) {
    return message(Protocol.WAIT).put("seq", seq).put("reason", reason);
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
      long number = PharmacyNumbers.numberOf(p.pharmacy());
      Object pharmacy = number >= 0 ? (Object) number : p.pharmacy();
      for (long i = 0; i < p.calls(); i++) {
        calls.add(pharmacy).add(p.callCode(pair, i));
      }
      minutes.add(new JsonObject().put("m", p.minute()).put("c", calls));
    }
    return message(Protocol.BATCH)
        .put("seq", b.seq())
        .put("step", b.stepSeconds())
        .put("closedBefore", b.closedBefore())
        .put("seenUpTo", b.seenUpToMillis())
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

  /** Decodes and checks a batch against the aggregator's clock {@code nowSeconds} (see {@link Bounds}). */
  public static Batch decodeBatch(JsonObject o, long nowSeconds) {
    return checkTimes(decodeBatch(o), nowSeconds);
  }

  /**
   * Decodes and checks a batch frame's text against the aggregator's clock: a well-formed batch is
   * read straight from the text ({@link BatchFrameDecoder}); anything else goes through the checked
   * decoder, which names what is wrong.
   */
  public static Batch decodeBatchFrame(String text, long nowSeconds) {
    Batch b = BatchFrameDecoder.tryDecode(text);
    if (b == null) {
      JsonObject m = parseFrame(text);
      String type = m.getString("type");
      if (Protocol.HELLO.equals(type)) throw new ProtocolException("a second hello on one connection");
      if (!Protocol.BATCH.equals(type)) throw new ProtocolException("unexpected message type '" + type + "'");
      b = decodeBatch(m);
    }
    return checkTimes(b, nowSeconds);
  }

  /**
   * Decodes and checks a batch's text without the aggregator's clock (a journal record, an agent's
   * own spooled batch): streaming when it can, the checked way otherwise, as {@link #decodeBatchFrame}.
   */
  public static Batch decodeBatchText(String text) {
    Batch b = BatchFrameDecoder.tryDecode(text);
    return b != null ? b : decodeBatch(new JsonObject(text));
  }

  /** Refuses a batch whose times lie outside {@link Bounds} of the aggregator's clock {@code nowSeconds}. */
  static Batch checkTimes(Batch b, long nowSeconds) {
    for (SlotDelta d : b.slots()) {
      String problem = Bounds.timeProblem("slot", d.slot(), nowSeconds);
      if (problem != null) throw new ProtocolException(problem);
    }
    if (b.closedBefore() > nowSeconds + Bounds.MAX_AHEAD_SECONDS) {
      throw new ProtocolException("closedBefore " + b.closedBefore() + " is more than " + Bounds.MAX_AHEAD_SECONDS
          + " s ahead of the aggregator's clock (" + nowSeconds + ")");
    }
    if (b.seenUpToMillis() / 1000 > nowSeconds + Bounds.MAX_AHEAD_SECONDS) {
      throw new ProtocolException("seenUpTo " + b.seenUpToMillis() + " is more than " + Bounds.MAX_AHEAD_SECONDS
          + " s ahead of the aggregator's clock (" + nowSeconds + ")");
    }
    for (PharmacyRow p : b.pharmacies()) {
      String problem = Bounds.timeProblem("pharmacyCalls[].m", p.minute(), nowSeconds);
      if (problem != null) throw new ProtocolException(problem);
    }
    return b;
  }

  /** Decodes and checks the shape and values of a batch (not its times: see {@link #decodeBatch(JsonObject, long)}). */
  public static Batch decodeBatch(JsonObject o) {
    long seq = requireWhole(o, "seq", 1, Long.MAX_VALUE);
    int step = (int) requireWhole(o, "step", 1, 86400);
    long closedBefore = requireWhole(o, "closedBefore", 0, Long.MAX_VALUE);
    long seenUpTo = o.containsKey("seenUpTo") ? requireWhole(o, "seenUpTo", 0, Long.MAX_VALUE / 2) : closedBefore * 1000;
    List<SlotDelta> slots = new ArrayList<>();
    for (Object so : requireArray(o, "slots")) {
      if (!(so instanceof JsonObject s)) throw new ProtocolException("slots[] must hold objects");
      long t = requireWhole(s, "t", 0, Long.MAX_VALUE);
      if (t % step != 0) throw new ProtocolException("slot " + t + " is not aligned on step " + step);
      List<SeriesRow> rows = new ArrayList<>();
      for (Object ro : requireArray(s, "rows")) rows.add(decodeRow(ro));
      slots.add(new SlotDelta(t, rows));
    }
    List<PharmacyRow> pharmacies = decodePharmacyCalls(o);
    Object stats = o.getValue("stats");
    if (stats != null && !(stats instanceof JsonObject)) throw new ProtocolException("field 'stats' must be an object");
    return new Batch(seq, step, closedBefore, seenUpTo, slots, pharmacies, decodeStats(stats == null ? new JsonObject() : (JsonObject) stats));
  }

  /**
   * The pharmacy calls of a batch, added up per (minute, pharmacy, service, vendor). A call is a
   * pharmacy (a number or a string) and a code: the index of its (service, vendor) pair times 4,
   * plus 1 if it failed and 2 if it failed with E401.
   */
  private static List<PharmacyRow> decodePharmacyCalls(JsonObject o) {
    Map<Integer, String[]> pairs = new HashMap<>();
    Object pairsValue = o.getValue("pharmacyPairs");
    if (pairsValue != null && !(pairsValue instanceof JsonObject)) throw new ProtocolException("field 'pharmacyPairs' must be an object");
    JsonObject po = pairsValue == null ? new JsonObject() : (JsonObject) pairsValue;
    for (String id : po.fieldNames()) {
      if (!(po.getValue(id) instanceof JsonArray p) || p.size() != 2 || !(p.getValue(0) instanceof String svc)
          || !(p.getValue(1) instanceof String vendor)) {
        throw new ProtocolException("pharmacyPairs." + id + " must be [service, vendor]");
      }
      addPair(pairs, id, svc, vendor);
    }
    Object callsValue = o.getValue("pharmacyCalls");
    if (callsValue != null && !(callsValue instanceof JsonArray)) throw new ProtocolException("field 'pharmacyCalls' must be an array");
    // one entry per call: the loop works on the raw list (no wrapping per element)
    PharmacyCallTally tally = new PharmacyCallTally(pairs);
    for (Object mo : callsValue == null ? new JsonArray() : (JsonArray) callsValue) {
      if (!(mo instanceof JsonObject m) || !(m.getValue("c") instanceof JsonArray ca) || ca.size() % 2 != 0) {
        throw new ProtocolException("pharmacyCalls[] must be {m: minute, c: [pharmacy, code, ...]}");
      }
      long minute = requireWhole(m, "m", 0, Long.MAX_VALUE);
      if (minute % 60 != 0) throw new ProtocolException("pharmacyCalls[].m " + minute + " is not the start of a minute");
      tally.minute(minute);
      List<?> c = ca.getList();
      for (int i = 0; i < c.size(); i += 2) {
        Object ph = c.get(i);
        Object codeObject = c.get(i + 1);
        boolean number = !(ph instanceof String) && isWhole(ph) && ((Number) ph).longValue() >= 0;
        if (!(ph instanceof String) && !number || !isWhole(codeObject)) {
          throw new ProtocolException("pharmacyCalls[].c must alternate a pharmacy (a string or a whole number) and a whole number");
        }
        long code = ((Number) codeObject).longValue();
        if (number) tally.call(((Number) ph).longValue(), code);
        else tally.call((String) ph, code);
      }
    }
    return tally.rows();
  }

  /** One (service, vendor) pair of a batch's pharmacy calls, checked. */
  static void addPair(Map<Integer, String[]> pairs, String id, String service, String vendor) {
    checkLabel("pharmacyPairs service", service);
    checkLabel("pharmacyPairs vendor", vendor);
    try {
      pairs.put(Integer.parseInt(id), new String[] {service, vendor});
    } catch (NumberFormatException e) {
      throw new ProtocolException("pharmacyPairs key '" + id + "' is not a number");
    }
  }

  private static SeriesRow decodeRow(Object ro) {
    if (!(ro instanceof JsonArray r) || r.size() != 5) throw new ProtocolException("rows[] must be arrays of 5");
    for (int i = 0; i < 4; i++) {
      if (!(r.getValue(i) instanceof String s) || s.isEmpty()) throw new ProtocolException("rows[] field " + i + " must be a non-empty string");
      checkLabel(ROW_FIELDS[i], s);
    }
    if (!(r.getValue(4) instanceof JsonArray c) || c.size() != Metrics.SIZE) {
      throw new ProtocolException("rows[] counters must be an array of " + Metrics.SIZE + " numbers");
    }
    long[] counters = new long[Metrics.SIZE];
    for (int i = 0; i < Metrics.SIZE; i++) {
      Object n = c.getValue(i);
      if (!isWhole(n) || ((Number) n).longValue() < 0 || ((Number) n).longValue() > Bounds.MAX_COUNTER) {
        throw new ProtocolException("rows[] counter " + Metrics.NAMES.get(i) + " must be a whole number from 0 to "
            + Bounds.MAX_COUNTER + ", got " + n);
      }
      counters[i] = ((Number) n).longValue();
    }
    return new SeriesRow(r.getString(0), r.getString(1), r.getString(2), r.getString(3), counters);
  }

  /**
   * The agent's figures, kept within {@link Bounds}: past a limit the extra counters, files and
   * samples are dropped and long texts cut (they are shown, never computed with).
   */
  public static AgentStats decodeStats(JsonObject o) {
    Map<String, Long> counters = new LinkedHashMap<>();
    JsonObject c = o.getValue("counters") instanceof JsonObject j ? j : new JsonObject();
    for (String k : c.fieldNames()) {
      if (counters.size() >= Bounds.MAX_STATS_COUNTERS) break;
      if (k.length() <= Bounds.MAX_LABEL_CHARS && isWhole(c.getValue(k))) counters.put(k, ((Number) c.getValue(k)).longValue());
    }
    List<FileStatus> files = new ArrayList<>();
    JsonArray fa = o.getValue("files") instanceof JsonArray a ? a : new JsonArray();
    for (Object fo : fa) {
      if (files.size() >= Bounds.MAX_STATS_FILES) break;
      if (fo instanceof JsonObject f) {
        List<String> samples = new ArrayList<>();
        JsonArray sa = f.getValue("samples") instanceof JsonArray a ? a : new JsonArray();
        for (Object s : sa) {
          if (samples.size() >= Bounds.MAX_SAMPLES_PER_FILE) break;
          samples.add(cut(String.valueOf(s), Bounds.MAX_SAMPLE_CHARS));
        }
        String path = f.getValue("path") instanceof String p ? cut(p, Bounds.MAX_PATH_CHARS) : "?";
        long lag = isWhole(f.getValue("lagBytes")) ? ((Number) f.getValue("lagBytes")).longValue() : 0;
        long rejected = isWhole(f.getValue("rejected")) ? ((Number) f.getValue("rejected")).longValue() : 0;
        files.add(new FileStatus(path, lag, rejected, samples));
      }
    }
    return new AgentStats(counters, files);
  }

  private static String cut(String s, int max) {
    return s.length() <= max ? s : s.substring(0, max);
  }

  private static final String[] ROW_FIELDS = {"service", "op", "vendor", "host"};

  private static void checkLabel(String field, String value) {
    String problem = Bounds.labelProblem(field, value);
    if (problem != null) throw new ProtocolException(problem);
  }

  /** A JSON whole number that fits a long (not 3.7, not 1e300, not 2^64 + 5). */
  static boolean isWhole(Object v) {
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) return true;
    return v instanceof java.math.BigInteger b && b.bitLength() < 64;
  }

  static long requireWhole(JsonObject o, String key, long min, long max) {
    Object v = o.getValue(key);
    if (!isWhole(v)) throw new ProtocolException("field '" + key + "' must be a whole number, got " + v);
    long n = ((Number) v).longValue();
    if (n < min || n > max) throw new ProtocolException("field '" + key + "' must be from " + min + " to " + max + ", got " + n);
    return n;
  }

  private static String optionalString(JsonObject o, String key, String dflt) {
    Object v = o.getValue(key);
    if (v == null) return dflt;
    if (!(v instanceof String s)) throw new ProtocolException("field '" + key + "' must be a string");
    return s;
  }

  static JsonArray requireArray(JsonObject o, String key) {
    if (!(o.getValue(key) instanceof JsonArray a)) throw new ProtocolException("field '" + key + "' must be an array");
    return a;
  }
}
