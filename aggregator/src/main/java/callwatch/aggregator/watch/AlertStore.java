package callwatch.aggregator.watch;

import callwatch.aggregator.detect.Alert;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
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

  public AlertStore(HazelcastInstance hz) {
    this.alerts = hz.getMap(MAP);
  }

  public void putBlocking(Alert a) {
    alerts.set(a.id, AlertJson.of(a).encode());
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
