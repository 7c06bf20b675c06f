package callwatch.aggregator.bench;

import callwatch.aggregator.detect.AgentClock;
import callwatch.aggregator.detect.Alert;
import callwatch.aggregator.detect.Detector;
import callwatch.aggregator.detect.MemorySource;
import callwatch.aggregator.detect.PharmacyCount;
import callwatch.aggregator.detect.Row;
import callwatch.aggregator.detect.Rules;
import callwatch.aggregator.detect.Dispersion;
import callwatch.aggregator.detect.WeeklyProfile;
import callwatch.common.model.Metrics;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Detection on the platform's rhythm: {@code WEEKS} normal weeks, then a test week with one fault
 * of each kind, fed second by second of event time into the same {@link Detector} the aggregator
 * runs, with the slot and minute rows the live cache would hold. Each service's profile is learnt
 * anew every midnight from the 10-minute rows so far (what the round-robin files hold). Prints,
 * per fault, the time to detect and the rate expected at that moment; then every alert in the
 * normal weeks (false alarms). Bench only.
 *
 * <p>usage: DetectionBench [SEEDS=1,2,3] [WEEKS=3] [PEAK=550 calls/s]
 */
public final class DetectionBench {
  record Fault(String name, String kind, Map<String, String> subject, long start, long end, Runnable on, Runnable off,
               String service) {}

  public static void main(String[] args) {
    String[] seeds = (args.length > 0 ? args[0] : "1,2,3").split(",");
    int weeks = args.length > 1 ? Integer.parseInt(args[1]) : 3;
    double peak = args.length > 2 ? Double.parseDouble(args[2]) : 550;
    // one seed per core at a time; each run prints its report whole
    List<String> reports = java.util.Arrays.stream(seeds).parallel()
        .map(seed -> run(Long.parseLong(seed.trim()), weeks, peak)).toList();
    reports.forEach(System.out::print);
  }

