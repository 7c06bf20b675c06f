package callwatch.aggregator.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

/**
 * Hogs on random traffic through the detector ({@link HogDraws}: calls arrive at random, a
 * seeded Poisson process, as a pharmacy's calls do), so the figures are the chances a user meets,
 * not one lucky draw; and the watch itself on a count no traffic would give.
 */
class PharmacyWatchTest {
  static final long T0 = DetectorTest.T0;
  static final int OTHERS = 200;
  /** A small pharmacy, like the 200 others: there the ceiling decides, not the evidence against its usual (docs/detection.md). */
  static final double USUAL_PER_HOUR = 30;

  @Test
  @DisplayName("a small pharmacy (30 calls an hour) that starts calling 1,000 times an hour is called a hog within 2 minutes in at least 90 of 100 draws")
  void hogAtTheCeilingWithinTwoMinutes() {
    List<Long> late = new ArrayList<>();
    int within = 0;
    for (int seed = 0; seed < 100; seed++) {
      long seconds = HogDraws.secondsToHog(seed, USUAL_PER_HOUR, 1000, 600);
      if (seconds >= 0 && seconds <= 120) within++;
      else late.add(seconds);
    }
    assertTrue(within >= 90, within + " of 100 within 2 minutes; the others after (s, " + HogDraws.NEVER + " never): " + late);
  }

  @Test
  @DisplayName("a pharmacy at 300 calls an hour, ten times its usual but under a third of the ceiling, is no hog in 100 draws of an hour")
  void farUnderTheCeilingIsNoHog() {
    List<Long> called = hogsIn(100, seed -> HogDraws.secondsToHog(1000 + seed, USUAL_PER_HOUR, 300, 3600));
    assertTrue(called.isEmpty(), "called after the onset (s; before it if negative): " + called);
  }

  @Test
  @DisplayName("a typical pharmacy (340 calls an hour over six services) whose software starts calling one service until it calls 1,000 times an hour"
      + " is called a hog within 2 minutes in at least 45 of 100 draws (17 before its mix was judged; 51 at the bar of once in 10^11)")
  void loopOnOneServiceWithinTwoMinutes() {
    List<Long> late = new ArrayList<>();
    int within = 0;
    for (int seed = 0; seed < 100; seed++) {
      long seconds = HogDraws.secondsToHog(seed, 340, 1000, 600, HogDraws.Onset.LOOP);
      if (seconds >= 0 && seconds <= 120) within++;
      else late.add(seconds);
    }
    assertTrue(within >= 45, within + " of 100 within 2 minutes; the others after (s, " + HogDraws.NEVER + " never): " + late);
  }

  @Test
  @DisplayName("pharmacies at 340 calls an hour over six services, each with its own mix, raise no hog in 100 draws of an hour")
  void usualTrafficIsNoHog() {
    List<Long> called = hogsIn(100, seed -> HogDraws.secondsToHog(2000 + seed, 340, 340, 3600, HogDraws.Onset.LOOP));
    assertTrue(called.isEmpty(), "called after the onset (s; before it if negative): " + called);
  }

  @Test
  @DisplayName("pharmacies at 340 calls an hour that call in visits of 4 calls at once (a dispensing's prescription, record, insurance)"
      + " raise no hog in 30 draws of three hours: the bar is set on how bunched each pharmacy's own calls have been, not on single Poisson calls")
  void bunchedUsualTrafficIsNoHog() {
    List<Long> called = hogsIn(30, seed -> HogDraws.secondsToHog(3000 + seed, 340, 340, 3600, HogDraws.Onset.MORE, 4, 120));
    assertTrue(called.isEmpty(), "called after the onset (s; before it if negative): " + called);
  }

  @Test
  @DisplayName("a pharmacy at 340 calls an hour in visits of 4 calls that starts calling 1,000 an hour (in visits too) is called a hog"
      + " within 40 minutes in at least 42 of 50 draws (25 with windows of 10 minutes at most): its 10 minutes hold too little evidence,"
      + " longer windows call it late rather than never")
  void bunchedHogWithinFortyMinutes() {
    List<Long> late = new ArrayList<>();
    int within = 0;
    for (int seed = 0; seed < 50; seed++) {
      long seconds = HogDraws.secondsToHog(seed, 340, 1000, 2400, HogDraws.Onset.MORE, 4, 120);
      if (seconds >= 0) within++;
      else late.add(seconds);
    }
    assertTrue(within >= 42, within + " of 50 within 40 minutes; the others (s, " + HogDraws.NEVER + " never): " + late);
  }

