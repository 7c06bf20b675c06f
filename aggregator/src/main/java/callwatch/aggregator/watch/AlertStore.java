package callwatch.aggregator.watch;

import callwatch.aggregator.detect.Alert;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The alerts in the cluster's store ({@link #MAP}, with the cache's backups): one entry per alert
 * id, as JSON text, replaced at each change, kept {@link #KEEP_DAYS} days. Blocking.
 */
public final class AlertStore {
  public static final String MAP = "callwatch.alerts";
  public static final int KEEP_DAYS = 35;
  /** An API answer holds at most this many alerts (the newest). */
  public static final int MAX_ANSWER = 1000;
  private final IMap<String, String> alerts;

  private final AlertIds ids;

  public AlertStore(HazelcastInstance hz) {
    this.alerts = hz.getMap(MAP);
    this.ids = AlertIds.of(hz);
  }

  /** The ids partners see. */
  public AlertIds ids() {
    return ids;
  }

  /**
   * The detector's version of an alert: what operators added (acknowledgement, transitions) is
   * kept, and the change is appended to its transitions. Under the entry's lock, so an
   * acknowledgement at the same moment is not lost. Returns the stored alert.
   */
  public JsonObject putBlocking(Alert a) {
    alerts.lock(a.id);
    try {
      JsonObject now = AlertJson.of(a);
      String old = alerts.get(a.id);
      JsonObject before = old == null ? new JsonObject() : new JsonObject(old);
      for (String k : LIFECYCLE) if (before.containsKey(k)) now.put(k, before.getValue(k));
      if (Alert.RESOLVED.equals(before.getString("state")) && before.getString("resolvedBy") != null) {
        return before; // resolved by an operator: the detector does not open it again under this id
      }
      JsonArray transitions = now.getJsonArray("transitions", new JsonArray());
      if (!a.state.equals(before.getString("state"))) {
        transitions.add(new JsonObject().put("at", System.currentTimeMillis()).put("state", a.state).put("by", "detection")
            .put("why", a.reason));
      }
      now.put("transitions", transitions);
      alerts.set(a.id, now.encode());
      return now;
    } finally {
      alerts.unlock(a.id);
    }
  }

  /** What operators add to an alert, kept when the detector updates it. */
  private static final List<String> LIFECYCLE = List.of("acknowledgedBy", "acknowledgedAt", "note", "transitions", "resolvedBy", "silencedBy");

  /** The outcome of an operator's change: the alert after it, or why not (404 unknown, 409 not possible in its state). */
  public record Change(JsonObject alert, int status, String error) {}

  /** An operator acknowledges a firing alert, with a note. */
  public Change acknowledgeBlocking(String id, String user, String note) {
    return operatorChange(id, user, note, "acknowledged");
  }

  /** An operator resolves an alert by hand (the condition is known to be over). */
  public Change resolveBlocking(String id, String user, String note) {
    return operatorChange(id, user, note, Alert.RESOLVED);
  }

  private Change operatorChange(String id, String user, String note, String what) {
    alerts.lock(id);
    try {
      String old = alerts.get(id);
      if (old == null) return new Change(null, 404, "no alert " + id);
      JsonObject a = new JsonObject(old);
      if (!Alert.FIRING.equals(a.getString("state"))) return new Change(a, 409, "the alert is " + a.getString("state") + " already");
      long now = System.currentTimeMillis();
      if (what.equals(Alert.RESOLVED)) {
        a.put("state", Alert.RESOLVED).put("resolvedAt", now / 1000).put("resolvedBy", user);
      } else {
        if (a.getString("acknowledgedBy") != null) return new Change(a, 409, "acknowledged already by " + a.getString("acknowledgedBy"));
        a.put("acknowledgedBy", user).put("acknowledgedAt", now).put("note", note);
      }
      a.put("transitions", a.getJsonArray("transitions", new JsonArray())
          .add(new JsonObject().put("at", now).put("state", what).put("by", user).put("why", note)));
      alerts.set(id, a.encode());
      return new Change(a, 200, null);
    } finally {
      alerts.unlock(id);
    }
  }

  /** Marks an alert as silenced (it is recorded and shown, not sent); returns it. */
  public JsonObject silenceBlocking(String id, String silence) {
    alerts.lock(id);
    try {
      String v = alerts.get(id);
      if (v == null) return null;
      JsonObject a = new JsonObject(v).put("silencedBy", silence);
      alerts.set(id, a.encode());
      return a;
    } finally {
      alerts.unlock(id);
    }
  }

  public JsonObject getBlocking(String id) {
    String v = alerts.get(id);
    return v == null ? null : new JsonObject(v);
  }

  /** Firing alerts, for a detector taking over. */
  public List<Alert> firingBlocking() {
    List<Alert> out = new ArrayList<>();
    for (String v : alerts.values()) {
      JsonObject o = new JsonObject(v);
      if (Alert.FIRING.equals(o.getString("state"))) out.add(AlertJson.from(o));
    }
    return out;
  }

  /**
   * Alerts whose since..resolvedAt (now, while firing) overlaps [from, to], in this state (null:
   * all), newest first, at most {@link #MAX_ANSWER}.
   */
  public List<JsonObject> listBlocking(long from, long to, String state) {
    List<JsonObject> out = new ArrayList<>();
    for (String v : alerts.values()) {
      JsonObject o = new JsonObject(v);
      if (state != null && !state.equals(o.getString("state"))) continue;
      long since = o.getLong("since", 0L);
      Long resolved = o.getLong("resolvedAt");
      long end = resolved == null ? Long.MAX_VALUE : resolved;
      if (since <= to && end >= from) out.add(o);
    }
    out.sort(Comparator.comparingLong((JsonObject o) -> o.getLong("firedAt", 0L)).reversed());
    return out.size() > MAX_ANSWER ? new ArrayList<>(out.subList(0, MAX_ANSWER)) : out;
  }
}
