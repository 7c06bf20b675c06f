package callwatch.agent.parse;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Allocation-free timestamp readers for the two log formats. Each instance caches the epoch day of
 * the last date it saw, since consecutive lines nearly always share it. Not thread-safe.
 */
final class Timestamps {
  static final long INVALID = Long.MIN_VALUE;
  private static final byte[][] MONTHS = {
      "Jan".getBytes(), "Feb".getBytes(), "Mar".getBytes(), "Apr".getBytes(), "May".getBytes(), "Jun".getBytes(),
      "Jul".getBytes(), "Aug".getBytes(), "Sep".getBytes(), "Oct".getBytes(), "Nov".getBytes(), "Dec".getBytes()};

  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private int cachedDateKey = -1;
  /** The first 16 bytes of the last valid ISO timestamp (up to the minute; -1: none yet) and that minute's local epoch seconds. */
  private long cachedPrefixA = -1, cachedPrefixB = -1, cachedLocalMinute;
  private long cachedEpochDay;
  /** Index just after the last timestamp read. */
  int end;

  /** ISO-8601 {@code 2026-11-24T09:14:03.123+01:00} (fraction optional, offset Z, ±HH:MM or ±HHMM). */
  long iso(byte[] b, int p, int to) {
    if (to - p < 20) return INVALID;
    long prefixA = (long) LONGS.get(b, p), prefixB = (long) LONGS.get(b, p + 8);
    int s = digits(b, p + 17, 2);
    if (s < 0 || b[p + 16] != ':') return INVALID;
    long localMinute;
    if (prefixA == cachedPrefixA && prefixB == cachedPrefixB && cachedPrefixA != -1) {
      localMinute = cachedLocalMinute; // "2026-11-24T09:14" as the line before: most lines of a busy log
    } else {
      int y = digits(b, p, 4), mo = digits(b, p + 5, 2), d = digits(b, p + 8, 2);
      int h = digits(b, p + 11, 2), mi = digits(b, p + 14, 2);
      if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0) return INVALID;
      if (b[p + 4] != '-' || b[p + 7] != '-' || b[p + 10] != 'T' || b[p + 13] != ':') return INVALID;
      localMinute = localMinute(y, mo, d, h, mi);
      if (localMinute == INVALID) return INVALID;
      cachedPrefixA = prefixA;
      cachedPrefixB = prefixB;
      cachedLocalMinute = localMinute;
    }
    int q = p + 19;
    long millis = 0;
    if (q < to && (b[q] == '.' || b[q] == ',')) {
      q++;
      int n = 0;
      while (q < to && b[q] >= '0' && b[q] <= '9') {
        if (n < 3) millis = millis * 10 + (b[q] - '0');
        n++;
        q++;
      }
      if (n == 0) return INVALID;
      for (int k = n; k < 3; k++) millis *= 10;
    }
    int offsetSeconds;
    if (q < to && b[q] == 'Z') {
      offsetSeconds = 0;
      q++;
    } else {
      offsetSeconds = offset(b, q, to);
      if (offsetSeconds == Integer.MIN_VALUE) return INVALID;
      q = end;
    }
    end = q;
    if (s > 60) return INVALID;
    return (localMinute + Math.min(s, 59) - offsetSeconds) * 1000L + millis;
  }

  /** Apache's {@code 24/Nov/2026:09:14:03 +0100} (without the brackets). */
  long apache(byte[] b, int p, int to) {
    if (to - p < 26) return INVALID;
    int d = digits(b, p, 2), y = digits(b, p + 7, 4);
    int h = digits(b, p + 12, 2), mi = digits(b, p + 15, 2), s = digits(b, p + 18, 2);
    if (d < 0 || y < 0 || h < 0 || mi < 0 || s < 0) return INVALID;
    if (b[p + 2] != '/' || b[p + 6] != '/' || b[p + 11] != ':' || b[p + 14] != ':' || b[p + 17] != ':' || b[p + 20] != ' ') {
      return INVALID;
    }
    int mo = month(b, p + 3);
    if (mo < 0) return INVALID;
    int offsetSeconds = offset(b, p + 21, to);
    if (offsetSeconds == Integer.MIN_VALUE) return INVALID;
    return toEpochMillis(y, mo, d, h, mi, s, 0, offsetSeconds);
  }

  private long toEpochMillis(int y, int mo, int d, int h, int mi, int s, long millis, int offsetSeconds) {
    long localMinute = localMinute(y, mo, d, h, mi);
    if (localMinute == INVALID || s > 60) return INVALID;
    return (localMinute + Math.min(s, 59) - offsetSeconds) * 1000L + millis;
  }

  /** Seconds from the epoch to the start of that minute, read as UTC; INVALID for no such date. */
  private long localMinute(int y, int mo, int d, int h, int mi) {
    if (h > 23 || mi > 59) return INVALID;
    int key = (y * 100 + mo) * 100 + d;
    if (key != cachedDateKey) {
      try {
        cachedEpochDay = LocalDate.of(y, mo, d).toEpochDay();
      } catch (DateTimeException e) {
        return INVALID;
      }
      cachedDateKey = key;
    }
    return cachedEpochDay * 86_400L + h * 3600L + mi * 60L;
  }

  /** Reads ±HH:MM or ±HHMM at {@code q}; sets {@link #end}; MIN_VALUE if there is none. */
  private int offset(byte[] b, int q, int to) {
    if (q >= to || (b[q] != '+' && b[q] != '-')) return Integer.MIN_VALUE;
    int sign = b[q] == '-' ? -1 : 1;
    int oh = digits(b, q + 1, 2);
    if (oh < 0 || q + 3 > to) return Integer.MIN_VALUE;
    int r = q + 3;
    if (r < to && b[r] == ':') r++;
    int om = digits(b, r, 2);
    if (om < 0 || r + 2 > to || oh > 18 || om > 59) return Integer.MIN_VALUE;
    end = r + 2;
    return sign * (oh * 3600 + om * 60);
  }

  private static int month(byte[] b, int p) {
    for (int i = 0; i < 12; i++) {
      byte[] m = MONTHS[i];
      if (b[p] == m[0] && b[p + 1] == m[1] && b[p + 2] == m[2]) return i + 1;
    }
    return -1;
  }

  /** Reads {@code n} decimal digits at {@code p}; -1 if any is not a digit or the line ends. */
  static int digits(byte[] b, int p, int n) {
    if (p + n > b.length) return -1;
    int v = 0;
    for (int i = p; i < p + n; i++) {
      int c = b[i] - '0';
      if (c < 0 || c > 9) return -1;
      v = v * 10 + c;
    }
    return v;
  }
}
