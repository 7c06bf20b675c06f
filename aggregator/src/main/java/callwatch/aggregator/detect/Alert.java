package callwatch.aggregator.detect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One finding of the detector, from firing to resolved. Times are event time (the agents' clock,
 * epoch seconds) except {@code firedAtWallMillis}; a finding in a replayed backlog is {@code late}.
 * Dedup key: {@link #fingerprint()} (kind and subject): one open alert per condition. Pure data.
 */
public final class Alert {
  public static final String FIRING = "firing";
  public static final String RESOLVED = "resolved";
  public String id;
  public final String kind;
  /** service, op, host, agent, vendor, version, pharmacy: those that apply, in that order. */
  public final Map<String, String> subject;
  public String state = FIRING;
  public long since;
  public long firedAt;
  public long firedAtWallMillis;
  public long resolvedAt;
  public boolean late;
  public double expected;
  public double observed;
  public double windowSeconds;
  public double score;
  /** How often the condition came back while its end was held down: a flapping one. */
  public int flaps;
  /** What was seen, in words, for a tile and a notification: never HTML (the browser sets it as text). */
  public String reason = "";
  /**
   * What the condition looks like now, in the same kind of words, for a tile while the alert is
   * open; {@link #reason} keeps the words it was called with. Null: the same as the reason.
   */
  public String reasonNow;
  /** ok / degraded / outage: what this finding makes of its service's tile. */
  public String severity = "degraded";

  /** Every kind of alert the detector calls. */
  public static final java.util.List<String> KINDS =
      java.util.List.of("stall", "drop", "silent-host", "silent-agent", "error-rate", "latency", "hog", "no-contract");

  /** Why {@code kind} is not one of {@link #KINDS} (a typo in a silence or a route would match nothing), or null. */
  public static String kindProblem(String kind) {
    return KINDS.contains(kind) ? null : "'" + kind + "' is not a kind of alert (" + String.join(", ", KINDS) + ")";
  }

  /** Subject fields that only operators may read: a partner sees no pharmacy, server or agent. */
  public static final java.util.Set<String> OPERATORS_ONLY = java.util.Set.of("pharmacy", "host", "agent");
  /** What a partner reads instead of the reason of an alert whose subject names one of those. */
  private static final Map<String, String> PARTNER_WORDS = Map.of(
      "silent-host", "one server of the service takes no calls while the others do",
      "silent-agent", "the calls of one server cannot be seen (its agent is silent)",
      "hog", "a pharmacy calls far more than usual",
      "no-contract", "a pharmacy without a contract calls again and again");

  /** The reason as a partner may read it (see {@link #OPERATORS_ONLY}). */
  public static String sharedReason(String kind, Map<String, ?> subject, String reason) {
    for (String k : OPERATORS_ONLY) {
      if (subject.containsKey(k)) return PARTNER_WORDS.getOrDefault(kind, "details for operators only");
    }
    return reason;
  }

  public String sharedReason() {
    return sharedReason(kind, subject, reason);
  }

  public Alert(String kind, Map<String, String> subject) {
    this.kind = kind;
    this.subject = new LinkedHashMap<>(subject);
  }

  public String fingerprint() {
    StringBuilder b = new StringBuilder(kind);
    subject.forEach((k, v) -> b.append('|').append(k).append('=').append(v));
    return b.toString();
  }

  public boolean firing() {
    return FIRING.equals(state);
  }

  public String service() {
    return subject.getOrDefault("service", "");
  }

  @Override
  public String toString() {
    return kind + subject + " " + state + " since " + since + " fired " + firedAt + (late ? " late" : "") + ": " + reason;
  }

  public Alert copy() {
    Alert a = new Alert(kind, subject);
    a.id = id;
    a.state = state;
    a.since = since;
    a.firedAt = firedAt;
    a.firedAtWallMillis = firedAtWallMillis;
    a.resolvedAt = resolvedAt;
    a.late = late;
    a.expected = expected;
    a.observed = observed;
    a.windowSeconds = windowSeconds;
    a.score = score;
    a.flaps = flaps;
    a.reason = reason;
    a.reasonNow = reasonNow;
    a.severity = severity;
    return a;
  }
}
