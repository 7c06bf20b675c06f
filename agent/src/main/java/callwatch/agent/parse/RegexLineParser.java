package callwatch.agent.parse;

import callwatch.common.model.Outcome;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A user's own format: a regular expression with named groups {@code ts} (see {@link TextTimestamp};
 * a time without an offset is read in the file's zone),
 * {@code service}, {@code op}, {@code status} (OK/ERROR/TIMEOUT, or an HTTP status), {@code ms},
 * and optionally {@code pharmacy}, {@code vendor}, {@code code}, {@code host}. A line the
 * expression does not match is {@link LineKind#OTHER}; one it matches with unreadable values is
 * {@link LineKind#REJECTED}. Slower than the presets (it builds a String per line).
 */
public final class RegexLineParser implements CallLineParser {
  private static final String[] REQUIRED = {"ts", "service", "op", "status", "ms"};
  private final Pattern pattern;
  private final java.time.ZoneId zone;
  private final boolean hasPharmacy, hasVendor, hasCode, hasHost;
  private byte[] scratch = new byte[256];
  private String rejectReason = "";

  public RegexLineParser(String regex, java.time.ZoneId zone) {
    if (regex == null) throw new IllegalArgumentException("the regex format needs a pattern");
    this.zone = zone;
    this.pattern = Pattern.compile(regex);
    for (String g : REQUIRED) {
      if (!regex.contains("(?<" + g + ">")) throw new IllegalArgumentException("pattern lacks the named group (?<" + g + ">...)");
    }
    hasPharmacy = regex.contains("(?<pharmacy>");
    hasVendor = regex.contains("(?<vendor>");
    hasCode = regex.contains("(?<code>");
    hasHost = regex.contains("(?<host>");
  }

  @Override
  public String lastRejectReason() {
    return rejectReason;
  }

  @Override
  public LineKind parse(byte[] b, int from, int to, ParsedCall out) {
    if (to > from && b[to - 1] == '\r') to--; // a CRLF file: the pattern would match no line at all
    String line = new String(b, from, to - from, StandardCharsets.UTF_8);
    Matcher m = pattern.matcher(line);
    if (!m.matches()) return LineKind.OTHER;
    out.epochMillis = TextTimestamp.parse(m.group("ts"), zone);
    if (out.epochMillis == TextTimestamp.INVALID) {
      return reject("bad timestamp: ISO-8601 (a space for the T and a comma for the dot allowed; without an offset, in the file's zone),"
          + " dd/MMM/yyyy:HH:mm:ss +hhmm, or epoch seconds or milliseconds");
    }
    out.latencyMs = AppLineParser.number(bytes(m.group("ms")), 0, m.group("ms").length());
    if (out.latencyMs < 0) return reject("ms must be " + AppLineParser.WHOLE_MILLIS);
    String status = m.group("status");
    String code = hasCode ? m.group("code") : null;
    if (status.chars().allMatch(Character::isDigit) && !status.isEmpty()) {
      int http = Integer.parseInt(status);
      out.outcome = http < 400 ? Outcome.OK : http == 504 ? Outcome.TIMEOUT : Outcome.ERROR;
      out.codeIndex = Codes.httpCode(http);
    } else {
      byte[] sb = status.getBytes(StandardCharsets.UTF_8);
      out.outcome = AppLineParser.outcome(sb, 0, sb.length);
      if (out.outcome == null) return reject("status must be OK, ERROR, TIMEOUT or an HTTP status");
      byte[] cb = code == null ? new byte[0] : code.getBytes(StandardCharsets.UTF_8);
      out.codeIndex = Codes.appCode(cb, 0, cb.length);
    }
    // Lay the text fields out in one scratch buffer so that ParsedCall keeps its range form.
    String[] fields = {m.group("service"), m.group("op"), hasPharmacy ? m.group("pharmacy") : "-",
        hasVendor ? m.group("vendor") : "unknown", hasHost ? m.group("host") : null};
    int size = 0;
    for (String f : fields) size += f == null ? 0 : f.length() * 3;
    if (scratch.length < size) scratch = new byte[size * 2];
    int[] bounds = new int[fields.length * 2];
    int p = 0;
    for (int i = 0; i < fields.length; i++) {
      bounds[2 * i] = p;
      if (fields[i] != null) {
        byte[] fb = fields[i].getBytes(StandardCharsets.UTF_8);
        System.arraycopy(fb, 0, scratch, p, fb.length);
        p += fb.length;
      }
      bounds[2 * i + 1] = p;
    }
    out.buf = scratch;
    out.serviceBuf = scratch;
    out.serviceFrom = bounds[0]; out.serviceTo = bounds[1];
    out.opFrom = bounds[2]; out.opTo = bounds[3];
    out.pharmacyFrom = bounds[4]; out.pharmacyTo = bounds[5];
    out.vendorFrom = bounds[6]; out.vendorTo = bounds[7];
    out.hostFrom = fields[4] == null ? -1 : bounds[8];
    out.hostTo = bounds[9];
    if (out.serviceTo == out.serviceFrom || out.opTo == out.opFrom) return reject("empty service or op");
    return LineKind.CALL;
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private LineKind reject(String reason) {
    rejectReason = reason;
    return LineKind.REJECTED;
  }
}
