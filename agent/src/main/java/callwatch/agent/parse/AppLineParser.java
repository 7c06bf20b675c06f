package callwatch.agent.parse;

import callwatch.common.model.Outcome;

/**
 * The {@code app} format, one call per line:
 * {@code 2026-11-24T09:14:03.123+01:00 INFO [dpp-03] call service=DPP op=register pharmacy=123456
 * vendor=Corilus status=OK code=0 ms=84}. The key=value pairs may come in any order; unknown keys
 * are ignored. A line that does not start like a call record is {@link LineKind#OTHER}; one that
 * does but cannot be read is {@link LineKind#REJECTED}.
 */
public final class AppLineParser implements CallLineParser {
  private final Timestamps timestamps = new Timestamps();
  private String rejectReason = "";

  @Override
  public String lastRejectReason() {
    return rejectReason;
  }

  @Override
  public LineKind parse(byte[] b, int from, int to, ParsedCall out) {
    if (to > from && b[to - 1] == '\r') to--;
    if (from >= to || b[from] < '0' || b[from] > '9') {
      return LineKind.OTHER; // blank line, stack trace, continuation: not a call record
    }
    long ts = timestamps.iso(b, from, to);
    if (ts == Timestamps.INVALID) return rejectIfCall(b, from, to, "bad timestamp");
    int p = timestamps.end;
    // level
    if (p >= to || b[p] != ' ') return rejectIfCall(b, from, to, "no space after timestamp");
    p++;
    while (p < to && b[p] != ' ') p++;
    p++;
    // [host]
    if (p >= to || b[p] != '[') return rejectIfCall(b, from, to, "no [host]");
    int hostFrom = ++p;
    while (p < to && b[p] != ']') p++;
    if (p >= to || p == hostFrom) return rejectIfCall(b, from, to, "no [host]");
    int hostTo = p;
    p++;
    // the word "call" marks a call record
    if (!(p + 5 <= to && b[p] == ' ' && b[p + 1] == 'c' && b[p + 2] == 'a' && b[p + 3] == 'l' && b[p + 4] == 'l'
        && (p + 5 == to || b[p + 5] == ' '))) {
      return LineKind.OTHER;
    }
    p += 5;
    out.buf = b;
    out.hostFrom = hostFrom;
    out.hostTo = hostTo;
    out.epochMillis = ts;
    out.serviceFrom = -1;
    out.opFrom = -1;
    out.pharmacyFrom = -1;
    out.vendorFrom = -1;
    int statusFrom = -1, statusTo = -1, codeFrom = -1, codeTo = -1;
    long ms = -1;
    while (p < to) {
      while (p < to && b[p] == ' ') p++;
      if (p >= to) break;
      int keyFrom = p;
      while (p < to && b[p] != '=' && b[p] != ' ') p++;
      if (p >= to || b[p] != '=') return reject("token without '='");
      int keyLen = p - keyFrom;
      int valFrom = ++p;
      while (p < to && b[p] != ' ') p++;
      int valTo = p;
      if (valTo == valFrom) return reject("empty value for " + new String(b, keyFrom, keyLen));
      switch (b[keyFrom]) {
        case 's' -> {
          if (is(b, keyFrom, keyLen, SERVICE)) { out.serviceFrom = valFrom; out.serviceTo = valTo; }
          else if (is(b, keyFrom, keyLen, STATUS)) { statusFrom = valFrom; statusTo = valTo; }
        }
        case 'o' -> { if (is(b, keyFrom, keyLen, OP)) { out.opFrom = valFrom; out.opTo = valTo; } }
        case 'p' -> { if (is(b, keyFrom, keyLen, PHARMACY)) { out.pharmacyFrom = valFrom; out.pharmacyTo = valTo; } }
        case 'v' -> { if (is(b, keyFrom, keyLen, VENDOR)) { out.vendorFrom = valFrom; out.vendorTo = valTo; } }
        case 'c' -> { if (is(b, keyFrom, keyLen, CODE)) { codeFrom = valFrom; codeTo = valTo; } }
        case 'm' -> {
          if (is(b, keyFrom, keyLen, MS)) {
            ms = number(b, valFrom, valTo);
            if (ms < 0) return reject("ms must be " + WHOLE_MILLIS);
          }
        }
        default -> { }
      }
    }
    if (out.serviceFrom < 0) return reject("missing service");
    if (out.opFrom < 0) return reject("missing op");
    if (out.pharmacyFrom < 0) return reject("missing pharmacy");
    if (out.vendorFrom < 0) return reject("missing vendor");
    if (statusFrom < 0) return reject("missing status");
    if (codeFrom < 0) return reject("missing code");
    if (ms < 0) return reject("missing ms");
    Outcome outcome = outcome(b, statusFrom, statusTo);
    if (outcome == null) return reject("status must be OK, ERROR or TIMEOUT");
    if (!Codes.validAppCode(b, codeFrom, codeTo)) return reject("code must be 0 or E followed by 3 digits");
    out.outcome = outcome;
    out.codeIndex = Codes.appCode(b, codeFrom, codeTo);
    out.latencyMs = ms;
    out.serviceBuf = b;
    return LineKind.CALL;
  }

  private LineKind rejectIfCall(byte[] b, int from, int to, String reason) {
    return contains(b, from, to, CALL_WORD) ? reject(reason) : LineKind.OTHER;
  }

  private LineKind reject(String reason) {
    rejectReason = reason;
    return LineKind.REJECTED;
  }

  private static final byte[] CALL_WORD = " call service=".getBytes();

  static Outcome outcome(byte[] b, int from, int to) {
    int n = to - from;
    if (n == 2 && b[from] == 'O' && b[from + 1] == 'K') return Outcome.OK;
    if (is(b, from, n, ERROR)) return Outcome.ERROR;
    if (is(b, from, n, TIMEOUT)) return Outcome.TIMEOUT;
    return null;
  }

  static boolean is(byte[] b, int from, int len, byte[] word) {
    if (len != word.length) return false;
    for (int i = 0; i < len; i++) {
      if (b[from + i] != word[i]) return false;
    }
    return true;
  }

  // the words compared as bytes: a String's charAt costs index and coder checks per character
  private static final byte[] SERVICE = ascii("service"), STATUS = ascii("status"), OP = ascii("op"),
      PHARMACY = ascii("pharmacy"), VENDOR = ascii("vendor"), CODE = ascii("code"), MS = ascii("ms"),
      ERROR = ascii("ERROR"), TIMEOUT = ascii("TIMEOUT");

  private static byte[] ascii(String word) {
    return word.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
  }

  /** What {@link #number} reads, for the reasons a line is rejected. */
  static final String WHOLE_MILLIS = "a whole number of milliseconds, 0 to 999999999999";

  /** A non-negative decimal number of at most 12 digits, or -1. */
  static long number(byte[] b, int from, int to) {
    if (to <= from || to - from > 12) return -1;
    long v = 0;
    for (int i = from; i < to; i++) {
      int c = b[i] - '0';
      if (c < 0 || c > 9) return -1;
      v = v * 10 + c;
    }
    return v;
  }

  static boolean contains(byte[] b, int from, int to, byte[] needle) {
    outer:
    for (int i = from; i <= to - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (b[i + j] != needle[j]) continue outer;
      }
      return true;
    }
    return false;
  }
}
