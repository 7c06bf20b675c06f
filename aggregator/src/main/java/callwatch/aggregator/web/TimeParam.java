package callwatch.aggregator.web;

/**
 * Reads the times the API takes: epoch seconds, {@code now}, or relative to now like {@code -1h},
 * {@code now-7d} (units s, m, h, d, w, M = 30 d, y = 365 d). Pure.
 */
public final class TimeParam {
  private TimeParam() {}

  /** Times past this far ahead of now are refused (nothing is there, and loops over them would be endless). */
  public static final long MAX_AHEAD_SECONDS = 366L * 86400;

  public static long parse(String name, String value, long defaultValue, long now) {
    if (value == null || value.isBlank()) return defaultValue;
    String v = value.trim();
    if (v.equals("now")) return now;
    if (v.startsWith("now")) v = v.substring(3);
    long t;
    if (v.startsWith("-") && v.length() > 2) {
      t = now - duration(name, v.substring(1));
    } else {
      try {
        t = Long.parseLong(v);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + name + "' must be epoch seconds, 'now' or like -1h/-7d, got '" + value + "'");
      }
    }
    if (t < 0 || t > now + MAX_AHEAD_SECONDS) {
      throw new IllegalArgumentException("'" + name + "' must lie between 0 (1970) and a year from now (" + (now + MAX_AHEAD_SECONDS)
          + "), got " + t);
    }
    return t;
  }

  /** A duration like {@code 1d}, {@code 1w}, {@code 90m} in seconds: a whole number ≥ 0 and one unit. */
  public static long duration(String name, String v) {
    if (!v.matches("\\d{1,18}[smhdwMy]")) {
      throw new IllegalArgumentException("'" + name + "' must be a duration like 10s, 5m, 1h, 7d"
          + " (a whole number and one unit: s, m, h, d, w, M = 30 d, y = 365 d), got '" + v + "'");
    }
    long n = Long.parseLong(v.substring(0, v.length() - 1));
    long secs = switch (v.charAt(v.length() - 1)) {
      case 's' -> 1;
      case 'm' -> 60;
      case 'h' -> 3600;
      case 'd' -> 86400;
      case 'w' -> 7 * 86400;
      case 'M' -> 30 * 86400;
      default -> 365 * 86400; // 'y', the only unit left
    };
    if (n > 100_000) throw new IllegalArgumentException("'" + name + "' is out of range: '" + v + "' (the limit is 100000 of a unit)");
    return n * secs;
  }
}
