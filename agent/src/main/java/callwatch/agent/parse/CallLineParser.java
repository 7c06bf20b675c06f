package callwatch.agent.parse;

/**
 * Reads one log line (without its line end) from {@code buf[from, to)} into {@code out}.
 * Implementations are pure and allocation-free on the happy path; one instance per thread.
 */
public interface CallLineParser {
  LineKind parse(byte[] buf, int from, int to, ParsedCall out);

  /** Why the last line came out {@link LineKind#REJECTED}, for the operator's samples. */
  String lastRejectReason();

  /** @param zone the zone of a user's format's times written without an offset */
  static CallLineParser forFormat(String format, String pattern, java.time.ZoneId zone) {
    return switch (format) {
      case "app" -> new AppLineParser();
      case "access" -> new AccessLineParser();
      case "regex" -> new RegexLineParser(pattern, zone);
      default -> throw new IllegalArgumentException("unknown format '" + format + "' (known: app, access, regex)");
    };
  }
}
