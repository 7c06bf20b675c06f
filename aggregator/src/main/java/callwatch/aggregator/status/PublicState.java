package callwatch.aggregator.status;

import java.util.List;

/**
 * What the public status page says of a service, from best to worst, and how much of the time in
 * each counts as down for the uptime figure (the weights Atlassian Statuspage publishes: a partial
 * outage counts 30 %, degraded performance none; maintenance is left out of the time).
 */
public enum PublicState {
  OPERATIONAL(0), DEGRADED(0), PARTIAL_OUTAGE(0.3), MAJOR_OUTAGE(1), MAINTENANCE(0);

  public final double downWeight;

  PublicState(double downWeight) {
    this.downWeight = downWeight;
  }

  public String key() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static PublicState of(String key) {
    for (PublicState s : values()) if (s.key().equals(key)) return s;
    throw new IllegalArgumentException("'" + key + "' is not a state: " + String.join(", ", List.of(values()).stream().map(PublicState::key).toList()));
  }

  /** Detection's tile (ok, degraded, outage, unknown) and the kind of its worst alert; null: unknown. */
  public static PublicState fromTile(String tile, String kind) {
    return switch (tile) {
      case "ok" -> OPERATIONAL;
      case "outage" -> MAJOR_OUTAGE;
      case "degraded" -> "silent-host".equals(kind) || "drop".equals(kind) ? PARTIAL_OUTAGE : DEGRADED;
      default -> null; // we cannot see: the page keeps what it last knew, and says since when
    };
  }
}
