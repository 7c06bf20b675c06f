package callwatch.aggregator.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.DayOfWeek;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The statistics on tables: how much evidence a silence, a share or a rise gives, and what history expects. */
class StatisticsTest {
  static final ZoneId BRUSSELS = ZoneId.of("Europe/Brussels");

  @ParameterizedTest(name = "{0} calls/s, silent {1} s: stall called = {2}")
  @CsvSource({
      "3,    6,   true",   // 18 nats: called in 6 s at 3 calls/s
      "2,    8,   false",  // 16 nats: not yet
      "2,    9,   true",
      "0.5,  36,  true",
      "0.5,  30,  false",
      "0.05, 60,  false",  // a quiet night: a minute of silence is 3 nats, nothing
      "0.05, 360, true"})
  @DisplayName("a stall is called when the silence is worth 18 nats: fast at peak, honestly slow at night")
  void stallEvidence(double rate, int silentSeconds, boolean called) {
    PoissonCusum c = new PoissonCusum(0, 1);
    for (int s = 0; s < silentSeconds; s++) c.commit(0, rate, s * 1000L);
    assertEquals(called, c.score() >= Rules.defaults().stallThreshold(), "score " + c.score());
  }

  @Test
  @DisplayName("one call ends a stall's evidence; the run's start is when the silence began")
  void oneCallResets() {
    PoissonCusum c = new PoissonCusum(0, 1);
    c.commit(0, 5, 1000);
    c.commit(0, 5, 2000);
    assertEquals(1000, c.sinceIfPeek(0));
    c.commit(1, 5, 3000);
    assertEquals(0, c.score());
    assertEquals(7.5, c.peek(0, 7.5), 1e-9, "peek adds without committing");
    assertEquals(0, c.score());
  }

  @ParameterizedTest(name = "{0} of {1} expected per slot for {2} slots: drop called = {3}")
  @CsvSource({
      "30, 100, 3, true",    // at 30 % of a busy rate: called within 30 s
      "70, 100, 60, false",  // 70 % for ten minutes: a quiet day, not a drop
      "100, 100, 360, false",
      "1, 3, 10, false"})    // at night: 1 of 3 for 100 s is not evidence enough yet
  @DisplayName("a drop to 30 % is called at peak; a day 30 % quieter than usual is not")
  void dropEvidence(int seen, int expected, int slots, boolean called) {
    PoissonCusum c = new PoissonCusum(Rules.defaults().dropRatio(), 1);
    for (int s = 0; s < slots; s++) c.commit(seen, expected, s * 10_000L);
    assertEquals(called, c.score() >= Rules.defaults().dropThreshold(), "score " + c.score());
  }

  @ParameterizedTest(name = "{0} of {1} with a usual {2}: jumped = {3}")
  @CsvSource({
      "1,   3,    0.01,  false",  // 1 error in 3 calls at night is not an alarm
      "20,  100,  0.01,  true",
      "9,   100,  0.01,  false",  // under the minimum of 10
      "60,  1000, 0.03,  false",  // 6 %: twice the usual, under 3 times
      "100, 1000, 0.01,  true",
      "40,  200,  0.15,  false"}) // a noisy op at 20 % against 15 %: under the 3-fold bar
  @DisplayName("an error-rate jump needs a minimum of evidence and three times the usual share")
  void errorJumps(long errors, long calls, double usual, boolean jumped) {
    assertEquals(jumped, Proportion.jumped(errors, calls, usual, Rules.DEFAULT_ERRORS));
  }

  @ParameterizedTest(name = "{0} of {1} calls, then {2} to its peers: {3} nats")
  @CsvSource({
      "3,     3,      10,  6.909",  // ln(11·12·13·14 / 24): a new installation's first calls tell little
      "3,     3,      3,   3.555",
      "25000, 100000, 10,  2.877",  // an hour of calls: 10 × −ln(0.75), the share as good as known
      "9000,  10000,  2,   4.603",  // 90 %: 2 × −ln(0.1) = 4.605, a little less as 10,000 calls leave it a little open
      "0,     100,    50,  0",      // a server that took none has nothing to lose
      "3,     3,      0,   0"})
  @DisplayName("a server's silence is weighed against its share as well as the calls behind it tell it")
  void silenceAgainstAShare(double mine, double all, long others, double nats) {
    assertEquals(nats, Proportion.noneOfNext(mine, all, others), 0.002);
  }