  static String run(long seed, int weeks, double peak) {
    Rules rules = Rules.defaults();
    ZoneId zone = rules.zone();
    // a Monday with a daylight-saving change in the history (25 Oct 2026 ends summer time)
    LocalDate first = LocalDate.of(2026, 10, 5);
    long start = first.atStartOfDay(zone).toEpochSecond();
    long testWeek = first.plusWeeks(weeks).atStartOfDay(zone).toEpochSecond();
    long end = first.plusWeeks(weeks + 1).atStartOfDay(zone).toEpochSecond();
    DetectionTraffic traffic = new DetectionTraffic(seed, peak, zone);
    DetectionTraffic.Faults faultsOn = traffic.faults;
    List<Fault> faults = faults(traffic, testWeek, zone);
    Map<String, double[]> tenMinutes = new HashMap<>();
    int rows = (int) ((end - start) / WeeklyProfile.BIN_SECONDS);
    for (String s : DetectionTraffic.SERVICES) {
      double[] r = new double[rows];
      java.util.Arrays.fill(r, Double.NaN);
      tenMinutes.put(s, r);
    }
    // each service's last hours of 10 s slots, oldest first from the ring's next index: what the member's
    // profile loader measures the dispersion on (ProfileLoader.DISPERSION_HOURS)
    int dispersionSlots = 6 * 360;
    Map<String, double[]> tenSeconds = new HashMap<>();
    for (String s : DetectionTraffic.SERVICES) {
      double[] r = new double[dispersionSlots];
      java.util.Arrays.fill(r, Double.NaN);
      tenSeconds.put(s, r);
    }
    Map<String, WeeklyProfile> profiles = new HashMap<>();
    Map<String, List<Double>> dispersions = new java.util.TreeMap<>();
    Detector detector = new Detector(rules, s -> profiles.getOrDefault(s, WeeklyProfile.empty(zone)), 0, start * 1000);
    List<Alert> alerts = new ArrayList<>();
    Map<String, Alert> byId = new HashMap<>();
    long[] agentSeen = new long[DetectionTraffic.HOSTS];
    long[] agentHeard = new long[DetectionTraffic.HOSTS];
    long begun = System.nanoTime();
    long[][] spread = new long[0][];
    List<Row> current = List.of();
    MemorySource source = new MemorySource();
    Map<Long, List<Row>> slots = source.slots;
    Map<Long, List<PharmacyCount>> minutes = source.minutes;
    Map<Long, List<PharmacyCount>> wholeMinutes = new HashMap<>();
    for (long t = start; t < end; t++) {
      for (Fault f : faults) {
        if (t == f.start()) f.on().run();
        if (t == f.end()) f.off().run();
      }
      if (t % 10 == 0) {
        List<Row> full = traffic.slot(t);
        slots.put(t, full);
        spread = traffic.spread(full);
        current = full;
        slots.remove(t - 30);
        double[] r = null;
        for (Row row : full) {
          r = tenMinutes.get(row.service());
          int i = (int) ((t - start) / WeeklyProfile.BIN_SECONDS);
          r[i] = (Double.isNaN(r[i]) ? 0 : r[i]) + row.v()[Metrics.CALLS];
        }
        for (double[] rr : tenMinutes.values()) {
          int i = (int) ((t - start) / WeeklyProfile.BIN_SECONDS);
          if (Double.isNaN(rr[i])) rr[i] = 0;
        }
        int ring = (int) ((t - start) / 10 % dispersionSlots);
        for (double[] rr : tenSeconds.values()) rr[ring] = 0;
        for (Row row : full) tenSeconds.get(row.service())[ring] += row.v()[Metrics.CALLS];
      }
      if (t % 60 == 0) {
        wholeMinutes.put(t, traffic.minute(t));
        List<PharmacyCount> closed = wholeMinutes.remove(t - 60);
        if (closed != null) minutes.put(t - 60, closed);
        minutes.remove(t - 180);
      }
      if (t % 10 == 0) {
        // the open minute as the cache holds it: the calls made so far
        long minute = t - Math.floorMod(t, 60);
        minutes.put(minute, soFar(wholeMinutes.get(minute), seed * 1_000_003L + minute, (int) (t - minute)));
      }
      if ((t - start) % 86400 == 0 && t > start) {
        // the aggregator learns its profiles from the history, hourly; the bench daily
        int upTo = (int) ((t - start) / WeeklyProfile.BIN_SECONDS);
        for (String s : DetectionTraffic.SERVICES) {
          double[] known = java.util.Arrays.copyOf(tenMinutes.get(s), upTo);
          int from = Math.max(0, upTo - 5 * 1008);
          double[] ring = tenSeconds.get(s);
          int next = (int) ((t - start) / 10 % dispersionSlots);
          double[] recent = new double[dispersionSlots];
          for (int i = 0; i < dispersionSlots; i++) recent[i] = ring[(next + i) % dispersionSlots];
          WeeklyProfile p = WeeklyProfile.learn(start + from * 600L, java.util.Arrays.copyOfRange(known, from, upTo), zone)
              .withDispersion(Dispersion.of(recent));
          dispersions.computeIfAbsent(s, k -> new ArrayList<>()).add(p.dispersion());
          profiles.put(s, p);
          detector.profile(s, p);
        }
      }
      // the open slot so far, as the cache holds it a second after the agents read it
      long slot = t - Math.floorMod(t, 10);
      List<Row> openRows = current;
      List<Row> partial = DetectionTraffic.partial(current, spread, (int) (t - slot));
      List<AgentClock> clocks = new ArrayList<>();
      for (int h = 0; h < DetectionTraffic.HOSTS; h++) {
        String agent = "a" + (h + 1);
        boolean stopped = agent.equals(faultsOn.stoppedAgent);
        if (!stopped) {
          agentSeen[h] = t * 1000;
          agentHeard[h] = t * 1000;
        }
        clocks.add(new AgentClock(agent, "app" + (h + 1), agentSeen[h], agentHeard[h]));
      }
      String stoppedAgent = faultsOn.stoppedAgent;
      if (stoppedAgent != null) {
        // a stopped agent sends nothing: its rows are not in the cache
        List<Row> before = slots.get(slot - 10);
        if (before != null) slots.put(slot - 10, before.stream().filter(r -> !r.agent().equals(stoppedAgent)).toList());
        partial = partial.stream().filter(r -> !r.agent().equals(stoppedAgent)).toList();
        openRows = openRows.stream().filter(r -> !r.agent().equals(stoppedAgent)).toList();
      }
      slots.put(slot, partial);
      for (Alert a : detector.tick(t * 1000, clocks, source)) {
        Alert known = byId.get(a.id);
        if (known == null) {
          byId.put(a.id, a);
          alerts.add(a);
        } else {
          known.state = a.state;
          known.resolvedAt = a.resolvedAt;
        }
      }
      slots.put(slot, openRows);
    }
    double seconds = (System.nanoTime() - begun) / 1e9;
    StringBuilder dispersionLines = new StringBuilder();
    dispersions.forEach((service, d) -> dispersionLines.append(String.format(Locale.ROOT,
        "dispersion of %s's last 6 h at each daily profile: %.2f to %.2f%n", service,
        d.stream().mapToDouble(Double::doubleValue).min().orElse(1), d.stream().mapToDouble(Double::doubleValue).max().orElse(1))));
    return report(seed, weeks, peak, start, testWeek, faults, alerts, traffic, seconds) + dispersionLines;
  }