  @Test
  @DisplayName("a pharmacy at its usual 6 calls a minute over six services that adds 11 a minute to RECIPE is a hog at the second minute's close, and the alert names RECIPE")
  void loopIsCalledByItsService() {
    String[] services = {"DPP", "RECIPE", "PCDH", "ASSURPHARMA", "RAOTD", "EFORMS"};
    PharmacyWatch watch = new PharmacyWatch(Rules.defaults());
    Findings findings = new Findings(Rules.defaults().lateSeconds(), 0);
    int onset = 40;
    List<Alert> hogs = new ArrayList<>();
    for (int m = 0; m < onset + 2; m++) {
      List<PharmacyCount> counts = new ArrayList<>();
      for (int p = 0; p <= OTHERS; p++) {
        String id = p == OTHERS ? "100777" : String.valueOf(100000 + p);
        for (String service : services) {
          long calls = 1 + (p == OTHERS && m >= onset && service.equals("RECIPE") ? 11 : 0);
          counts.add(new PharmacyCount(id, service, "Corilus/4.2", calls, 0, 0));
        }
      }
      watch.minute(T0 + 60L * m, counts, findings);
      for (Alert a : findings.drain()) if (a.kind.equals("hog")) hogs.add(a);
      if (m == onset) assertTrue(hogs.isEmpty(), "one minute of 1,020 an hour is not yet a window: " + hogs);
    }
    assertEquals(1, hogs.size(), "34 calls in 2 minutes against about 12: beyond chance for RECIPE (24 against 2), not for the whole count");
    assertTrue(hogs.get(0).reason.contains("24 of its 34 calls to RECIPE"), hogs.get(0).reason);
  }

  @Test
  @DisplayName("a big pharmacy (600 calls an hour) that went to 1,800 an hour is a hog, and over once it is back at its usual 600")
  void bigPharmacyBackAtItsUsualIsNoLongerAHog() {
    PharmacyWatch watch = new PharmacyWatch(Rules.defaults());
    Findings findings = new Findings(Rules.defaults().lateSeconds(), 0);
    List<Alert> changes = new ArrayList<>();
    int onset = 720, back = 735, end = 765; // twelve hours first: its usual and the platform's are learnt over hours
    for (int m = 0; m < end; m++) {
      List<PharmacyCount> counts = DetectorTest.others(3);
      counts.add(new PharmacyCount("100777", "DPP", "Corilus/4.2", m >= onset && m < back ? 30 : 10, 0, 0));
      watch.minute(T0 + 60L * m, counts, findings);
      for (Alert a : findings.drain()) if (a.kind.equals("hog")) changes.add(a.copy());
    }
    assertEquals(1, changes.stream().filter(Alert::firing).count(), "1,800 an hour, three times its usual: one hog, called once; " + changes);
    Alert last = changes.get(changes.size() - 1);
    assertEquals(Alert.RESOLVED, last.state, "half an hour back at its usual 600 an hour: " + changes);
    assertTrue(last.resolvedAt <= T0 + 60L * (back + 10), "over within ten minutes of its return, at " + (last.resolvedAt - T0 - 60L * back) + " s");
  }

  @Test
  @DisplayName("a big pharmacy (900 calls an hour) closed from Saturday noon to Monday morning, while on-duty pharmacies call, is no hog when it opens as usual")
  void bigPharmacyAfterAClosedWeekendIsNoHog() {
    PharmacyWatch watch = new PharmacyWatch(Rules.defaults());
    Findings findings = new Findings(Rules.defaults().lateSeconds(), 0);
    List<Alert> hogs = new ArrayList<>();
    int weekday = 24 * 60, closed = 44 * 60, monday = 60;
    for (int m = 0; m < weekday + closed + monday; m++) {
      boolean weekend = m >= weekday && m < weekday + closed;
      List<PharmacyCount> counts = new ArrayList<>();
      // the others: 3 calls a minute each on weekdays; on the weekend 30 of them on duty, 1 a minute
      for (int p = 0; p < OTHERS; p++) {
        if (!weekend || p < 30) counts.add(new PharmacyCount(String.valueOf(100000 + p), "DPP", "Corilus/4.2", weekend ? 1 : 3, 0, 0));
      }
      if (!weekend) counts.add(new PharmacyCount("100777", "DPP", "Corilus/4.2", 15, 0, 0));
      watch.minute(T0 + 60L * m, counts, findings);
      for (Alert a : findings.drain()) if (a.kind.equals("hog")) hogs.add(a.copy());
    }
    assertTrue(hogs.isEmpty(), "its usual share outlives a quiet weekend: " + hogs);
  }

  @Test
  @DisplayName("a minute's count beyond 2^31 (a batch may carry counts up to 10^12) is a hog, not an overflow")
  void countBeyondAnIntIsAHog() {
    PharmacyWatch watch = new PharmacyWatch(Rules.defaults());
    Findings findings = new Findings(Rules.defaults().lateSeconds(), 0);
    for (int m = 0; m <= PharmacyWatch.WARM_MINUTES + 5; m++) {
      List<PharmacyCount> counts = DetectorTest.others(3);
      counts.add(new PharmacyCount("100777", "DPP", "Corilus/4.2", m == PharmacyWatch.WARM_MINUTES + 5 ? 3_000_000_000L : 3, 0, 0));
      watch.minute(T0 + 60L * m, counts, findings);
    }
    List<Alert> hogs = findings.drain().stream().filter(a -> a.kind.equals("hog")).toList();
    assertTrue(hogs.size() == 1 && hogs.get(0).subject.get("pharmacy").equals("100777"), "hogs: " + hogs);
  }

  /** The seconds after the onset (negative: before it) at which each of {@code draws} draws raised a hog, for those that did. */
  private static List<Long> hogsIn(int draws, java.util.function.IntToLongFunction draw) {
    List<Long> called = new ArrayList<>();
    for (int seed = 0; seed < draws; seed++) {
      long seconds = draw.applyAsLong(seed);
      if (seconds != HogDraws.NEVER) called.add(seconds);
    }
    return called;
  }
}
