package callwatch.agent.parse;

/**
 * Reads one log line (without its line end) from {@code buf[from, to)} into {@code out}.
 * Implementations are pure and allocation-free on the happy path; one instance per thread.
 */
public interface CallLineParser {
  LineKind parse(byte[] buf, int from, int to, ParsedCall out);

  /** Why the last line came out {@link LineKind#REJECTED}, for the operator's samples. */
  String lastRejectReason();

  static CallLineParser forFormat(String format, String pattern) {
    return switch (format) {
      case "app" -> new AppLineParser();
      case "access" -> new AccessLineParser();
      case "regex" -> new RegexLineParser(pattern);
      default -> throw new IllegalArgumentException("unknown format '" + format + "' (known: app, access, regex)");
    };
  }
}