  @Test
  @DisplayName("the weekly profile is the median of the same weekday and time: one bad week does not move it")
  void medianOfWeeks() {
    long start = LocalDate.of(2026, 11, 2).atStartOfDay(BRUSSELS).toEpochSecond(); // a Monday
    int weeks = 3, perWeek = 7 * 144;
    double[] calls = new double[weeks * perWeek];
    for (int i = 0; i < calls.length; i++) calls[i] = 600; // 1 call/s
    for (int i = perWeek + 144; i < perWeek + 2 * 144; i++) calls[i] = 0; // the second week's Tuesday: an outage
    WeeklyProfile p = WeeklyProfile.learn(start, calls, BRUSSELS);
    long nextTuesday = LocalDate.of(2026, 11, 24).atTime(10, 0).atZone(BRUSSELS).toEpochSecond();
    assertEquals(1.0, p.perSecond(nextTuesday), 1e-9);
    assertEquals(3, p.weeksBehind(nextTuesday));
  }

  @Test
  @DisplayName("with a single day of history a weekday expects that day's traffic; a first Saturday expects nothing")
  void fallbacks() {
    long monday = LocalDate.of(2026, 11, 2).atStartOfDay(BRUSSELS).toEpochSecond();
    double[] calls = new double[144];
    for (int i = 0; i < 144; i++) calls[i] = i >= 54 && i < 66 ? 1200 : 60; // 2/s from 9:00 to 11:00
    WeeklyProfile p = WeeklyProfile.learn(monday, calls, BRUSSELS);
    assertEquals(2.0, p.perSecond(LocalDate.of(2026, 11, 3).atTime(10, 0).atZone(BRUSSELS).toEpochSecond()), 1e-9);
    assertEquals(0, p.weeksBehind(LocalDate.of(2026, 11, 3).atTime(10, 0).atZone(BRUSSELS).toEpochSecond()));
    assertTrue(Double.isNaN(p.perSecond(LocalDate.of(2026, 11, 7).atTime(10, 0).atZone(BRUSSELS).toEpochSecond())));
  }

  @Test
  @DisplayName("a public holiday whose traffic was a weekday's (a calendar that knows no holiday) teaches the Sundays nothing: a first Sunday still expects nothing")
  void holidayInTheHistoryIsNoSunday() {
    long monday = LocalDate.of(2026, 11, 9).atStartOfDay(BRUSSELS).toEpochSecond(); // Wednesday the 11th: Armistice Day
    double[] calls = new double[6 * 144]; // Monday to Saturday, the same weekday traffic each day
    for (int i = 0; i < calls.length; i++) calls[i] = (i % 144) >= 42 && (i % 144) < 114 ? 12000 : 600;
    WeeklyProfile p = WeeklyProfile.learn(monday, calls, BRUSSELS, Holidays.belgianAnd(java.util.Set.of()));
    long sunday = LocalDate.of(2026, 11, 15).atTime(10, 0).atZone(BRUSSELS).toEpochSecond();
    assertTrue(Double.isNaN(p.perSecond(sunday)), "nothing is known of Sundays: " + p.perSecond(sunday));
    long nextWednesday = LocalDate.of(2026, 11, 18).atTime(10, 0).atZone(BRUSSELS).toEpochSecond();
    assertEquals(20.0, p.perSecond(nextWednesday), 1e-9, "the other weekdays say what a Wednesday holds");
  }

