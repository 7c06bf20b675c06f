package callwatch.aggregator.detect;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Detection's thresholds, with the defaults documented in docs/detection.md. Evidence thresholds
 * are in nats (natural log of a likelihood ratio): 18 nats is odds of about 65 million to one.
 *
 * @param stallThreshold   evidence for "no call at all" (ρ = 0)
 * @param dropRatio        the drop the drop test looks for: calls at this share of the expected rate
 * @param dropThreshold    evidence for the drop
 * @param shareThreshold   evidence for "this server takes none of its service's calls"
 * @param errors           error-rate jumps (errors and timeouts, E401 aside)
 * @param latency          latency jumps: the share of calls slower than 1.5 × the usual p95
 * @param windowSeconds    the window of the error and latency tests (5 and 15 times as long for a subject with too few calls in it)
 * @param hogCallsPerHour  the ceiling a pharmacy's projected hourly calls must reach
 * @param hogFactor        and how far above its own usual rate (1.5: half as much again)
 * @param noContractCalls  E401 answers in 10 minutes that make a no-contract caller
 * @param noContractShare  ... when they are at least this share of its calls
 * @param silentAgentSeconds no batch from a connected-before agent for this long: silent agent
 * @param lateSeconds      a finding called this long after its event time is {@code late} (a backlog)
 * @param zone             the platform's local time (baselines, maintenance windows)
 * @param services         per-service overrides of the thresholds (by service name)
 * @param maintenance      windows that hold back stall and drop alerts for the services named
 * @param holdDownSeconds  a cleared condition is resolved only once it stayed clear this long: a
 *                         flapping service stays one alert (and one page), not one per flap
 * @param holidays         days that may look like Sundays (Belgium's public holidays by default)
 */
public record Rules(double stallThreshold, double dropRatio, double dropThreshold, double shareThreshold,
                    Jump errors, Jump latency, int windowSeconds, double hogCallsPerHour, double hogFactor,
                    long noContractCalls, double noContractShare, long silentAgentSeconds, long lateSeconds, ZoneId zone,
                    Map<String, ServiceRules> services, List<Maintenance> maintenance, long holdDownSeconds,
                    Holidays holidays) {

  /** A jump of a share: minimum calls and hits, the factor and margin over the usual share, the evidence. */
  public record Jump(long minCalls, long minHits, double factor, double margin, double threshold) {}

  /** One service's own thresholds (NaN: the default); {@code watch=false} turns its stall and drop tests off. */
  public record ServiceRules(double stallThreshold, double dropThreshold, boolean watch) {}

  /**
   * A recurring window (local time, on the days named; to &lt; from crosses midnight) in which
   * stalls and drops of the services named are expected and not alerted.
   */
  public record Maintenance(Set<String> services, Set<DayOfWeek> days, LocalTime from, LocalTime to) {
    boolean covers(String service, long epochSeconds, ZoneId zone) {
      if (!services.contains(service)) return false;
      ZonedDateTime t = Instant.ofEpochSecond(epochSeconds).atZone(zone);
      LocalTime time = t.toLocalTime();
      boolean crosses = to.isBefore(from);
      if (!crosses) return days.contains(t.getDayOfWeek()) && !time.isBefore(from) && time.isBefore(to);
      if (!time.isBefore(from)) return days.contains(t.getDayOfWeek());
      return time.isBefore(to) && days.contains(t.getDayOfWeek().minus(1));
    }
  }

  /**
   * 25 nats: the jump tests run every 10 s on every subject (services, ops, vendors, versions: about
   * 10⁸ tests in four weeks of the platform), so their evidence must be rarer than 1 in 10¹⁰.
   */
  public static final Jump DEFAULT_ERRORS = new Jump(30, 10, 3, 0.05, 25);
  public static final Jump DEFAULT_LATENCY = new Jump(30, 10, 5, 0.10, 25);

  public static Rules defaults() {
    return new Rules(18, 0.4, 25, 20, DEFAULT_ERRORS, DEFAULT_LATENCY, 60, 1000, 1.5, 3, 0.8, 20, 300,
        ZoneId.of("Europe/Brussels"), Map.of(), List.of(), 60, Holidays.belgianAnd(Set.of()));
  }

  /** These rules with other holidays. */
  public Rules withHolidays(Holidays other) {
    return new Rules(stallThreshold, dropRatio, dropThreshold, shareThreshold, errors, latency, windowSeconds, hogCallsPerHour,
        hogFactor, noContractCalls, noContractShare, silentAgentSeconds, lateSeconds, zone, services, maintenance, holdDownSeconds,
        other);
  }

  double stallThreshold(String service) {
    ServiceRules r = services.get(service);
    return r == null || Double.isNaN(r.stallThreshold()) ? stallThreshold : r.stallThreshold();
  }

  double dropThreshold(String service) {
    ServiceRules r = services.get(service);
    return r == null || Double.isNaN(r.dropThreshold()) ? dropThreshold : r.dropThreshold();
  }

  boolean watched(String service) {
    ServiceRules r = services.get(service);
    return r == null || r.watch();
  }

  /** Whether a maintenance window holds back the service's stall and drop alerts at this second. */
  public boolean inMaintenance(String service, long epochSeconds) {
    for (Maintenance m : maintenance) if (m.covers(service, epochSeconds, zone)) return true;
    return false;
  }
}
