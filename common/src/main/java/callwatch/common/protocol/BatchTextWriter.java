package callwatch.common.protocol;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Writes a batch frame (the same JSON as {@link ProtocolCodec#encode(Batch)}) straight into UTF-8
 * bytes, row by row, without building row objects or a String first. Strings arrive as ready JSON
 * literals ({@link #literal}), so an agent escapes each service, vendor or pharmacy name once, when
 * it first sees it, not once per row: a backlog batch holds tens of thousands of rows.
 *
 * <p>Call in this order: {@link #begin}; for each slot {@link #slot} and its {@link #row}s;
 * {@link #pharmacyPairs} and its {@link #pair}s; {@link #pharmacyCalls}, and for each minute
 * {@link #minute} and its {@link #call}s; {@link #end}.
 */
public final class BatchTextWriter {
  private byte[] buf;
  private int len;
  /** Whether the next slot or minute is the first of its list, and the next row the first of its group. */
  private boolean firstGroup, firstRow;

  public BatchTextWriter(int expectedBytes) {
    buf = new byte[Math.max(1024, expectedBytes)];
  }

  /** {@code s} as a JSON string literal, quotes included, in UTF-8. */
  public static byte[] literal(String s) {
    StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (ch == '"' || ch == '\\') sb.append('\\').append(ch);
      else if (ch < 0x20) sb.append(String.format("\\u%04x", (int) ch));
      else sb.append(ch);
    }
    return sb.append('"').toString().getBytes(StandardCharsets.UTF_8);
  }

  public BatchTextWriter begin(long seq, int stepSeconds, long closedBefore, long seenUpToMillis) {
    ascii("{\"type\":\"batch\",\"v\":").number(Protocol.VERSION).ascii(",\"seq\":").number(seq)
        .ascii(",\"step\":").number(stepSeconds).ascii(",\"closedBefore\":").number(closedBefore)
        .ascii(",\"seenUpTo\":").number(Math.max(0, seenUpToMillis)).ascii(",\"slots\":[");
    firstGroup = true;
    return this;
  }

  public BatchTextWriter slot(long t) {
    if (!firstGroup) ascii("]},");
    firstGroup = false;
    firstRow = true;
    return ascii("{\"t\":").number(t).ascii(",\"rows\":[");
  }

  /** One series row of the current slot: four literals and the counter vector. */
  public BatchTextWriter row(byte[] service, byte[] op, byte[] vendor, byte[] host, long[] counters) {
    comma();
    put('[').bytes(service).put(',').bytes(op).put(',').bytes(vendor).put(',').bytes(host).put(',').put('[');
    for (int k = 0; k < counters.length; k++) {
      if (k > 0) put(',');
      number(counters[k]);
    }
    return ascii("]]");
  }

  /** Starts the (service, vendor) pairs that the pharmacy calls refer to by number. */
  public BatchTextWriter pharmacyPairs() {
    if (!firstGroup) ascii("]}");
    firstRow = true;
    return ascii("],\"pharmacyPairs\":{");
  }

  public BatchTextWriter pair(int id, byte[] service, byte[] vendor) {
    comma();
    return put('"').number(id).ascii("\":[").bytes(service).put(',').bytes(vendor).put(']');
  }

  /** Starts the pharmacy calls: runs of calls of one minute, each call a pharmacy and a pair code. */
  public BatchTextWriter pharmacyCalls() {
    firstGroup = true;
    return ascii("},\"pharmacyCalls\":[");
  }

  public BatchTextWriter minute(long minute) {
    if (!firstGroup) ascii("]},");
    firstGroup = false;
    firstRow = true;
    return ascii("{\"m\":").number(minute).ascii(",\"c\":[");
  }

  /** A call of a pharmacy named by a number; {@code code} is pair * 4 + 1 if an error + 2 if E401. */
  public BatchTextWriter call(long pharmacyNumber, int code) {
    comma();
    return number(pharmacyNumber).put(',').number(code);
  }

  /** A call of a pharmacy named by a literal. */
  public BatchTextWriter call(byte[] pharmacy, int code) {
    comma();
    return bytes(pharmacy).put(',').number(code);
  }

  /** Closes the frame with the agent's figures (small, so a JsonObject is fine) and returns its bytes. */
  public byte[] end(String statsJson) {
    if (!firstGroup) ascii("]}");
    ascii("],\"stats\":").ascii(statsJson).put('}');
    return Arrays.copyOf(buf, len);
  }

  private void comma() {
    if (!firstRow) put(',');
    firstRow = false;
  }

  private BatchTextWriter ascii(String s) {
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    return bytes(b);
  }

  private BatchTextWriter bytes(byte[] b) {
    room(b.length);
    System.arraycopy(b, 0, buf, len, b.length);
    len += b.length;
    return this;
  }

  private BatchTextWriter put(char c) {
    room(1);
    buf[len++] = (byte) c;
    return this;
  }

  /** Decimal digits, written backwards into place: no String per number. */
  private BatchTextWriter number(long v) {
    room(20);
    if (v >= 0 && v < 10) { // most counts of a row
      buf[len++] = (byte) ('0' + v);
      return this;
    }
    if (v < 0) {
      if (v == Long.MIN_VALUE) return ascii(Long.toString(v));
      buf[len++] = '-';
      v = -v;
    }
    int end = len + digits(v);
    int i = end;
    while (v > Integer.MAX_VALUE) { // long division only for the high digits
      buf[--i] = (byte) ('0' + v % 10);
      v /= 10;
    }
    for (int x = (int) v; i > len; x /= 10) buf[--i] = (byte) ('0' + x % 10);
    len = end;
    return this;
  }

  private static int digits(long v) {
    int d = 1;
    for (long p = 10; d < 19 && v >= p; p *= 10) d++;
    return d;
  }

  private void room(int n) {
    if (len + n > buf.length) buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
  }
}
