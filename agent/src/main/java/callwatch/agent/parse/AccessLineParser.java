package callwatch.agent.parse;

import callwatch.common.model.Outcome;

/**
 * The {@code access} format: Apache combined plus the latency in ms at the end, the pharmacy in the
 * user field and the vendor in the user agent:
 * {@code 10.20.3.4 - 123456 [24/Nov/2026:09:14:03 +0100] "POST /dpp/register HTTP/1.1" 200 512 "-" "Corilus/4.2" 84}.
 * Service and op come from the path {@code /service/op} (service upper-cased); a path with fewer
 * than two segments (a health check) is {@link LineKind#OTHER}, and so is a line that does not
 * start like a record ({@code client ident user [time]}): a gateway's start-up message, a stack
 * trace. A record whose user field is {@code -} names no pharmacy: it is rejected, as a missing
 * {@code pharmacy=} is in the app format. The line names no host: the agent's host applies.
 */
public final class AccessLineParser implements CallLineParser {
  private final Timestamps timestamps = new Timestamps();
  private final byte[] serviceScratch = new byte[64];
  private String rejectReason = "";

  @Override
  public String lastRejectReason() {
    return rejectReason;
  }

  @Override
  public LineKind parse(byte[] b, int from, int to, ParsedCall out) {
    if (to > from && b[to - 1] == '\r') to--;
    if (from >= to || b[from] == ' ' || b[from] == '\t') return LineKind.OTHER; // blank, stack trace, continuation
    int p = skipToken(b, from, to); // client address
    p = skipToken(b, p, to);         // ident
    int userFrom = p;
    p = skipToken(b, p, to);
    int userTo = p - 1;
    // not "client ident user [time]": a gateway's own message, not a call record
    if (p >= to || b[p] != '[' || userTo <= userFrom) return LineKind.OTHER;
    int tsFrom = p + 1;
    int tsEnd = indexOf(b, tsFrom, to, (byte) ']');
    if (tsEnd < 0) return reject("unclosed [time]");
    long ts = timestamps.apache(b, tsFrom, tsEnd);
    if (ts == Timestamps.INVALID) return reject("bad timestamp");
    p = tsEnd + 1;
    if (p + 2 > to || b[p] != ' ' || b[p + 1] != '"') return reject("no request after the time");
    p += 2;
    int methodEnd = indexOf(b, p, to, (byte) ' ');
    if (methodEnd < 0) return reject("no path in the request");
    int pathFrom = methodEnd + 1;
    int pathEnd = indexOf(b, pathFrom, to, (byte) ' ');
    int quote = indexOf(b, pathFrom, to, (byte) '"');
    if (pathEnd < 0 || quote < 0 || pathEnd > quote) return reject("bad request line");
    int q = indexOf(b, pathFrom, pathEnd, (byte) '?');
    if (q >= 0) pathEnd = q;
    // /service/op
    if (b[pathFrom] != '/') return reject("path does not start with /");
    int svcFrom = pathFrom + 1;
    int svcTo = indexOf(b, svcFrom, pathEnd, (byte) '/');
    if (svcTo < 0 || svcTo == svcFrom || svcTo + 1 >= pathEnd) return LineKind.OTHER; // /health and the like
    int opFrom = svcTo + 1;
    int opTo = indexOf(b, opFrom, pathEnd, (byte) '/');
    if (opTo < 0) opTo = pathEnd;
    if (svcTo - svcFrom > serviceScratch.length) return reject("service name too long");
    if (userTo - userFrom == 1 && b[userFrom] == '-') return reject("missing pharmacy (user field '-')");
    p = quote + 1;
    // status and size
    if (p >= to || b[p] != ' ') return reject("no status after the request");
    int statusFrom = p + 1;
    int statusTo = indexOf(b, statusFrom, to, (byte) ' ');
    if (statusTo < 0) return reject("no size after the status");
    long status = AppLineParser.number(b, statusFrom, statusTo);
    if (status < 100 || status > 599) return reject("bad HTTP status");
    p = skipToken(b, statusTo + 1, to); // size
    // "referer" "user agent" latency
    int refEnd = quotedEnd(b, p, to);
    if (refEnd < 0) return reject("no quoted referer");
    int uaFrom = refEnd + 3;
    int uaEnd = quotedEnd(b, refEnd + 1, to);
    if (uaEnd < 0) return reject("no quoted user agent");
    p = uaEnd + 1;
    if (p >= to || b[p] != ' ') return reject("no latency at the end");
    int latFrom = p + 1;
    int latTo = latFrom;
    while (latTo < to && b[latTo] != ' ') latTo++;
    long ms = AppLineParser.number(b, latFrom, latTo);
    if (ms < 0) return reject("latency must be " + AppLineParser.WHOLE_MILLIS);

    for (int i = svcFrom; i < svcTo; i++) {
      byte c = b[i];
      serviceScratch[i - svcFrom] = (c >= 'a' && c <= 'z') ? (byte) (c - 32) : c;
    }
    out.buf = b;
    out.serviceBuf = serviceScratch;
    out.serviceFrom = 0;
    out.serviceTo = svcTo - svcFrom;
    out.opFrom = opFrom;
    out.opTo = opTo;
    out.pharmacyFrom = userFrom;
    out.pharmacyTo = userTo;
    out.vendorFrom = uaFrom;
    out.vendorTo = uaEnd;
    out.hostFrom = -1;
    out.epochMillis = ts;
    out.latencyMs = ms;
    int s = (int) status;
    out.codeIndex = Codes.httpCode(s);
    out.outcome = s < 400 ? Outcome.OK : s == 504 ? Outcome.TIMEOUT : Outcome.ERROR;
    return LineKind.CALL;
  }

  private LineKind reject(String reason) {
    rejectReason = reason;
    return LineKind.REJECTED;
  }

  /** Index just past the space after the token starting at {@code p} (or {@code to}). */
  private static int skipToken(byte[] b, int p, int to) {
    while (p < to && b[p] != ' ') p++;
    return Math.min(p + 1, to);
  }

  private static int indexOf(byte[] b, int from, int to, byte c) {
    for (int i = from; i < to; i++) {
      if (b[i] == c) return i;
    }
    return -1;
  }

  /** For {@code "..."} starting at {@code p} (a space before is skipped): index of the closing quote. */
  private static int quotedEnd(byte[] b, int p, int to) {
    if (p < to && b[p] == ' ') p++;
    if (p >= to || b[p] != '"') return -1;
    return indexOf(b, p + 1, to, (byte) '"');
  }
}