  /**
   * A minute's pharmacy calls made in its first {@code elapsed} seconds: each call of a row has its
   * own second of the minute, drawn from {@code minuteSeed} and the row's place, so every look at
   * the open minute agrees with the one before (calls so far only grow) and a refused call shows
   * when it is made (the first {@code e401} of a row's calls are its refused ones, the next its
   * other errors: a row's calls come in no particular order).
   */
  static List<PharmacyCount> soFar(List<PharmacyCount> whole, long minuteSeed, int elapsed) {
    List<PharmacyCount> out = new ArrayList<>();
    if (whole == null || elapsed <= 0) return out;
    for (int r = 0; r < whole.size(); r++) {
      PharmacyCount c = whole.get(r);
      java.util.SplittableRandom seconds = new java.util.SplittableRandom(minuteSeed * 65_537L + r);
      long calls = 0, errors = 0, e401 = 0;
      for (long i = 0; i < c.calls(); i++) {
        if (seconds.nextInt(60) >= elapsed) continue;
        calls++;
        if (i < c.e401()) e401++;
        if (i < c.errors()) errors++;
      }
      if (calls > 0) out.add(new PharmacyCount(c.pharmacy(), c.service(), c.vendor(), calls, errors, e401));
    }
    return out;
  }

  static List<Fault> faults(DetectionTraffic traffic, long testWeek, ZoneId zone) {
    DetectionTraffic.Faults f = traffic.faults;
    List<Fault> out = new ArrayList<>();
    out.add(new Fault("full stall of RECIPE, 10 min, morning peak (Tue 09:30)", "stall", Map.of("service", "RECIPE"),
        at(testWeek, 1, 9, 30, zone), at(testWeek, 1, 9, 40, zone), () -> f.stalled = "RECIPE", () -> f.stalled = null, "RECIPE"));
    out.add(new Fault("full stall of DPP, 10 min, lunch (Tue 12:45)", "stall", Map.of("service", "DPP"),
        at(testWeek, 1, 12, 45, zone), at(testWeek, 1, 12, 55, zone), () -> f.stalled = "DPP", () -> f.stalled = null, "DPP"));
    out.add(new Fault("full stall of RECIPE, 10 min, evening (Tue 21:00)", "stall", Map.of("service", "RECIPE"),
        at(testWeek, 1, 21, 0, zone), at(testWeek, 1, 21, 10, zone), () -> f.stalled = "RECIPE", () -> f.stalled = null, "RECIPE"));
    out.add(new Fault("full stall of EFORMS, 10 min, evening (Tue 21:30)", "stall", Map.of("service", "EFORMS"),
        at(testWeek, 1, 21, 30, zone), at(testWeek, 1, 21, 40, zone), () -> f.stalled = "EFORMS", () -> f.stalled = null, "EFORMS"));
    out.add(new Fault("ASSURPHARMA drops to 30 %, 10 min (Wed 10:00)", "drop", Map.of("service", "ASSURPHARMA"),
        at(testWeek, 2, 10, 0, zone), at(testWeek, 2, 10, 10, zone), () -> f.dropped = "ASSURPHARMA", () -> f.dropped = null, "ASSURPHARMA"));
    out.add(new Fault("one of four servers (app3) silent for RECIPE, 20 min (Wed 15:00)", "silent-host",
        Map.of("service", "RECIPE", "host", "app3"), at(testWeek, 2, 15, 0, zone), at(testWeek, 2, 15, 20, zone), () -> {
          f.silentHostService = "RECIPE";
          f.silentHost = 2;
        }, () -> f.silentHostService = null, "RECIPE"));
    out.add(new Fault("agent a2 stopped, 10 min (Thu 10:00)", "silent-agent", Map.of("agent", "a2"),
        at(testWeek, 3, 10, 0, zone), at(testWeek, 3, 10, 10, zone), () -> f.stoppedAgent = "a2", () -> f.stoppedAgent = null, null));
    out.add(new Fault("errors of Officinall 3.1 at 40 %, 15 min (Thu 14:30)", "error-rate",
        Map.of("vendor", "Officinall", "version", "3.1"), at(testWeek, 3, 14, 30, zone), at(testWeek, 3, 14, 45, zone),
        () -> f.failingVersion = "Officinall/3.1", () -> f.failingVersion = null, null));
    out.add(new Fault("latency x5 on PCDH op read, 15 min (Fri 10:30)", "latency", Map.of("service", "PCDH", "op", "read"),
        at(testWeek, 4, 10, 30, zone), at(testWeek, 4, 10, 45, zone), () -> f.slowOp = "PCDH/read", () -> f.slowOp = null, "PCDH"));
    String hog = traffic.typicalPharmacy(0), noContract = traffic.typicalPharmacy(1);
    out.add(new Fault("a typical pharmacy calls 1,000 times an hour, 30 min (Fri 15:00)", "hog", Map.of("pharmacy", hog),
        at(testWeek, 4, 15, 0, zone), at(testWeek, 4, 15, 30, zone), () -> f.hog = hog, () -> f.hog = null, null));
    out.add(new Fault("a typical pharmacy without a contract (all E401), 1 h (Sat 09:30)", "no-contract",
        Map.of("pharmacy", noContract), at(testWeek, 5, 9, 30, zone), at(testWeek, 5, 10, 30, zone),
        () -> f.noContract = noContract, () -> f.noContract = null, null));
    return out;
  }

