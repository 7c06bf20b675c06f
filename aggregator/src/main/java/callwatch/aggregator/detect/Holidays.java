package callwatch.aggregator.detect;

import java.time.LocalDate;
import java.time.MonthDay;
import java.util.Set;

/**
 * The days whose traffic may take Sunday's shape: pharmacies are closed but for those on duty.
 * Expected as their weekday, a holiday morning's missing rise read as a drop of every service for
 * the hour the level takes to follow ({@link WeeklyProfile} expects the lower of the two).
 * Belgium's ten public holidays by default (the platform is Belgian), plus any dates the config
 * names (a bridge day, a regional holiday). Pure.
 */
public final class Holidays {
  /** No holidays: every day is taken for its weekday. */
  public static final Holidays NONE = new Holidays(false, Set.of());

  private static final Set<MonthDay> BELGIAN_FIXED = Set.of(MonthDay.of(1, 1), MonthDay.of(5, 1), MonthDay.of(7, 21),
      MonthDay.of(8, 15), MonthDay.of(11, 1), MonthDay.of(11, 11), MonthDay.of(12, 25));
  /** Easter Monday, Ascension Day and Whit Monday, in days after Easter Sunday. */
  private static final int[] BELGIAN_AFTER_EASTER = {1, 39, 50};

  private final boolean belgian;
  private final Set<LocalDate> dates;

  private Holidays(boolean belgian, Set<LocalDate> dates) {
    this.belgian = belgian;
    this.dates = Set.copyOf(dates);
  }

  /** Belgium's public holidays and the dates given. */
  public static Holidays belgianAnd(Set<LocalDate> dates) {
    return new Holidays(true, dates);
  }

  /** Only the dates given. */
  public static Holidays only(Set<LocalDate> dates) {
    return new Holidays(false, dates);
  }

  public boolean isHoliday(LocalDate day) {
    if (dates.contains(day)) return true;
    if (!belgian) return false;
    if (BELGIAN_FIXED.contains(MonthDay.from(day))) return true;
    long after = day.toEpochDay() - easterSunday(day.getYear()).toEpochDay();
    for (int d : BELGIAN_AFTER_EASTER) if (after == d) return true;
    return false;
  }

  /** Easter Sunday of the Gregorian calendar (the anonymous algorithm of 1876, Meeus's form). */
  static LocalDate easterSunday(int year) {
    int a = year % 19;
    int b = year / 100;
    int c = year % 100;
    int d = b / 4;
    int e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4;
    int k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = (h + l - 7 * m + 114) % 31 + 1;
    return LocalDate.of(year, month, day);
  }

  @Override
  public String toString() {
    return (belgian ? "Belgium's public holidays" : "no public holidays") + (dates.isEmpty() ? "" : " and " + dates.size() + " dates");
  }
}
