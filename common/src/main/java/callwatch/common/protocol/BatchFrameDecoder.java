package callwatch.common.protocol;

import callwatch.common.model.Metrics;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a well-formed batch frame straight from its text with Jackson's streaming parser, instead of
 * building a tree of boxed values first: a backlog's batches carry millions of pharmacy calls, two
 * numbers each, and the tree cost the member more than storing them. It accepts only batches that
 * {@link ProtocolCodec#decodeBatch(JsonObject)} accepts, and gives up on anything else (a field it
 * does not know or sees twice, a value out of bounds, pairs after the calls that use them...): the
 * caller then decodes the frame the checked way, which accepts it or names what is wrong. One
 * definition of a valid batch; this class only makes the common case cheap. Pure.
 */
final class BatchFrameDecoder {
  private static final JsonFactory JSON = new JsonFactory();

  /** This frame is for the checked decoder. No stack trace: it is a decision, not a fault. */
  private static final class NotFast extends RuntimeException {
    NotFast() {
      super(null, null, false, false);
    }
  }

  private final JsonParser p;
  private final String text;

  private BatchFrameDecoder(JsonParser p, String text) {
    this.p = p;
    this.text = text;
  }

  /** The batch the frame holds, or null when the checked decoder must look at it. */
  static Batch tryDecode(String text) {
    try (JsonParser p = JSON.createParser(text)) {
      return new BatchFrameDecoder(p, text).batch();
    } catch (IOException | RuntimeException e) {
      // NotFast, a protocol error the checked decoder will name, or anything unforeseen: never a refusal from here
      return null;
    }
  }