  static long at(long weekStart, int day, int hour, int minute, ZoneId zone) {
    return java.time.Instant.ofEpochSecond(weekStart).atZone(zone).toLocalDate().plusDays(day)
        .atTime(LocalTime.of(hour, minute)).atZone(zone).toEpochSecond();
  }

  static boolean matches(Fault f, Alert a) {
    if (!a.kind.equals(f.kind())) return false;
    for (Map.Entry<String, String> e : f.subject().entrySet()) if (!e.getValue().equals(a.subject.get(e.getKey()))) return false;
    return a.firedAt >= f.start() && a.firedAt <= f.end() + 120;
  }

  static String report(long seed, int weeks, double peak, long start, long testWeek, List<Fault> faults, List<Alert> alerts,
                     DetectionTraffic traffic, double seconds) {
    StringBuilder out = new StringBuilder();
    out.append(String.format(Locale.ROOT, "%n## seed %d: %d normal weeks + a test week, peak %.0f calls/s (run %.0f s)%n%n", seed, weeks, peak, seconds));
    out.append("| fault | detected as | time to detect | expected rate then |\n");
    out.append("| --- | --- | --- | --- |\n");
    List<Alert> explained = new ArrayList<>();
    for (Fault f : faults) {
      Alert hit = alerts.stream().filter(a -> matches(f, a)).findFirst().orElse(null);
      double rate = f.service() == null ? Double.NaN
          : traffic.peakPerSecond * traffic.shape(f.start()) * DetectionTraffic.WEIGHTS[java.util.Arrays.asList(DetectionTraffic.SERVICES).indexOf(f.service())];
      String expected = Double.isNaN(rate) ? "" : String.format(Locale.ROOT, "%.2f calls/s", rate);
      if (f.kind().equals("silent-host")) expected = String.format(Locale.ROOT, "%.2f calls/s on the server", rate / DetectionTraffic.HOSTS);
      String pharmacy = f.subject().get("pharmacy");
      if (pharmacy != null) expected = String.format(Locale.ROOT, "usually %.0f calls an hour", traffic.usualPerHour(pharmacy, f.start()));
      out.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", f.name(), hit == null ? "**missed**" : hit.kind + " " + hit.subject,
          hit == null ? "" : (hit.firedAt - f.start()) + " s", expected));
      // everything the fault explains (a stall ending with a late E401, a host silent with its agent) is not a false alarm
      for (Alert a : alerts) if (a.firedAt >= f.start() && a.firedAt <= f.end() + 300) explained.add(a);
    }
    int normal = 0, test = 0;
    out.append("\n");
    for (Alert a : alerts) {
      if (explained.contains(a)) continue;
      if (a.firedAt < testWeek) normal++;
      else test++;
      out.append(String.format(Locale.ROOT, "false alarm: %s %s fired %s (%s)%n", a.kind, a.subject,
          java.time.Instant.ofEpochSecond(a.firedAt).atZone(traffic.zone).toLocalDateTime(), a.reason));
    }
    out.append(String.format(Locale.ROOT, "false alarms: %d in the %d normal weeks, %d in the test week outside the faults%n", normal, weeks, test));
    return out.toString();
  }
}
