package callwatch.agent.parse;

import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.util.Locale;

/**
 * Reads the {@code ts} group of a user's own format, in the forms logging libraries write: ISO-8601
 * with an offset ({@code 2026-12-05T21:40:00.123+01:00}, {@code Z}); the same with a space for the
 * {@code T} and a comma for the dot, with or without an offset ({@code 2026-12-05 21:40:00,123}:
 * log4j's and logback's default, read in {@code zone}); the common log format's
 * {@code 05/Dec/2026:21:40:00 +0100}; epoch seconds (with a fraction) or milliseconds. A local time
 * in the hour a daylight-saving change repeats is read as its first occurrence. Pure.
 */
public final class TextTimestamp {
  public static final long INVALID = Long.MIN_VALUE;
  private static final DateTimeFormatter LOCAL_OR_OFFSET = new DateTimeFormatterBuilder()
      .appendPattern("uuuu-MM-dd")
      .appendLiteral(' ') // 'T' is turned into a space first
      .appendPattern("HH:mm:ss")
      .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true).optionalEnd()
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HHMM", "Z").optionalEnd()
      .toFormatter(Locale.ROOT).withResolverStyle(java.time.format.ResolverStyle.STRICT); // no 30 February
  private static final DateTimeFormatter COMMON_LOG = DateTimeFormatter.ofPattern("dd/MMM/uuuu:HH:mm:ss Z", Locale.ROOT)
      .withResolverStyle(java.time.format.ResolverStyle.STRICT);

  private TextTimestamp() {}

  /** Epoch milliseconds, or {@link #INVALID}. */
  public static long parse(String text, ZoneId zone) {
    String t = text.strip();
    if (t.isEmpty()) return INVALID;
    if (t.chars().allMatch(c -> c >= '0' && c <= '9' || c == '.')) return epoch(t);
    try {
      if (t.indexOf('/') > 0) return OffsetDateTime.parse(t.startsWith("[") ? t.substring(1, t.length() - 1) : t, COMMON_LOG).toInstant().toEpochMilli();
      String iso = t.replace(',', '.');
      if (iso.length() > 10 && iso.charAt(10) == 'T') iso = iso.substring(0, 10) + ' ' + iso.substring(11);
      var parsed = LOCAL_OR_OFFSET.parse(iso);
      LocalDateTime local = LocalDateTime.from(parsed);
      if (parsed.isSupported(ChronoField.OFFSET_SECONDS)) {
        return local.toInstant(java.time.ZoneOffset.ofTotalSeconds(parsed.get(ChronoField.OFFSET_SECONDS))).toEpochMilli();
      }
      return ZonedDateTime.ofLocal(local, zone, null).withEarlierOffsetAtOverlap().toInstant().toEpochMilli();
    } catch (java.time.DateTimeException | StringIndexOutOfBoundsException e) {
      return INVALID;
    }
  }

  /** 10 digits: seconds (a fraction allowed); 13: milliseconds. */
  private static long epoch(String t) {
    int dot = t.indexOf('.');
    String whole = dot < 0 ? t : t.substring(0, dot);
    if (t.indexOf('.', dot + 1) >= 0 && dot >= 0) return INVALID;
    if (whole.length() == 13 && dot < 0) return Long.parseLong(whole);
    if (whole.length() != 10) return INVALID;
    long millis = Long.parseLong(whole) * 1000;
    if (dot >= 0) {
      String fraction = (t.substring(dot + 1) + "000").substring(0, 3);
      if (t.length() == dot + 1) return INVALID;
      millis += Long.parseLong(fraction);
    }
    return millis;
  }
}
