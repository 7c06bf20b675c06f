package callwatch.aggregator.detect;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * How many calls a subject usually gets per second at a moment of the week, learned from its own
 * history in 10-minute rows: the median over the past weeks of the same weekday and local time of
 * day (± 10 minutes), so one odd day (an outage) does not move it. Local time, so the morning
 * peak stays at 9:00 across a daylight-saving change. A public holiday ({@link Holidays}) is left
 * out of the history (it is neither its weekday nor a Sunday: its traffic may be either, as a
 * calendar that knows no holiday makes it) and expects the lower of its weekday's and Sunday's
 * traffic: pharmacies closed but for those on duty are no drop, and traffic as on any weekday is
 * no false alarm either.
 *
 * <p>While history is short (a new installation) it falls back, bin by bin: fewer than two weeks
 * at that moment → the median of the same time of day over the days of the same kind (Monday to
 * Friday, Saturday, Sunday) that exist; none (a first Saturday: a weekday says nothing of it) → no
 * expectation ({@link Double#NaN}), and the detector goes by the recent level alone. Pure.
 */
public final class WeeklyProfile {
  public static final int BIN_SECONDS = 600;
  static final int BINS_PER_DAY = 144;
  static final int BINS_PER_WEEK = 7 * BINS_PER_DAY;
  private final double[] perSecond = new double[BINS_PER_WEEK];
  private final int[] weeksBehind = new int[BINS_PER_WEEK];
  private final ZoneId zone;
  private final Holidays holidays;
  /** How much the service's calls vary beyond Poisson in its recent history ({@link Dispersion}): NaN until measured. */
  private double dispersion = Double.NaN;

  private WeeklyProfile(ZoneId zone, Holidays holidays) {
    this.zone = zone;
    this.holidays = holidays;
  }

  /** A profile with no history at all: every moment unknown. */
  public static WeeklyProfile empty(ZoneId zone) {
    WeeklyProfile p = new WeeklyProfile(zone, Holidays.NONE);
    Arrays.fill(p.perSecond, Double.NaN);
    return p;
  }

  /**
   * This profile, with the dispersion its service's recent 10 s slots show ({@link Dispersion#of}; NaN: too few to
   * say); set once, by its loader.
   */
  public WeeklyProfile withDispersion(double dispersion) {
    this.dispersion = Double.isNaN(dispersion) ? Double.NaN : Math.max(1, dispersion);
    return this;
  }

  /**
   * The factor the service's stall, drop and silent-server evidence is divided by (at least 1), as its loader measured
   * it; NaN when its recent slots were too few to say.
   */
  public double dispersion() {
    return dispersion;
  }

  /**
   * Learns from {@code calls[i]}, the calls in the 10 minutes starting at {@code start + i·600}
   * (epoch seconds, aligned on 600); NaN for rows with no data (before the history starts).
   */
  public static WeeklyProfile learn(long start, double[] calls, ZoneId zone) {
    return learn(start, calls, zone, Holidays.NONE);
  }

  /** As {@link #learn(long, double[], ZoneId)}, public holidays left out of the history and expected as the lower of their weekday and Sunday. */
  public static WeeklyProfile learn(long start, double[] calls, ZoneId zone, Holidays holidays) {
    WeeklyProfile p = new WeeklyProfile(zone, holidays);
    // per weekly bin: (week index, rate) of every row that falls in it
    List<List<double[]>> byBin = new ArrayList<>(BINS_PER_WEEK);
    for (int b = 0; b < BINS_PER_WEEK; b++) byBin.add(new ArrayList<>());
    for (int i = 0; i < calls.length; i++) {
      if (Double.isNaN(calls[i])) continue;
      long t = start + (long) i * BIN_SECONDS;
      ZonedDateTime local = p.local(t);
      if (holidays.isHoliday(local.toLocalDate())) continue;
      byBin.get(bin(local)).add(new double[] {Math.floorDiv(t - start, 7 * 86400L), calls[i] / BIN_SECONDS});
    }
    for (int b = 0; b < BINS_PER_WEEK; b++) {
      List<Double> same = new ArrayList<>();
      java.util.Set<Double> weeks = new java.util.HashSet<>();
      for (int d = -1; d <= 1; d++) {
        for (double[] wr : byBin.get(Math.floorMod(b + d, BINS_PER_WEEK))) {
          same.add(wr[1]);
          weeks.add(wr[0]);
        }
      }
      if (weeks.size() >= 2) {
        p.perSecond[b] = median(same);
        p.weeksBehind[b] = weeks.size();
        continue;
      }
      p.perSecond[b] = sameTimeOfDay(byBin, b);
    }
    return p;
  }

  /** The median of the days of the same kind at this time of day. */
  private static double sameTimeOfDay(List<List<double[]>> byBin, int bin) {
    int day = bin / BINS_PER_DAY, slot = bin % BINS_PER_DAY;
    List<Double> values = new ArrayList<>();
    for (int other = 0; other < 7; other++) {
      if (dayKind(other) != dayKind(day)) continue;
      for (int d = -1; d <= 1; d++) {
        int b = other * BINS_PER_DAY + Math.floorMod(slot + d, BINS_PER_DAY);
        for (double[] wr : byBin.get(b)) values.add(wr[1]);
      }
    }
    return values.isEmpty() ? Double.NaN : median(values);
  }

  /** 0 Monday to Friday, 1 Saturday, 2 Sunday (day 0 = Monday). */
  private static int dayKind(int day) {
    return day < 5 ? 0 : day - 4;
  }

  static double median(List<Double> values) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    int n = v.length;
    return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
  }

  /** The weekly bin of a moment, by the local time of the configured zone. */
  int bin(long epochSeconds) {
    return bin(local(epochSeconds));
  }

  private static int bin(ZonedDateTime t) {
    return (t.getDayOfWeek().getValue() - 1) * BINS_PER_DAY + (t.getHour() * 60 + t.getMinute()) / 10;
  }

  private ZonedDateTime local(long epochSeconds) {
    return Instant.ofEpochSecond(epochSeconds).atZone(zone);
  }

  private static final int SUNDAY = 6 * BINS_PER_DAY;

  /** Sunday's bin at the same time of day. */
  private static int sundayBin(int bin) {
    return SUNDAY + bin % BINS_PER_DAY;
  }

  private boolean holiday(ZonedDateTime t) {
    return holidays.isHoliday(t.toLocalDate());
  }

  /** On a holiday, the lower of the two values; unknown if either is. */
  private static double lowerOnAHoliday(double weekday, double sunday) {
    return Double.isNaN(weekday) || Double.isNaN(sunday) ? Double.NaN : Math.min(weekday, sunday);
  }

  /**
   * Usual calls per second at this moment: the lowest of its own 10-minute bin and the two beside
   * it, NaN when nothing is known. The lowest, because the rhythm moves inside a bin (the morning
   * rise starts at 6:30 sharp, pharmacies close at 13:00 on Saturday) and a test that expects the
   * next bin's traffic ten minutes early would call a drop that is only the day's rhythm; at worst
   * a drop is called a little later on the morning rise.
   */
  public double perSecond(long epochSeconds) {
    ZonedDateTime t = local(epochSeconds); // once: the bin and the day from the same conversion
    int bin = bin(t);
    double weekday = lowestAround(bin);
    return holiday(t) ? lowerOnAHoliday(weekday, lowestAround(sundayBin(bin))) : weekday;
  }

  /** The lowest known of a bin and the two beside it; NaN when the bin itself is unknown. */
  private double lowestAround(int bin) {
    if (Double.isNaN(perSecond[bin])) return Double.NaN; // a first Sunday is not Saturday night's neighbour
    double low = Double.NaN;
    for (int d = -1; d <= 1; d++) {
      double v = perSecond[Math.floorMod(bin + d, BINS_PER_WEEK)];
      if (!Double.isNaN(v) && !(v >= low)) low = v;
    }
    return low;
  }

  /**
   * Usual calls per second in this moment's own 10-minute bin (NaN when unknown): what today's
   * level is measured against, so that the cautious {@link #perSecond} does not bias it.
   */
  public double ownBin(long epochSeconds) {
    ZonedDateTime t = local(epochSeconds);
    int bin = bin(t);
    return holiday(t) ? lowerOnAHoliday(perSecond[bin], perSecond[sundayBin(bin)]) : perSecond[bin];
  }

  /** How many past weeks stand behind the expectation at this moment (0: a fallback or nothing). */
  public int weeksBehind(long epochSeconds) {
    ZonedDateTime t = local(epochSeconds);
    int bin = bin(t);
    return holiday(t) ? Math.min(weeksBehind[bin], weeksBehind[sundayBin(bin)]) : weeksBehind[bin];
  }
}