  @Test
  @DisplayName("on a public holiday the lower of its weekday's and Sunday's traffic is expected, and nothing while Sundays are unknown")
  void holidayExpectsTheLowerOfItsWeekdayAndSunday() {
    long monday = LocalDate.of(2026, 11, 30).atStartOfDay(BRUSSELS).toEpochSecond();
    double[] calls = new double[3 * 7 * 144];
    for (int i = 0; i < calls.length; i++) {
      int day = (i / 144) % 7;
      calls[i] = day == 6 ? 600 : 6000; // 1/s on Sundays, 10/s otherwise
    }
    Holidays be = Holidays.belgianAnd(java.util.Set.of());
    WeeklyProfile p = WeeklyProfile.learn(monday, calls, BRUSSELS, be);
    long christmas = LocalDate.of(2026, 12, 25).atTime(10, 0).atZone(BRUSSELS).toEpochSecond();
    assertEquals(1.0, p.perSecond(christmas), 1e-9);
    assertEquals(1.0, p.ownBin(christmas), 1e-9);
    assertEquals(10.0, p.perSecond(christmas - 86400), 1e-9, "the day before is a Thursday");
    double[] noSunday = java.util.Arrays.copyOf(calls, 6 * 144);
    assertTrue(Double.isNaN(WeeklyProfile.learn(monday, noSunday, BRUSSELS, be).perSecond(christmas)),
        "a holiday with no Sunday in the history: unknown, not a weekday");
  }

  @Test
  @DisplayName("the peak stays at 9:00 local time across the change from summer time")
  void daylightSaving() {
    long monday = LocalDate.of(2026, 10, 5).atStartOfDay(BRUSSELS).toEpochSecond();
    int rows = 3 * 7 * 144 - 6; // three weeks of 10-minute rows (the 25-hour Sunday is one row longer)
    double[] calls = new double[rows];
    for (int i = 0; i < rows; i++) {
      var t = java.time.Instant.ofEpochSecond(monday + i * 600L).atZone(BRUSSELS);
      calls[i] = t.getHour() == 9 ? 6000 : 60;
    }
    WeeklyProfile p = WeeklyProfile.learn(monday, calls, BRUSSELS);
    long afterChange = LocalDate.of(2026, 10, 27).atTime(9, 30).atZone(BRUSSELS).toEpochSecond(); // winter time
    assertEquals(10.0, p.perSecond(afterChange), 1e-9);
    assertEquals(0.1, p.perSecond(afterChange - 3600), 1e-9);
  }

  @Test
  @DisplayName("a low moment's neighbours keep the expectation low: the rhythm's sharp edges are not expected early")
  void lowestNeighbour() {
    long monday = LocalDate.of(2026, 11, 2).atStartOfDay(BRUSSELS).toEpochSecond();
    double[] calls = new double[2 * 7 * 144];
    for (int i = 0; i < calls.length; i++) calls[i] = (i % 144) >= 39 ? 600 : 6; // the morning starts at 6:30
    WeeklyProfile p = WeeklyProfile.learn(monday, calls, BRUSSELS);
    long at630 = LocalDate.of(2026, 11, 16).atTime(6, 35).atZone(BRUSSELS).toEpochSecond();
    assertEquals(0.01, p.perSecond(at630), 1e-9, "the 6:20 bin next door: not yet the morning");
    assertEquals(1.0, p.ownBin(at630), 1e-9);
  }

  @ParameterizedTest(name = "{0} {1}: in the window = {2}")
  @CsvSource({
      "2026-12-01, 21:10, true",
      "2026-12-01, 20:59, false",
      "2026-12-02, 00:20, true",   // after midnight, the window began on Tuesday
      "2026-12-06, 21:10, false"}) // Sunday is not listed
  @DisplayName("a maintenance window may cross midnight and names its days")
  void maintenance(String date, String time, boolean covered) {
    Rules.Maintenance m = new Rules.Maintenance(Set.of("RECIPE"), EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
        LocalTime.of(21, 0), LocalTime.of(0, 30));
    long t = LocalDate.parse(date).atTime(LocalTime.parse(time)).atZone(BRUSSELS).toEpochSecond();
    assertEquals(covered, m.covers("RECIPE", t, BRUSSELS));
    assertEquals(false, m.covers("DPP", t, BRUSSELS));
  }
}
