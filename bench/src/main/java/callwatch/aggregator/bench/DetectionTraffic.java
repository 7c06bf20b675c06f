package callwatch.aggregator.bench;

import callwatch.aggregator.detect.PharmacyCount;
import callwatch.aggregator.detect.Row;
import callwatch.common.model.Metrics;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The platform's traffic for the detection bench, slot by slot: six services on four servers (one
 * agent each), two ops, four vendor versions, 5,000 pharmacies; the daily rhythm (quiet night, a
 * morning rise to the peak, a lunch dip, a long afternoon, evening on-duty pharmacies), weekdays,
 * a Saturday morning and a quiet Sunday; each day's level varies (± 8 %) and drifts within the day,
 * so the traffic is more variable than Poisson. Faults are switched on by the bench. Bench only.
 */
final class DetectionTraffic {
  static final String[] SERVICES = {"DPP", "RECIPE", "PCDH", "ASSURPHARMA", "RAOTD", "EFORMS"};
  static final double[] WEIGHTS = {0.30, 0.25, 0.15, 0.15, 0.10, 0.05};
  static final String[] OPS = {"read", "write"};
  static final String[] VENDORS = {"Corilus/4.2", "Corilus/4.3", "Officinall/3.1", "Farmad/2.9"};
  static final double[] VENDOR_SHARE = {0.3, 0.2, 0.3, 0.2};
  static final int HOSTS = 4;
  static final double[] MEDIAN_MS = {80, 120, 200, 150, 90, 300};
  static final int PHARMACIES = 5000;
  final double peakPerSecond;
  final ZoneId zone;
  private final SplittableRandom random;
  private final long seed;
  private final double[] pharmacySize = new double[PHARMACIES];
  /**
   * Calls per pharmacy visit (system property {@code bench.bunch}, default 1): a pharmacy's calls in
   * a minute come that many at a time (a dispensing's prescription, record and insurance calls), so
   * its counts vary that many times more than single Poisson calls; 1 keeps every draw of earlier runs.
   */
  private final int bunch = Integer.getInteger("bench.bunch", 1);
  /**
   * Calls per bunch at the services (system property {@code bench.serviceBunch}, default 1): each
   * server's calls of an op and vendor in a slot come that many at a time, in the same second (a
   * vendor's software that calls twice per dispensing, retries at once); 1 keeps every draw of earlier runs.
   */
  private final int serviceBunch = Integer.getInteger("bench.serviceBunch", 1);
  private double drift = 1;

  /** The faults in force, set by the bench as event time passes. */
  final Faults faults = new Faults();

  static final class Faults {
    String stalled;            // no call of this service at all
    String dropped;            // this service at dropShare
    double dropShare = 0.3;
    String silentHostService;  // this service's calls on silentHost vanish (the server is down for it)
    int silentHost = -1;
    String failingVersion;     // this vendor version fails 40 % of its calls
    String slowOp;             // "SERVICE/op" ×5 latency
    String hog;                // this pharmacy calls 1,000 an hour more
    String noContract;         // this pharmacy's calls are refused with E401
    String stoppedAgent;       // this agent sends nothing
  }

  DetectionTraffic(long seed, double peakPerSecond, ZoneId zone) {
    this.seed = seed;
    this.random = new SplittableRandom(seed);
    this.peakPerSecond = peakPerSecond;
    this.zone = zone;
    Random r = new Random(seed ^ 0x5eed);
    double sum = 0;
    for (int i = 0; i < PHARMACIES; i++) sum += pharmacySize[i] = Math.exp(r.nextGaussian() * 0.5);
    for (int i = 0; i < PHARMACIES; i++) pharmacySize[i] /= sum;
  }

  static String pharmacyId(int i) {
    return String.valueOf(100000 + i);
  }

  static int pharmacyIndex(String id) {
    return Integer.parseInt(id) - 100000;
  }

  /** A pharmacy's usual calls per hour at this moment (the day's shape and its share; the day's level and drift left out). */
  double usualPerHour(String pharmacy, long epochSeconds) {
    return peakPerSecond * shape(epochSeconds) * share(pharmacyIndex(pharmacy)) * 3600;
  }

  /** The pharmacy of median size: a typical one (about 340 calls an hour on a weekday afternoon). */
  String typicalPharmacy(int rank) {
    Integer[] order = new Integer[PHARMACIES];
    for (int i = 0; i < PHARMACIES; i++) order[i] = i;
    java.util.Arrays.sort(order, java.util.Comparator.comparingDouble(i -> pharmacySize[i]));
    return pharmacyId(order[PHARMACIES / 2 + rank]);
  }

