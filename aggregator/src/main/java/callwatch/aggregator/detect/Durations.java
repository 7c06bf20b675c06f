package callwatch.aggregator.detect;

/** How long something has lasted, in the words a tile or a notification uses. Pure. */
public final class Durations {
  private Durations() {}

  /** "14 s" up to two minutes, then "3 min", "2 h 5 min", "3 days 4 h": as precise as a reader needs at that length. */
  public static String words(long seconds) {
    long s = Math.max(0, seconds);
    if (s < 120) return s + " s";
    if (s < 3600) return s / 60 + " min";
    if (s < 86_400) return s / 3600 + " h" + (s % 3600 / 60 == 0 ? "" : " " + s % 3600 / 60 + " min");
    long days = s / 86_400;
    return days + (days == 1 ? " day" : " days") + (s % 86_400 / 3600 == 0 ? "" : " " + s % 86_400 / 3600 + " h");
  }
}
