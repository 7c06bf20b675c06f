package callwatch.aggregator.bench;

import callwatch.aggregator.detect.AgentClock;
import callwatch.aggregator.detect.Detector;
import callwatch.aggregator.detect.PharmacyCount;
import callwatch.aggregator.detect.Row;
import callwatch.aggregator.detect.Rules;
import callwatch.aggregator.detect.WeeklyProfile;
import callwatch.common.model.Metrics;
import callwatch.common.protocol.PharmacyNumbers;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Detection's own cost of judging a backlog: HOURS of the platform's calls (2 M an hour through 14
 * agents: 5,000 pharmacies of drawn sizes, 6 services, 4 vendors; 126 series rows per agent and
 * slot) walked by one {@link Detector} as the member's detection thread walks a backlog, 10 minutes
 * of event time per tick. The rows are made as the cache's reader hands them over (a pharmacy's
 * name a new string in each agent's minute); making them is timed apart and left out. CPU time of
 * this thread per million calls, each run a fresh detector on the same rows, median of the runs.
 * Usage: bench/detection-walk.sh [HOURS=4] [RUNS=5]
 */
public final class DetectionWalkBench {
  private static final String[] SERVICES = {"DPP", "RECIPE", "PCDH", "ASSURPHARMA", "RAOTD", "EFORMS"};
  private static final double[] SERVICE_SHARE = {0.30, 0.25, 0.15, 0.15, 0.10, 0.05};
  private static final String[] OPS = {"get", "put", "search"};
  private static final String[] VENDORS = {"Corilus/4.2", "Corilus/4.3", "Officinall/3.1", "Farmad/2.9"};
  private static final int AGENTS = 14;
  private static final int PHARMACIES = 5000;
  private static final double CALLS_PER_MINUTE = 2_000_000 / 60.0;

  private final ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
  private final double[] pharmacyRate = new double[PHARMACIES];
  private final int[] pharmacyVendor = new int[PHARMACIES];
  private final long seed;
  /** CPU spent making rows, to be left out of the detector's. */
  private long makingNanos;
  private long calls;

  private DetectionWalkBench(long seed) {
    this.seed = seed;
    SplittableRandom r = new SplittableRandom(seed);
    double sum = 0;
    for (int p = 0; p < PHARMACIES; p++) {
      pharmacyRate[p] = Math.exp(r.nextGaussian() * 0.6); // sizes spread over about a factor of ten
      pharmacyVendor[p] = r.nextInt(VENDORS.length);
      sum += pharmacyRate[p];
    }
    for (int p = 0; p < PHARMACIES; p++) pharmacyRate[p] *= CALLS_PER_MINUTE / sum;
  }

  public static void main(String[] args) {
    double hours = args.length > 0 ? Double.parseDouble(args[0]) : 4;
    int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    DetectionWalkBench bench = new DetectionWalkBench(1);
    double[] perMillion = new double[runs];
    for (int i = 0; i < runs; i++) {
      perMillion[i] = bench.walk(hours);
      System.out.printf(Locale.ROOT, "run %d: %.3f CPU-s per million calls (%,d calls)%n", i + 1, perMillion[i], bench.calls);
    }
    double[] sorted = perMillion.clone();
    Arrays.sort(sorted);
    System.out.printf(Locale.ROOT, "detection walking %.1f h of backlog: median %.3f CPU-s per million calls (%d runs)%n", hours,
        sorted[runs / 2], runs);
  }

  /** One walk by a fresh detector; the detector's CPU-s per million calls. */
  private double walk(double hours) {
    makingNanos = 0;
    calls = 0;
    Rules rules = Rules.defaults();
    long wall = System.currentTimeMillis();
    long start = Math.floorDiv(wall / 1000 - 7 * 86_400, 3600) * 3600; // a week ago: a backlog
    long end = start + (long) (hours * 3600);
    Detector detector = new Detector(rules, s -> WeeklyProfile.empty(rules.zone()), 15 * 60, wall);
    Detector.Source source = new Source(seed);
    long t0 = cpu.getCurrentThreadCpuTime();
    for (long clock = start + 15 * 60; clock <= end; clock += 600) {
      List<AgentClock> clocks = new ArrayList<>();
      for (int a = 0; a < AGENTS; a++) clocks.add(new AgentClock("agent" + a, "app" + a, clock * 1000, wall));
      detector.tick(wall, clocks, source, Integer.MAX_VALUE / 16);
    }
    long detecting = cpu.getCurrentThreadCpuTime() - t0 - makingNanos;
    return detecting / 1e9 / (calls / 1e6);
  }

  /** The rows of each slot and minute, drawn from the minute's number (the same in every run). */
  private final class Source implements Detector.Source {
    private final long seed;

    Source(long seed) {
      this.seed = seed;
    }

    @Override
    public List<Row> slot(long slot) {
      long t0 = cpu.getCurrentThreadCpuTime();
      SplittableRandom r = new SplittableRandom(seed * 31 + slot);
      List<Row> rows = new ArrayList<>(AGENTS * SERVICES.length * OPS.length * VENDORS.length);
      double perRow = CALLS_PER_MINUTE / 6 / AGENTS / (OPS.length * VENDORS.length);
      for (int a = 0; a < AGENTS; a++) {
        String agent = "agent" + a;
        for (int s = 0; s < SERVICES.length; s++) {
          for (String op : OPS) {
            for (String vendor : VENDORS) {
              long[] v = new long[Metrics.SIZE];
              v[Metrics.CALLS] = DetectionTraffic.poisson(r, perRow * SERVICES.length * SERVICE_SHARE[s]);
              rows.add(new Row(agent, SERVICES[s], op, vendor, "app" + a, v));
            }
          }
        }
      }
      makingNanos += cpu.getCurrentThreadCpuTime() - t0;
      return rows;
    }

    @Override
    public List<PharmacyCount> minute(long minute) {
      long t0 = cpu.getCurrentThreadCpuTime();
      SplittableRandom r = new SplittableRandom(seed * 17 + minute);
      // per agent, per pharmacy, per service: as each agent's stored minute holds them
      Map<Long, long[]> counts = new HashMap<>();
      for (int p = 0; p < PHARMACIES; p++) {
        long n = DetectionTraffic.poisson(r, pharmacyRate[p]);
        calls += n;
        for (long c = 0; c < n; c++) {
          int agent = r.nextInt(AGENTS);
          int service = service(r.nextDouble());
          counts.computeIfAbsent(((long) agent * PHARMACIES + p) * SERVICES.length + service, k -> new long[1])[0]++;
        }
      }
      List<PharmacyCount> out = new ArrayList<>(counts.size());
      counts.forEach((key, n) -> {
        int service = (int) (key % SERVICES.length);
        int p = (int) (key / SERVICES.length % PHARMACIES);
        int agent = (int) (key / SERVICES.length / PHARMACIES);
        // names as the cache's reader gives them: one string per numbered pharmacy (PharmacyNumbers),
        // one per service and vendor name (SharedNames; the bench's names are constants already)
        String name = PharmacyNumbers.name(100_000 + p);
        out.add(new PharmacyCount(name, SERVICES[service], VENDORS[pharmacyVendor[p]], n[0], 0, 0));
      });
      makingNanos += cpu.getCurrentThreadCpuTime() - t0;
      return out;
    }
  }

  private static int service(double u) {
    for (int s = 0; s < SERVICES.length; s++) {
      u -= SERVICE_SHARE[s];
      if (u < 0) return s;
    }
    return SERVICES.length - 1;
  }
}
