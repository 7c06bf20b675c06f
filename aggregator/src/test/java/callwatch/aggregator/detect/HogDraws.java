package callwatch.aggregator.detect;

import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Hogs on random traffic, through the detector: 200 pharmacies and pharmacy 100777 call at random
 * (Poisson, seeded) at their usual rate, each call to one of six services drawn from the
 * pharmacy's own mix (the platform's, turned by the pharmacy's number: pharmacies differ); from a
 * random second of the 31st minute 100777 calls at another rate, its calls beyond its usual drawn
 * from its mix too ({@link Onset#MORE}) or all to one service ({@link Onset#LOOP}: software that
 * calls one service again and again). The detector is ticked every 10 s of event time, the cache's
 * minutes holding every closed minute whole and the open one up to the agents' time. Used by
 * {@code PharmacyWatchTest} and by {@code bench/hog-windows.sh}.
 */
public final class HogDraws {
  static final ZoneId ZONE = ZoneId.of("Europe/Brussels");
  static final long T0 = LocalDate.of(2026, 11, 24).atTime(9, 0).atZone(ZONE).toEpochSecond(); // a Tuesday, 9:00
  static final int OTHERS = 200;
  static final String[] SERVICES = {"DPP", "RECIPE", "PCDH", "ASSURPHARMA", "RAOTD", "EFORMS"};
  /** The platform's mix of services; pharmacy p's mix is this turned by p. */
  private static final double[] MIX = {0.35, 0.25, 0.15, 0.1, 0.1, 0.05};

  /** What {@link #secondsToHog} gives when no pharmacy was called a hog (a hog before the onset gives a negative number). */
  public static final long NEVER = Long.MIN_VALUE;

  /** How 100777's calls beyond its usual go: spread like its usual ones, or all to one service. */
  public enum Onset { MORE, LOOP }

  private HogDraws() {}

  /**
   * Draw {@code seed}: every pharmacy at {@code usualPerHour}, pharmacy 100777 at {@code perHour}
   * from its onset on; seconds from the onset until a pharmacy is first called a hog (any pharmacy:
   * before the onset, a negative number), or {@link #NEVER} if none is within {@code horizonSeconds}.
   */
  public static long secondsToHog(long seed, double usualPerHour, double perHour, int horizonSeconds) {
    return secondsToHog(seed, usualPerHour, perHour, horizonSeconds, Onset.MORE);
  }

  /** As above, with the calls beyond its usual from its onset on as {@code onsetKind} says. */
  public static long secondsToHog(long seed, double usualPerHour, double perHour, int horizonSeconds, Onset onsetKind) {
    return secondsToHog(seed, usualPerHour, perHour, horizonSeconds, onsetKind, 1, 30);
  }

  /**
   * As above, every pharmacy calling in visits of {@code callsPerVisit} calls in the same second
   * (a dispensing reads the prescription, records it, checks the insurance): the same rate of calls,
   * more bunched than a Poisson count of single calls; the onset comes after {@code historyMinutes}
   * of usual traffic (the detector judges from its 20th minute on).
   */
  public static long secondsToHog(long seed, double usualPerHour, double perHour, int horizonSeconds, Onset onsetKind, int callsPerVisit,
                                  int historyMinutes) {
    Random random = new Random(seed);
    long onset = T0 + historyMinutes * 60L + random.nextInt(60);
    long until = onset + horizonSeconds;
    // minute -> calls per pharmacy (OTHERS is 100777) and service, as far as the clock has come
    Map<Long, long[][]> minutes = new HashMap<>();
    // services drawn apart: the arrival times are those of the draws before services were drawn
    List<long[]> calls = arrivals(random, new Random(~seed), usualPerHour, onset, perHour, until, onsetKind, callsPerVisit);
    Detector.Source cache = new Detector.Source() {
      @Override
      public List<Row> slot(long slot) {
        return List.of();
      }

      @Override
      public List<PharmacyCount> minute(long minute) {
        long[][] counts = minutes.get(minute);
        List<PharmacyCount> out = new ArrayList<>();
        if (counts == null) return out;
        for (int p = 0; p <= OTHERS; p++) {
          for (int s = 0; s < SERVICES.length; s++) {
            if (counts[p][s] > 0) {
              out.add(new PharmacyCount(p == OTHERS ? "100777" : String.valueOf(100000 + p), SERVICES[s], "Corilus/4.2", counts[p][s], 0, 0));
            }
          }
        }
        return out;
      }
    };
    Detector detector = new Detector(Rules.defaults(), service -> null, 0, T0 * 1000);
    int next = 0;
    for (long now = T0 + 10; now <= until; now += 10) {
      while (next < calls.size() && calls.get(next)[0] < now) {
        long[] call = calls.get(next++);
        minutes.computeIfAbsent(Math.floorDiv(call[0], 60) * 60, k -> new long[OTHERS + 1][SERVICES.length])[(int) call[1]][(int) call[2]]++;
      }
      List<AgentClock> agents = List.of(new AgentClock("a1", "app1", now * 1000, now * 1000));
      for (Alert a : detector.tick(now * 1000, agents, cache)) if (a.kind.equals("hog") && a.firing()) return a.firedAt - onset;
    }
    return NEVER;
  }

  /** Every call until {@code until}, in time order: {epoch second, pharmacy index, service index}. */
  private static List<long[]> arrivals(Random random, Random services, double usualPerHour, long onset, double perHour, long until, Onset onsetKind,
                                       int callsPerVisit) {
    List<long[]> calls = new ArrayList<>();
    for (int p = 0; p <= OTHERS; p++) {
      double t = T0;
      while (true) {
        boolean changed = p == OTHERS && t >= onset;
        double rate = changed ? perHour : usualPerHour;
        double gap = -Math.log(1 - random.nextDouble()) * 3600 * callsPerVisit / rate;
        if (p == OTHERS && t < onset && t + gap >= onset) { // memoryless: its new rate from the onset on
          t = onset;
          continue;
        }
        t += gap;
        if (t >= until) break;
        // beyond its usual, a looping pharmacy calls the service it calls second most (not its first)
        for (int c = 0; c < callsPerVisit; c++) {
          boolean looped = changed && onsetKind == Onset.LOOP && services.nextDouble() >= usualPerHour / perHour;
          int service = looped ? (p + 1) % SERVICES.length : serviceOf(p, services);
          calls.add(new long[] {(long) t, p, service});
        }
      }
    }
    calls.sort((a, b) -> Long.compare(a[0], b[0]));
    return calls;
  }

  /** A service drawn from pharmacy {@code p}'s mix. */
  private static int serviceOf(int p, Random random) {
    double u = random.nextDouble();
    for (int i = 0; i < MIX.length; i++) {
      u -= MIX[i];
      if (u < 0) return (p + i) % SERVICES.length;
    }
    return p % SERVICES.length;
  }
}