  private Batch batch() throws IOException {
    expect(p.nextToken(), JsonToken.START_OBJECT);
    Set<String> seen = new HashSet<>();
    long seq = -1, closedBefore = -1, seenUpTo = -1;
    int step = -1;
    List<SlotDelta> slots = null;
    Map<Integer, String[]> pairs = new HashMap<>();
    List<PharmacyRow> pharmacies = List.of();
    AgentStats stats = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      if (!seen.add(field)) throw new NotFast();
      JsonToken value = p.nextToken();
      switch (field) {
        case "type" -> {
          if (value != JsonToken.VALUE_STRING || !Protocol.BATCH.equals(p.getText())) throw new NotFast();
        }
        case "v" -> {
          if (whole(value, Integer.MIN_VALUE, Integer.MAX_VALUE) != Protocol.VERSION) throw new NotFast();
        }
        case "seq" -> seq = whole(value, 1, Long.MAX_VALUE);
        case "step" -> step = (int) whole(value, 1, 86400);
        case "closedBefore" -> closedBefore = whole(value, 0, Long.MAX_VALUE);
        case "seenUpTo" -> seenUpTo = whole(value, 0, Long.MAX_VALUE / 2);
        case "slots" -> slots = slots(value);
        case "pharmacyPairs" -> pairs(value, pairs);
        case "pharmacyCalls" -> {
          // the pairs come first in every agent's batch; a frame with them after goes the checked way
          if (!seen.contains("pharmacyPairs") && value != JsonToken.VALUE_NULL) throw new NotFast();
          pharmacies = calls(value, pairs);
        }
        case "stats" -> stats = stats(value);
        default -> throw new NotFast();
      }
    }
    if (p.currentToken() != JsonToken.END_OBJECT || p.nextToken() != null) throw new NotFast();
    if (!seen.contains("type") || !seen.contains("v") || seq < 0 || step < 0 || closedBefore < 0 || slots == null) throw new NotFast();
    for (SlotDelta d : slots) if (d.slot() % step != 0) throw new NotFast();
    if (!seen.contains("seenUpTo")) seenUpTo = closedBefore * 1000;
    if (stats == null) stats = ProtocolCodec.decodeStats(new JsonObject());
    return new Batch(seq, step, closedBefore, seenUpTo, slots, pharmacies, stats);
  }

  private List<SlotDelta> slots(JsonToken value) throws IOException {
    expect(value, JsonToken.START_ARRAY);
    List<SlotDelta> slots = new ArrayList<>();
    while (p.nextToken() == JsonToken.START_OBJECT) {
      long t = -1;
      List<SeriesRow> rows = null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        JsonToken v = p.nextToken();
        if ("t".equals(field) && t < 0) {
          t = whole(v, 0, Long.MAX_VALUE);
        } else if ("rows".equals(field) && rows == null) {
          rows = rows(v);
        } else {
          throw new NotFast();
        }
      }
      if (t < 0 || rows == null) throw new NotFast();
      slots.add(new SlotDelta(t, rows));
    }
    expect(p.currentToken(), JsonToken.END_ARRAY);
    return slots;
  }

  private static final String[] ROW_FIELDS = {"service", "op", "vendor", "host"};

  private List<SeriesRow> rows(JsonToken value) throws IOException {
    expect(value, JsonToken.START_ARRAY);
    List<SeriesRow> rows = new ArrayList<>();
    while (p.nextToken() == JsonToken.START_ARRAY) {
      String[] names = new String[4];
      for (int i = 0; i < 4; i++) names[i] = label(p.nextToken(), ROW_FIELDS[i]);
      expect(p.nextToken(), JsonToken.START_ARRAY);
      long[] counters = new long[Metrics.SIZE];
      for (int i = 0; i < Metrics.SIZE; i++) counters[i] = whole(p.nextToken(), 0, Bounds.MAX_COUNTER);
      expect(p.nextToken(), JsonToken.END_ARRAY);
      expect(p.nextToken(), JsonToken.END_ARRAY);
      rows.add(new SeriesRow(names[0], names[1], names[2], names[3], counters));
    }
    expect(p.currentToken(), JsonToken.END_ARRAY);
    return rows;
  }

  private void pairs(JsonToken value, Map<Integer, String[]> pairs) throws IOException {
    if (value == JsonToken.VALUE_NULL) return;
    expect(value, JsonToken.START_OBJECT);
    Set<String> ids = new HashSet<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String id = p.currentName();
      if (!ids.add(id)) throw new NotFast();
      expect(p.nextToken(), JsonToken.START_ARRAY);
      String service = string(p.nextToken());
      String vendor = string(p.nextToken());
      expect(p.nextToken(), JsonToken.END_ARRAY);
      ProtocolCodec.addPair(pairs, id, service, vendor);
    }
  }

  private List<PharmacyRow> calls(JsonToken value, Map<Integer, String[]> pairs) throws IOException {
    if (value == JsonToken.VALUE_NULL) return List.of();
    expect(value, JsonToken.START_ARRAY);
    PharmacyCallTally tally = new PharmacyCallTally(pairs);
    while (p.nextToken() == JsonToken.START_OBJECT) {
      // {"m": minute, "c": [...]} in this order, as agents write it
      expect(p.nextToken(), JsonToken.FIELD_NAME);
      if (!"m".equals(p.currentName())) throw new NotFast();
      long minute = whole(p.nextToken(), 0, Long.MAX_VALUE);
      if (minute % 60 != 0) throw new NotFast();
      tally.minute(minute);
      expect(p.nextToken(), JsonToken.FIELD_NAME);
      if (!"c".equals(p.currentName())) throw new NotFast();
      expect(p.nextToken(), JsonToken.START_ARRAY);
      JsonToken ph;
      while ((ph = p.nextToken()) != JsonToken.END_ARRAY) {
        if (ph == JsonToken.VALUE_NUMBER_INT) {
          long pharmacy = whole(ph, 0, Long.MAX_VALUE);
          tally.call(pharmacy, whole(p.nextToken(), Long.MIN_VALUE, Long.MAX_VALUE));
        } else if (ph == JsonToken.VALUE_STRING) {
          String pharmacy = p.getText();
          tally.call(pharmacy, whole(p.nextToken(), Long.MIN_VALUE, Long.MAX_VALUE));
        } else {
          throw new NotFast();
        }
      }
      expect(p.nextToken(), JsonToken.END_OBJECT);
    }
    expect(p.currentToken(), JsonToken.END_ARRAY);
    return tally.rows();
  }

  /** The agent's figures: small, so read as a tree and kept within bounds by the checked decoder. */
  private AgentStats stats(JsonToken value) throws IOException {
    expect(value, JsonToken.START_OBJECT);
    int from = (int) p.currentTokenLocation().getCharOffset();
    p.skipChildren();
    int to = (int) p.currentLocation().getCharOffset();
    if (from < 0 || to <= from || to > text.length()) throw new NotFast();
    return ProtocolCodec.decodeStats(new JsonObject(text.substring(from, to)));
  }

  private long whole(JsonToken token, long min, long max) throws IOException {
    if (token != JsonToken.VALUE_NUMBER_INT) throw new NotFast();
    JsonParser.NumberType type = p.getNumberType();
    if (type != JsonParser.NumberType.INT && type != JsonParser.NumberType.LONG) throw new NotFast();
    long n = p.getLongValue();
    if (n < min || n > max) throw new NotFast();
    return n;
  }

  private String string(JsonToken token) throws IOException {
    if (token != JsonToken.VALUE_STRING) throw new NotFast();
    return p.getText();
  }

  private String label(JsonToken token, String field) throws IOException {
    String s = string(token);
    if (s.isEmpty() || Bounds.labelProblem(field, s) != null) throw new NotFast();
    return s;
  }

  private static void expect(JsonToken token, JsonToken wanted) {
    if (token != wanted) throw new NotFast();
  }
}