  private double[] cumulative;

  /** A pharmacy drawn by its size ({@code u} uniform in [0, 1)): who makes a call. */
  int drawPharmacy(double u) {
    if (cumulative == null) {
      cumulative = new double[PHARMACIES];
      double sum = 0;
      for (int i = 0; i < PHARMACIES; i++) cumulative[i] = sum += pharmacySize[i];
    }
    int i = java.util.Arrays.binarySearch(cumulative, u);
    return Math.min(PHARMACIES - 1, i >= 0 ? i : -i - 1);
  }

  /** A pharmacy's share of all calls. */
  double share(int pharmacy) {
    return pharmacySize[pharmacy];
  }

  /** The shape of the day and week at this moment: 1.0 is the weekday morning peak. */
  double shape(long epochSeconds) {
    ZonedDateTime t = Instant.ofEpochSecond(epochSeconds).atZone(zone);
    double h = t.getHour() + t.getMinute() / 60.0 + t.getSecond() / 3600.0;
    double s;
    if (h < 6.5) s = 0.03;
    else if (h < 9) s = 0.03 + (h - 6.5) / 2.5 * 0.97;
    else if (h < 11.5) s = 1.0;
    else if (h < 12.5) s = 1.0 - (h - 11.5) * 0.5;
    else if (h < 13.5) s = 0.5;
    else if (h < 14) s = 0.5 + (h - 13.5) * 0.7;
    else if (h < 18) s = 0.85;
    else if (h < 20) s = 0.85 - (h - 18) / 2 * 0.75;
    else s = 0.1 - Math.min(0.07, (h - 20) * 0.02);
    DayOfWeek d = t.getDayOfWeek();
    if (d == DayOfWeek.SUNDAY) s = Math.min(s, 0.1) * 0.6;
    else if (d == DayOfWeek.SATURDAY) s = h < 13 ? s * 0.8 : Math.min(s, 0.1);
    return s;
  }

  /**
   * Calls per second of the whole platform at this moment, with the day's level (± 8 %, moving
   * smoothly from one day's noon to the next) and a slow drift within the day (± 15 %).
   */
  double rate(long epochSeconds) {
    double days = epochSeconds / 86400.0 - 0.5;
    long day = (long) Math.floor(days);
    double f = days - day;
    double level = dayLevel(day) * (1 - f) + dayLevel(day + 1) * f;
    drift = Math.min(1.15, Math.max(0.85, drift + 0.002 * random.nextDouble(-1, 1)));
    return peakPerSecond * shape(epochSeconds) * level * drift;
  }

  private double dayLevel(long day) {
    return 1 + 0.08 * new Random(seed * 31 + day).nextGaussian();
  }

  /** The rows of one 10 s slot; every agent aN carries host appN. */
  List<Row> slot(long slot) {
    double total = rate(slot + 5) * 10;
    List<Row> rows = new ArrayList<>();
    for (int s = 0; s < SERVICES.length; s++) {
      String svc = SERVICES[s];
      double svcMean = total * WEIGHTS[s];
      if (svc.equals(faults.stalled)) continue;
      if (svc.equals(faults.dropped)) svcMean *= faults.dropShare;
      for (int h = 0; h < HOSTS; h++) {
        if (svc.equals(faults.silentHostService) && h == faults.silentHost) continue;
        for (String op : OPS) {
          for (int v = 0; v < VENDORS.length; v++) {
            double mean = svcMean / HOSTS / OPS.length * VENDOR_SHARE[v];
            long calls = serviceBunch == 1 ? poisson(mean) : serviceBunch * poisson(mean / serviceBunch);
            if (calls == 0) continue;
            rows.add(new Row("a" + (h + 1), svc, op, VENDORS[v], "app" + (h + 1), vector(s, op, VENDORS[v], calls)));
          }
        }
      }
    }
    return rows;
  }

  private long[] vector(int s, String op, String vendor, long calls) {
    long[] v = new long[Metrics.SIZE];
    v[Metrics.CALLS] = calls;
    double errorShare = vendor.equals(faults.failingVersion) ? 0.4 : 0.006;
    long errors = binomial(calls, errorShare);
    long timeouts = binomial(calls - errors, 0.003);
    long e401 = binomial(calls - errors - timeouts, 0.0005);
    v[Metrics.ERROR] = errors + e401;
    v[Metrics.E401] = e401;
    v[Metrics.TIMEOUT] = timeouts;
    v[Metrics.OK] = calls - errors - e401 - timeouts;
    double[] p = buckets(s, (SERVICES[s] + "/" + op).equals(faults.slowOp));
    long left = calls - timeouts;
    double rest = 1;
    for (int b = 0; b < Metrics.HISTOGRAM_BUCKETS && left > 0; b++) {
      long n = b == Metrics.HISTOGRAM_BUCKETS - 1 ? left : binomial(left, Math.min(1, p[b] / rest));
      v[Metrics.HISTOGRAM + b] = n;
      left -= n;
      rest -= p[b];
    }
    v[Metrics.HISTOGRAM + Metrics.HISTOGRAM_BUCKETS - 1] += timeouts;
    return v;
  }

