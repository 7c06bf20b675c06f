package callwatch.agent.parse;

import callwatch.common.model.Metrics;
import callwatch.common.model.Outcome;
import callwatch.common.protocol.Bounds;

/**
 * One parsed call, filled in place by a {@link CallLineParser} so that parsing allocates nothing:
 * the text fields are ranges of the parser's input buffer, valid until the next line is parsed.
 */
public final class ParsedCall {
  public long epochMillis;
  public Outcome outcome;
  /** Index into {@link Metrics} of the error code's counter, or -1 for no counted code. */
  public int codeIndex;
  public long latencyMs;
  public byte[] buf;
  /** Where the service name's bytes are: the input buffer, or a scratch copy when the parser rewrote it. */
  public byte[] serviceBuf;
  public int serviceFrom, serviceTo;
  public int opFrom, opTo;
  public int pharmacyFrom, pharmacyTo;
  public int vendorFrom, vendorTo;
  /** host range; hostFrom == -1 means the line names no host and the agent's host applies. */
  public int hostFrom, hostTo;

  public String service() { return new String(serviceBuf, serviceFrom, serviceTo - serviceFrom, java.nio.charset.StandardCharsets.UTF_8); }
  public String op() { return text(opFrom, opTo); }
  public String pharmacy() { return text(pharmacyFrom, pharmacyTo); }
  public String vendor() { return text(vendorFrom, vendorTo); }
  public String host() { return hostFrom < 0 ? null : text(hostFrom, hostTo); }

  /**
   * Why a name of this call breaks the protocol's rules for labels ({@link Bounds#labelProblem}),
   * or null. Printable ASCII up to the length limit (nearly every line) is checked byte by byte
   * without decoding anything.
   */
  public String labelProblem() {
    String p = labelProblem("service", serviceBuf, serviceFrom, serviceTo);
    if (p == null) p = labelProblem("op", buf, opFrom, opTo);
    if (p == null) p = labelProblem("pharmacy", buf, pharmacyFrom, pharmacyTo);
    if (p == null) p = labelProblem("vendor", buf, vendorFrom, vendorTo);
    if (p == null && hostFrom >= 0) p = labelProblem("host", buf, hostFrom, hostTo);
    return p;
  }

  private static String labelProblem(String field, byte[] b, int from, int to) {
    if (to <= from) return null;
    if (to - from <= Bounds.MAX_LABEL_CHARS) {
      boolean printableAscii = true;
      for (int i = from; i < to && printableAscii; i++) printableAscii = b[i] >= 0x20 && b[i] < 0x7f;
      if (printableAscii) return null;
    }
    return Bounds.labelProblem(field, new String(b, from, to - from, java.nio.charset.StandardCharsets.UTF_8));
  }

  private String text(int from, int to) {
    return new String(buf, from, to - from, java.nio.charset.StandardCharsets.UTF_8);
  }
}
