package callwatch.aggregator.status;

import java.util.List;
import java.util.Map;

/**
 * What the public status page shows, kept in memory on every member and rendered from there: no
 * pharmacy, vendor, server, count or operator's note is ever in it. Times are epoch seconds.
 *
 * @param staleSince 0 while fresh; else when the cluster's store last answered
 */
public record StatusSnapshot(List<Service> services, List<Incident> incidents, long updatedAt, long staleSince) {
  /** A service's line: its state, the public message (by language; empty: the state's own words), its 90 days. */
  public record Service(String name, PublicState state, Map<String, String> message, List<Uptime.Day> days, Double uptime) {}

  /** An incident as the public sees it: its services, times, public state and message (never the operators' title). */
  public record Incident(String id, List<String> services, long openedAt, long closedAt, PublicState state,
                         Map<String, String> message) {}

  public static StatusSnapshot empty(long now) {
    return new StatusSnapshot(List.of(), List.of(), now, 0);
  }
}
