package callwatch.aggregator.watch;

import callwatch.aggregator.auth.Role;
import callwatch.aggregator.detect.Alert;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import java.util.Set;

/**
 * An alert as the API, {@code /live} and the cluster's store carry it, and what a partner may see
 * of it: no pharmacy, server or agent (those are the operators'), so the words are replaced too.
 */
public final class AlertJson {
  private AlertJson() {}

  public static JsonObject of(Alert a) {
    JsonObject subject = new JsonObject();
    a.subject.forEach(subject::put);
    JsonObject o = new JsonObject().put("id", a.id).put("kind", a.kind).put("state", a.state)
        .put("since", a.since).put("firedAt", a.firedAt).put("firedAtWallMillis", a.firedAtWallMillis)
        .put("resolvedAt", a.resolvedAt == 0 ? null : a.resolvedAt).put("late", a.late).put("flaps", a.flaps)
        .put("severity", a.severity).put("reason", a.reason)
        .put("evidence", new JsonObject().put("expected", a.expected).put("observed", a.observed)
            .put("window", a.windowSeconds).put("score", a.score));
    a.subject.forEach(o::put);
    return o.put("subject", subject);
  }

  public static Alert from(JsonObject o) {
    Map<String, String> subject = new java.util.LinkedHashMap<>();
    o.getJsonObject("subject", new JsonObject()).forEach(e -> subject.put(e.getKey(), String.valueOf(e.getValue())));
    Alert a = new Alert(o.getString("kind"), subject);
    a.id = o.getString("id");
    a.state = o.getString("state", Alert.FIRING);
    a.since = o.getLong("since", 0L);
    a.firedAt = o.getLong("firedAt", 0L);
    a.firedAtWallMillis = o.getLong("firedAtWallMillis", 0L);
    a.resolvedAt = o.getLong("resolvedAt") == null ? 0 : o.getLong("resolvedAt");
    a.late = o.getBoolean("late", false);
    a.flaps = o.getInteger("flaps", 0);
    a.severity = o.getString("severity", "degraded");
    a.reason = o.getString("reason", "");
    JsonObject ev = o.getJsonObject("evidence", new JsonObject());
    a.expected = ev.getDouble("expected", 0.0);
    a.observed = ev.getDouble("observed", 0.0);
    a.windowSeconds = ev.getDouble("window", 0.0);
    a.score = ev.getDouble("score", 0.0);
    return a;
  }

  /** The alert as this role may see it (a copy). */
  public static JsonObject forRole(JsonObject alert, Role role, AlertIds ids) {
    if (role.atLeast(Role.OPERATOR)) return alert;
    JsonObject o = alert.copy();
    o.put("id", ids.forPartner(o.getString("id")));
    // the operators' words (a transition's why, a note) may name what partners do not see: when and what only
    o.remove("note");
    io.vertx.core.json.JsonArray transitions = o.getJsonArray("transitions");
    if (transitions != null) {
      io.vertx.core.json.JsonArray plain = new io.vertx.core.json.JsonArray();
      for (Object t : transitions) plain.add(new JsonObject().put("at", ((JsonObject) t).getValue("at")).put("state", ((JsonObject) t).getValue("state")));
      o.put("transitions", plain);
    }
    JsonObject subject = o.getJsonObject("subject");
    o.put("reason", Alert.sharedReason(o.getString("kind"), subject.getMap(), o.getString("reason")));
    for (String k : Alert.OPERATORS_ONLY) {
      subject.remove(k);
      o.remove(k);
    }
    return o;
  }
}
