package callwatch.aggregator.demo;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Random;

/**
 * Believable pharmacy traffic for the demo: a daily rhythm (quiet nights, a morning peak, a lunch
 * dip, a long afternoon), six services of different weight, a few pharmacies without a contract
 * (E401), one vendor version that fails often, and one pharmacy that calls far too much. Pure;
 * one instance per thread.
 */
public final class TrafficModel {
  public static final List<String> SERVICES = List.of("DPP", "RECIPE", "PCDH", "ASSURPHARMA", "RAOTD", "EFORMS");
  private static final double[] WEIGHTS = {0.30, 0.25, 0.15, 0.15, 0.10, 0.05};
  private static final String[][] OPS = {
      {"register", "consult", "update"}, {"prescribe", "deliver", "cancel"}, {"history", "search"},
      {"check", "invoice"}, {"submit", "status"}, {"submit", "fetch"}};
  private static final long[] MEDIAN_MS = {80, 120, 200, 150, 90, 300};
  private static final String[] VENDORS = {"Corilus/4.2", "Corilus/4.3", "Officinall/3.1", "Officinall/3.2", "Sabco/7.0", "Farmad/2.9"};
  private static final ZoneId ZONE = ZoneId.of("Europe/Brussels");
  private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
  public static final String HOT_PHARMACY = "100042";
  private final Random random;
  private final double peakPerSecond;

  public TrafficModel(long seed, double peakPerSecond) {
    this.random = new Random(seed);
    this.peakPerSecond = peakPerSecond;
  }

  /** Calls per second at this moment: the daily rhythm times the peak rate. */
  public double ratePerSecond(long epochMillis) {
    ZonedDateTime t = Instant.ofEpochMilli(epochMillis).atZone(ZONE);
    double h = t.getHour() + t.getMinute() / 60.0;
    double shape;
    if (h < 6.5) shape = 0.03;
    else if (h < 9) shape = 0.03 + (h - 6.5) / 2.5 * 0.97;       // morning rise
    else if (h < 11.5) shape = 1.0;                                // morning peak
    else if (h < 12.5) shape = 1.0 - (h - 11.5) * 0.5;             // towards lunch
    else if (h < 13.5) shape = 0.5;                                 // lunch dip
    else if (h < 14) shape = 0.5 + (h - 13.5) * 0.7;
    else if (h < 18) shape = 0.85;                                  // afternoon
    else if (h < 20) shape = 0.85 - (h - 18) / 2 * 0.75;           // closing time
    else shape = 0.1 - Math.min(0.07, (h - 20) * 0.02);            // evening, on-duty pharmacies
    if (t.getDayOfWeek().getValue() == 7) shape *= 0.15;           // Sunday
    return peakPerSecond * shape;
  }

  /** One call line in the app format, at the given time, written by the given host. */
  public String line(long epochMillis, String host) {
    int s = pick();
    String service = SERVICES.get(s);
    String op = OPS[s][random.nextInt(OPS[s].length)];
    String pharmacy = random.nextDouble() < 0.04 ? HOT_PHARMACY : String.valueOf(100000 + random.nextInt(5000));
    String vendor = VENDORS[random.nextInt(VENDORS.length)];
    long ms = Math.max(3, (long) (MEDIAN_MS[s] * Math.exp(random.nextGaussian() * 0.5)));
    String status = "OK", code = "0";
    double r = random.nextDouble();
    boolean noContract = pharmacy.endsWith("113") && !pharmacy.equals(HOT_PHARMACY);
    if (noContract) {
      status = "ERROR";
      code = "E401";
    } else if (vendor.equals("Officinall/3.1") && r < 0.08) {
      status = "ERROR";
      code = "E500";
    } else if (r < 0.006) {
      status = "ERROR";
      code = "E503";
    } else if (r < 0.01) {
      status = "TIMEOUT";
      code = "E504";
      ms = 30000;
    }
    String ts = ISO.format(Instant.ofEpochMilli(epochMillis).atZone(ZONE));
    return ts + " INFO [" + host + "] call service=" + service + " op=" + op + " pharmacy=" + pharmacy
        + " vendor=" + vendor.substring(0, vendor.indexOf('/')) + " status=" + status + " code=" + code + " ms=" + ms;
  }

  private int pick() {
    double r = random.nextDouble(), acc = 0;
    for (int i = 0; i < WEIGHTS.length; i++) {
      acc += WEIGHTS[i];
      if (r < acc) return i;
    }
    return WEIGHTS.length - 1;
  }

  /** Poisson-ish: how many calls fall in {@code seconds} at this rate. */
  public int callsIn(long epochMillis, double seconds) {
    double mean = ratePerSecond(epochMillis) * seconds;
    int n = (int) mean;
    if (random.nextDouble() < mean - n) n++;
    return n;
  }
}
