package callwatch.aggregator.watch;

import java.util.Set;

/**
 * Which alerts a channel takes: by kind (stall, drop, ...), service and severity (outage, degraded,
 * unknown). An empty set takes all; an alert without a service (a silent agent) passes a service
 * filter, because who carries the calls of the listed services cannot be told.
 */
public record AlertRoute(Set<String> kinds, Set<String> services, Set<String> severities) {
  public static final Set<String> SEVERITIES = Set.of("outage", "degraded", "unknown");
  public static final AlertRoute ALL = new AlertRoute(Set.of(), Set.of(), Set.of());

  public boolean wants(String kind, String service, String severity) {
    return (kinds.isEmpty() || kinds.contains(kind)) && (services.isEmpty() || service == null || services.contains(service))
        && (severities.isEmpty() || severities.contains(severity));
  }
}