  private final double[][][] bucketShares = new double[SERVICES.length][2][];

  /** The share of calls in each latency bucket: log-normal around the service's median (× 5 when slow). */
  private double[] buckets(int s, boolean slow) {
    double[] p = bucketShares[s][slow ? 1 : 0];
    if (p != null) return p;
    p = new double[Metrics.HISTOGRAM_BUCKETS];
    double median = MEDIAN_MS[s] * (slow ? 5 : 1);
    org.apache.commons.math3.distribution.NormalDistribution z = new org.apache.commons.math3.distribution.NormalDistribution();
    double below = 0;
    for (int b = 0; b < Metrics.HISTOGRAM_BOUNDS_MS.length; b++) {
      double cdf = z.cumulativeProbability(Math.log(Metrics.HISTOGRAM_BOUNDS_MS[b] / median) / 0.5);
      p[b] = cdf - below;
      below = cdf;
    }
    p[Metrics.HISTOGRAM_BUCKETS - 1] = 1 - below;
    return bucketShares[s][slow ? 1 : 0] = p;
  }

  /** Each pharmacy's calls in one minute (only those that called). */
  List<PharmacyCount> minute(long minute) {
    double total = rate(minute + 30) * 60;
    List<PharmacyCount> out = new ArrayList<>();
    for (int i = 0; i < PHARMACIES; i++) {
      String id = pharmacyId(i);
      double mean = total * pharmacySize[i];
      if (id.equals(faults.hog)) mean = 1000 / 60.0;
      long calls = bunch * poisson(mean / bunch);
      if (calls == 0) continue;
      String vendor = VENDORS[i % VENDORS.length];
      long e401 = id.equals(faults.noContract) ? calls : binomial(calls, 0.0005);
      long errors = e401 + binomial(calls - e401, 0.006);
      out.add(new PharmacyCount(id, SERVICES[i % SERVICES.length], vendor, calls, errors, e401));
    }
    return out;
  }

  long poisson(double mean) {
    return poisson(random, mean);
  }

  /** A Poisson draw of {@code mean} (a normal one past 40). */
  static long poisson(SplittableRandom random, double mean) {
    if (mean <= 0) return 0;
    if (mean > 40) return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.nextGaussian()));
    double l = Math.exp(-mean), p = 1;
    long k = 0;
    do {
      k++;
      p *= random.nextDouble();
    } while (p > l);
    return k - 1;
  }

  long binomial(long n, double p) {
    if (n <= 0 || p <= 0) return 0;
    if (n > 50) return Math.min(n, poisson(n * p));
    long k = 0;
    for (long i = 0; i < n; i++) if (random.nextDouble() < p) k++;
    return k;
  }

  /** Each row's calls spread over the slot's ten seconds (drawn once per slot: the open slot's counts only grow). */
  long[][] spread(List<Row> rows) {
    long[][] out = new long[rows.size()][10];
    for (int r = 0; r < rows.size(); r++) {
      // bunches stay whole: each falls in one second
      long left = rows.get(r).v()[Metrics.CALLS] / serviceBunch;
      for (int sec = 0; sec < 10 && left > 0; sec++) {
        long n = sec == 9 ? left : binomial(left, 1.0 / (10 - sec));
        out[r][sec] = n * serviceBunch;
        left -= n;
      }
    }
    return out;
  }

  /** The rows as the cache holds them {@code seconds} into the slot: the calls of its first seconds. */
  static List<Row> partial(List<Row> rows, long[][] spread, int seconds) {
    List<Row> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      long c = 0;
      for (int sec = 0; sec < seconds; sec++) c += spread[i][sec];
      if (c == 0) continue;
      Row r = rows.get(i);
      long[] v = new long[Metrics.SIZE];
      v[Metrics.CALLS] = c;
      v[Metrics.OK] = c;
      v[Metrics.HISTOGRAM] = c;
      out.add(new Row(r.agent(), r.service(), r.op(), r.vendor(), r.host(), v));
    }
    return out;
  }
}
