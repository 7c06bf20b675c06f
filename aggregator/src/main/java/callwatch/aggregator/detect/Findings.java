package callwatch.aggregator.detect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The detector's open alerts by fingerprint, and what changed in this tick. A condition found
 * again while its alert is open (after a takeover, the new detector's warm-up finds it anew) goes
 * on under the same alert: one alert per condition. A cleared condition is held down: its alert
 * resolves only once it stayed clear {@code holdDownSeconds} (event time, or wall time when the
 * agents' clock stands still); found again before, it goes on firing under the same alert. Pure.
 */
final class Findings {
  private final Map<String, Alert> open = new HashMap<>();
  private final List<Alert> changes = new ArrayList<>();
  private final long lateSeconds;
  private final long holdDownSeconds;
  private long wallMillis;
  /** Cleared conditions held down: when they cleared (event seconds, wall millis). */
  private final Map<Alert, long[]> clearing = new HashMap<>();

  Findings(long lateSeconds, long holdDownSeconds) {
    this.lateSeconds = lateSeconds;
    this.holdDownSeconds = holdDownSeconds;
  }

  void tick(long wallMillis) {
    this.wallMillis = wallMillis;
  }

  /** A new finding, or the open alert of the same condition. {@code since}, {@code now}: event seconds. */
  Alert fire(String kind, Map<String, String> subject, long since, long now) {
    Alert a = new Alert(kind, ordered(subject));
    Alert known = open.get(a.fingerprint());
    if (known != null) {
      if (clearing.remove(known) != null) known.flaps++; // back within the hold-down: the same alert goes on
      return known;
    }
    a.since = Math.min(since, now);
    a.firedAt = now;
    a.firedAtWallMillis = wallMillis;
    a.late = wallMillis / 1000 - now > lateSeconds;
    a.id = Integer.toHexString(a.fingerprint().hashCode()) + "-" + a.since;
    open.put(a.fingerprint(), a);
    changes.add(a);
    return a;
  }

  /**
   * The condition of an open alert cleared at event time {@code at}: it resolves then, once the
   * hold-down has passed ({@link #settle}). Returns null for the owner's field.
   */
  Alert resolve(Alert a, long at) {
    if (a == null || !a.firing() || clearing.containsKey(a)) return null;
    if (holdDownSeconds <= 0) {
      resolveNow(a, at);
    } else {
      clearing.put(a, new long[] {Math.max(at, a.firedAt), wallMillis});
    }
    return null;
  }

  /** Resolves the alerts whose condition stayed clear through the hold-down, by event time {@code now}. */
  void settle(long now) {
    for (var it = clearing.entrySet().iterator(); it.hasNext(); ) {
      var e = it.next();
      long[] cleared = e.getValue();
      if (now - cleared[0] >= holdDownSeconds || wallMillis - cleared[1] >= holdDownSeconds * 1000) {
        it.remove();
        resolveNow(e.getKey(), cleared[0]);
      }
    }
  }

  private void resolveNow(Alert a, long at) {
    a.state = Alert.RESOLVED;
    a.resolvedAt = Math.max(at, a.firedAt);
    open.remove(a.fingerprint());
    changes.add(a);
  }

  /** Whether the alert's condition has cleared (it waits out the hold-down). */
  boolean cleared(Alert a) {
    return clearing.containsKey(a);
  }

  /** Alerts found by an earlier detector (another member's): their conditions go on under them. */
  void adopt(Alert a) {
    if (a.firing()) open.put(a.fingerprint(), a);
  }

  /** Open alerts whose condition holds now (not those waiting out their hold-down). */
  List<Alert> active() {
    List<Alert> out = new ArrayList<>();
    for (Alert a : open.values()) if (!clearing.containsKey(a)) out.add(a);
    return out;
  }

  /** Every open alert, those waiting out their hold-down too. */
  List<Alert> all() {
    return new ArrayList<>(open.values());
  }

  List<Alert> drain() {
    List<Alert> out = new ArrayList<>();
    for (Alert a : changes) out.add(a.copy());
    changes.clear();
    return out;
  }

  private static final List<String> ORDER = List.of("service", "op", "host", "agent", "vendor", "version", "pharmacy");

  private static Map<String, String> ordered(Map<String, String> subject) {
    Map<String, String> m = new java.util.LinkedHashMap<>();
    for (String k : ORDER) if (subject.containsKey(k)) m.put(k, subject.get(k));
    return m;
  }
}
