package callwatch.aggregator.watch;

import callwatch.aggregator.web.JsonFields;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Silences: "RECIPE and PCDH from 21:00 to 21:30, the evening restart". An alert that a silence
 * covers when it fires is recorded as usual (with {@code silencedBy}) and shown, but no
 * notification goes out for it and it does not pop up. Kept in the cluster's store ({@link #MAP}).
 * Blocking.
 */
public final class Silences {
  public static final String MAP = "callwatch.silences";
  /** A silence is for a planned moment, not a way to switch alerting off: at most a month. */
  public static final long MAX_SECONDS = 31 * 86400L;
  private final IMap<String, String> silences;
  /** The services callwatch has history of (blocking): a silence may name only those, once there are any. */
  private final java.util.function.Supplier<java.util.Set<String>> knownServices;

  public Silences(HazelcastInstance hz, java.util.function.Supplier<java.util.Set<String>> knownServices) {
    this.silences = hz.getMap(MAP);
    this.knownServices = knownServices;
  }

  /** Checks and stores a new silence; throws IllegalArgumentException with the reason. */
  public JsonObject createBlocking(JsonObject in, String user, long nowSeconds) {
    List<String> services = JsonFields.names(in, "services"), hosts = JsonFields.names(in, "hosts"), kinds = JsonFields.names(in, "kinds");
    if (services.isEmpty() && hosts.isEmpty() && kinds.isEmpty()) {
      throw new IllegalArgumentException("a silence names services, hosts or kinds (a silence of everything is not allowed)");
    }
    for (String kind : kinds) {
      String problem = callwatch.aggregator.detect.Alert.kindProblem(kind);
      if (problem != null) throw new IllegalArgumentException("kinds: " + problem);
    }
    if (!services.isEmpty()) callwatch.aggregator.web.ServiceNames.requireKnown(services, knownServices.get());
    Long asked = JsonFields.whole(in, "from"), until = JsonFields.whole(in, "to");
    long from = asked == null ? nowSeconds : asked;
    if (until == null) throw new IllegalArgumentException("to (epoch seconds) is needed");
    long to = until;
    if (to <= from || to <= nowSeconds) throw new IllegalArgumentException("to must be after from and in the future");
    // not to - from: a start far in the past overflows it (and a silence from the beginning of time passed)
    if (from < to - MAX_SECONDS) throw new IllegalArgumentException("a silence lasts at most " + MAX_SECONDS / 86400 + " days");
    String note = JsonFields.text(in, "note");
    if (note != null && note.length() > 1000) throw new IllegalArgumentException("note is " + note.length() + " characters; the limit is 1000");
    JsonObject s = new JsonObject().put("id", UUID.randomUUID().toString()).put("services", new JsonArray(services))
        .put("hosts", new JsonArray(hosts)).put("kinds", new JsonArray(kinds)).put("from", from).put("to", to)
        .put("by", user).put("note", note == null ? "" : note).put("createdAt", nowSeconds);
    silences.set(s.getString("id"), s.encode(), to - nowSeconds + 86400, java.util.concurrent.TimeUnit.SECONDS);
    return s;
  }

  /** Ends a silence now (kept for the record). Null if unknown. */
  public JsonObject endBlocking(String id, long nowSeconds) {
    String v = silences.get(id);
    if (v == null) return null;
    JsonObject s = new JsonObject(v);
    if (s.getLong("to") > nowSeconds) s.put("to", nowSeconds);
    silences.set(id, s.encode(), 86400, java.util.concurrent.TimeUnit.SECONDS);
    return s;
  }

  /** The silences still running or to come. */
  public List<JsonObject> activeBlocking(long nowSeconds) {
    List<JsonObject> out = new ArrayList<>();
    for (String v : silences.values()) {
      JsonObject s = new JsonObject(v);
      if (s.getLong("to") > nowSeconds) out.add(s);
    }
    out.sort(java.util.Comparator.comparingLong(s -> s.getLong("from")));
    return out;
  }

  /** The id of a silence covering this alert now, or null. */
  public String coveringBlocking(JsonObject alert, long nowSeconds) {
    JsonObject subject = alert.getJsonObject("subject", new JsonObject());
    for (JsonObject s : activeBlocking(nowSeconds)) {
      if (s.getLong("from") > nowSeconds) continue;
      if (matches(s.getJsonArray("services"), subject.getString("service")) && matches(s.getJsonArray("hosts"), subject.getString("host"))
          && matches(s.getJsonArray("kinds"), alert.getString("kind"))) {
        return s.getString("id");
      }
    }
    return null;
  }

  private static boolean matches(JsonArray names, String value) {
    return names.isEmpty() || (value != null && names.contains(value));
  }
}
