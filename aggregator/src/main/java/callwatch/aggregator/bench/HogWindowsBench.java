package callwatch.aggregator.bench;

import callwatch.aggregator.detect.AgentClock;
import callwatch.aggregator.detect.Alert;
import callwatch.aggregator.detect.Detector;
import callwatch.aggregator.detect.PharmacyCount;
import callwatch.aggregator.detect.Row;
import callwatch.aggregator.detect.Rules;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hogs on random traffic, through the detector: 200 pharmacies and pharmacy 100777 call at random
 * (Poisson, seeded) at their usual rate; from a random second of the 31st minute 100777 calls at
 * another rate. The detector is ticked every 10 s of event time, the cache's minutes holding every
 * closed minute whole and the open one up to the agents' time. Prints how many draws of 100 are
 * called a hog within 2 minutes (or within the hour, for pharmacies under the ceiling).
 */
public final class HogWindowsBench {
  static final ZoneId ZONE = ZoneId.of("Europe/Brussels");
  static final long T0 = LocalDate.of(2026, 11, 24).atTime(9, 0).atZone(ZONE).toEpochSecond(); // a Tuesday, 9:00
  static final int OTHERS = 200;

  private HogWindowsBench() {}

  public static void main(String[] args) {
    int draws = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    System.out.println("| pharmacy's usual, calls an hour | then | called within 2 minutes | median, s | called within an hour |");
    System.out.println("| --- | --- | --- | --- | --- |");
    for (double[] row : new double[][] {{30, 1000}, {180, 1000}, {340, 1000}, {340, 1200}, {340, 1500}}) {
      long[] times = new long[draws];
      int within = 0;
      for (int seed = 0; seed < draws; seed++) {
        long t = secondsToHog(seed, row[0], row[1], 600);
        times[seed] = t < 0 ? Long.MAX_VALUE : t;
        if (times[seed] <= 120) within++;
      }
      Arrays.sort(times);
      long median = times[draws / 2];
      System.out.printf("| %.0f | %.0f | %d of %d | %s | |%n", row[0], row[1], within, draws, median == Long.MAX_VALUE ? "over 600" : median);
    }
    for (double[] row : new double[][] {{30, 300}, {30, 500}, {30, 700}}) {
      int called = 0;
      for (int seed = 0; seed < draws; seed++) if (secondsToHog(1000 + seed, row[0], row[1], 3600) >= 0) called++;
      System.out.printf("| %.0f | %.0f | | | %d of %d |%n", row[0], row[1], called, draws);
    }
  }

  /**
   * Draw {@code seed}: every pharmacy at {@code usualPerHour}, pharmacy 100777 at {@code perHour}
   * from its onset on; seconds from the onset until it is first called a hog, or -1 if not within
   * {@code horizonSeconds}.
   */
  public static long secondsToHog(long seed, double usualPerHour, double perHour, int horizonSeconds) {
    Random random = new Random(seed);
    long onset = T0 + 30 * 60 + random.nextInt(60);
    long until = onset + horizonSeconds;
    Map<Long, long[]> minutes = new HashMap<>(); // minute -> calls per pharmacy (OTHERS is 100777), as far as the clock has come
    List<long[]> calls = arrivals(random, usualPerHour, onset, perHour, until);
    Detector.Source cache = new Detector.Source() {
      @Override
      public List<Row> slot(long slot) {
        return List.of();
      }

      @Override
      public List<PharmacyCount> minute(long minute) {
        long[] counts = minutes.get(minute);
        List<PharmacyCount> out = new ArrayList<>();
        if (counts == null) return out;
        for (int p = 0; p <= OTHERS; p++) {
          if (counts[p] > 0) out.add(new PharmacyCount(p == OTHERS ? "100777" : String.valueOf(100000 + p), "DPP", "Corilus/4.2", counts[p], 0, 0));
        }
        return out;
      }
    };
    Detector detector = new Detector(Rules.defaults(), service -> null, 0, T0 * 1000);
    int next = 0;
    for (long now = T0 + 10; now <= until; now += 10) {
      while (next < calls.size() && calls.get(next)[0] < now) {
        long[] call = calls.get(next++);
        minutes.computeIfAbsent(Math.floorDiv(call[0], 60) * 60, k -> new long[OTHERS + 1])[(int) call[1]]++;
      }
      List<AgentClock> agents = List.of(new AgentClock("a1", "app1", now * 1000, now * 1000));
      for (Alert a : detector.tick(now * 1000, agents, cache)) if (a.kind.equals("hog") && a.firing()) return a.firedAt - onset;
    }
    return -1;
  }

  /** Every call until {@code until}, in time order: {epoch second, pharmacy index}. */
  private static List<long[]> arrivals(Random random, double usualPerHour, long onset, double perHour, long until) {
    List<long[]> calls = new ArrayList<>();
    for (int p = 0; p <= OTHERS; p++) {
      double t = T0;
      while (true) {
        double rate = p == OTHERS && t >= onset ? perHour : usualPerHour;
        double gap = -Math.log(1 - random.nextDouble()) * 3600 / rate;
        if (p == OTHERS && t < onset && t + gap >= onset) { // memoryless: its new rate from the onset on
          t = onset;
          continue;
        }
        t += gap;
        if (t >= until) break;
        calls.add(new long[] {(long) t, p});
      }
    }
    calls.sort((a, b) -> Long.compare(a[0], b[0]));
    return calls;
  }
}
