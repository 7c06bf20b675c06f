package callwatch.aggregator.status;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * A service's uptime per day from its recorded states: each state counts as down by its weight
 * ({@link PublicState#downWeight}); maintenance and the time before anything was recorded are left
 * out. Pure.
 */
public final class Uptime {
  /** A recorded change: from {@code at} (epoch seconds) the service was in {@code state}. */
  public record Change(long at, PublicState state) {}

  /** One day: its date, the share of its counted time the service was up (null: nothing counted). */
  public record Day(LocalDate date, Double uptime, double downSeconds, double countedSeconds) {}

  private Uptime() {}

  /** The last {@code days} days up to {@code now} (today last), in {@code zone}. */
  public static List<Day> days(List<Change> history, long now, int days, ZoneId zone) {
    List<Day> out = new ArrayList<>();
    LocalDate today = Instant.ofEpochSecond(now).atZone(zone).toLocalDate();
    for (int d = days - 1; d >= 0; d--) {
      LocalDate date = today.minusDays(d);
      long from = date.atStartOfDay(zone).toEpochSecond();
      long to = Math.min(now, date.plusDays(1).atStartOfDay(zone).toEpochSecond());
      double down = 0, counted = 0;
      for (int i = 0; i < history.size(); i++) {
        Change c = history.get(i);
        long start = Math.max(from, c.at());
        long end = Math.min(to, i + 1 < history.size() ? history.get(i + 1).at() : now);
        if (end <= start || c.state() == PublicState.MAINTENANCE) continue;
        counted += end - start;
        down += (end - start) * c.state().downWeight;
      }
      out.add(new Day(date, counted > 0 ? 1 - down / counted : null, down, counted));
    }
    return out;
  }

  /** Over all the days: 1 − down / counted (null when nothing was counted). */
  public static Double overall(List<Day> days) {
    double down = 0, counted = 0;
    for (Day d : days) {
      down += d.downSeconds();
      counted += d.countedSeconds();
    }
    return counted > 0 ? 1 - down / counted : null;
  }
}
