package callwatch.aggregator.bench;

import callwatch.aggregator.detect.AgentClock;
import callwatch.aggregator.detect.Alert;
import callwatch.aggregator.detect.Detector;
import callwatch.aggregator.detect.MemorySource;
import callwatch.aggregator.detect.PharmacyCount;
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
 * Callers without a contract on random traffic, through the detector: 200 pharmacies and pharmacy
 * 100777 call at random (Poisson, seeded) at one usual rate, one call in 2,000 refused with E401
 * anyway; from a random second of the 31st minute every call of 100777 is refused. The detector is
 * ticked every 10 s of event time, the cache's minutes holding every closed minute whole and the
 * open one up to the agents' time (as {@code HogDraws} does for hogs). Prints, per usual rate, how
 * many draws are called within 2 minutes, the median, and any caller called before the onset (a
 * false one). Usage: bench/no-contract-draws.sh [DRAWS=100]
 */
public final class NoContractDrawsBench {
  private static final ZoneId ZONE = ZoneId.of("Europe/Brussels");
  private static final long T0 = LocalDate.of(2026, 11, 24).atTime(9, 0).atZone(ZONE).toEpochSecond(); // a Tuesday, 9:00
  private static final int OTHERS = 200;
  private static final String[] SERVICES = {"DPP", "RECIPE", "PCDH", "ASSURPHARMA", "RAOTD", "EFORMS"};
  private static final double STRAY_E401 = 0.0005;
  private static final long NEVER = Long.MAX_VALUE;
  private static final long FALSE = Long.MIN_VALUE;

  private NoContractDrawsBench() {}

  public static void main(String[] args) {
    int draws = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    System.out.println("| pharmacy's usual, calls an hour | called within 2 minutes | median, s | slowest, s | called before its onset (false) |");
    System.out.println("| --- | --- | --- | --- | --- |");
    for (double usual : new double[] {60, 120, 250, 340}) {
      long[] times = new long[draws];
      int within = 0, falseCalls = 0;
      for (int seed = 0; seed < draws; seed++) {
        long t = secondsToCall(seed, usual, 1800);
        if (t == FALSE) falseCalls++;
        times[seed] = t == FALSE ? NEVER : t;
        if (times[seed] <= 120) within++;
      }
      Arrays.sort(times);
      System.out.printf("| %.0f | %d of %d | %s | %s | %d |%n", usual, within, draws, text(times[draws / 2]), text(times[draws - 1]), falseCalls);
    }
  }

  private static String text(long seconds) {
    return seconds == NEVER ? "not within 30 min" : String.valueOf(seconds);
  }

  /** Seconds from the onset until 100777 is called a caller without a contract; FALSE if any pharmacy is called before the onset. */
  static long secondsToCall(long seed, double usualPerHour, int horizonSeconds) {
    Random random = new Random(seed);
    long onset = T0 + 30 * 60L + random.nextInt(60);
    long until = onset + horizonSeconds;
    List<long[]> calls = new ArrayList<>(); // {epoch second, pharmacy, service, refused}
    for (int p = 0; p <= OTHERS; p++) {
      for (double t = T0; ; ) {
        t += -Math.log(1 - random.nextDouble()) * 3600 / usualPerHour;
        if (t >= until) break;
        boolean refused = (p == OTHERS && t >= onset) || random.nextDouble() < STRAY_E401;
        calls.add(new long[] {(long) t, p, random.nextInt(SERVICES.length), refused ? 1 : 0});
      }
    }
    calls.sort((a, b) -> Long.compare(a[0], b[0]));
    // minute -> per pharmacy and service: {calls, E401}, as far as the clock has come
    Map<Long, long[][][]> minutes = new HashMap<>();
    MemorySource cache = new MemorySource();
    Detector detector = new Detector(Rules.defaults(), service -> null, 0, T0 * 1000);
    int next = 0;
    for (long now = T0 + 10; now <= until; now += 10) {
      while (next < calls.size() && calls.get(next)[0] < now) {
        long[] call = calls.get(next++);
        long[] cell = minutes.computeIfAbsent(Math.floorDiv(call[0], 60) * 60, k -> new long[OTHERS + 1][SERVICES.length][2])[(int) call[1]][(int) call[2]];
        cell[0]++;
        cell[1] += call[3];
      }
      long open = Math.floorDiv(now, 60) * 60;
      for (long m = open - 60; m <= open; m += 60) if (minutes.containsKey(m)) cache.minutes.put(m, rows(minutes.get(m)));
      List<AgentClock> agents = List.of(new AgentClock("a1", "app1", now * 1000, now * 1000));
      for (Alert a : detector.tick(now * 1000, agents, cache)) {
        if (!a.kind.equals("no-contract") || !a.firing()) continue;
        return a.firedAt < onset || !"100777".equals(a.subject.get("pharmacy")) ? FALSE : a.firedAt - onset;
      }
    }
    return NEVER;
  }

  /** A minute's counts as the cache's reader hands them over: a row per pharmacy and service. */
  private static List<PharmacyCount> rows(long[][][] counts) {
    List<PharmacyCount> out = new ArrayList<>();
    for (int p = 0; p <= OTHERS; p++) {
      for (int s = 0; s < SERVICES.length; s++) {
        long n = counts[p][s][0], e401 = counts[p][s][1];
        if (n > 0) out.add(new PharmacyCount(p == OTHERS ? "100777" : String.valueOf(100000 + p), SERVICES[s], "Corilus/4.2", n, e401, e401));
      }
    }
    return out;
  }
}
