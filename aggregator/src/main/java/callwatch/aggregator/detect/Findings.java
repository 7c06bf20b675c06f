package callwatch.aggregator.detect;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The detector's open alerts by fingerprint, and what changed in this tick. A condition found
 * again while its alert is open (after a takeover, the new detector's warm-up finds it anew) goes
 * on under the same alert: one alert per condition. Pure.
 */
final class Findings {
  private final Map<String, Alert> open = new HashMap<>();
  private final List<Alert> changes = new ArrayList<>();
  private final long lateSeconds;
  private long wallMillis;

  Findings(long lateSeconds) {
    this.lateSeconds = lateSeconds;
  }

  void tick(long wallMillis) {
    this.wallMillis = wallMillis;
  }

  /** A new finding, or the open alert of the same condition. {@code since}, {@code now}: event seconds. */
  Alert fire(String kind, Map<String, String> subject, long since, long now) {
    Alert a = new Alert(kind, ordered(subject));
    Alert known = open.get(a.fingerprint());
    if (known != null) return known;
    a.since = Math.min(since, now);
    a.firedAt = now;
    a.firedAtWallMillis = wallMillis;
    a.late = wallMillis / 1000 - now > lateSeconds;
    a.id = Integer.toHexString(a.fingerprint().hashCode()) + "-" + a.since;
    open.put(a.fingerprint(), a);
    changes.add(a);
    return a;
  }

  /** Resolves an open alert at event time {@code at}; returns null for the owner's field. */
  Alert resolve(Alert a, long at) {
    if (a == null || !a.firing()) return null;
    a.state = Alert.RESOLVED;
    a.resolvedAt = Math.max(at, a.firedAt);
    open.remove(a.fingerprint());
    changes.add(a);
    return null;
  }

  /** Alerts found by an earlier detector (another member's): their conditions go on under them. */
  void adopt(Alert a) {
    if (a.firing()) open.put(a.fingerprint(), a);
  }

  Map<String, Alert> open() {
    return open;
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
