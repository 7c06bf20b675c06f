package callwatch.aggregator.live;

import callwatch.aggregator.auth.Role;
import callwatch.aggregator.auth.Sessions;
import callwatch.aggregator.cluster.AgentSlot;
import callwatch.aggregator.detect.Alert;
import callwatch.aggregator.watch.AlertJson;
import callwatch.aggregator.watch.DetectionService;
import callwatch.aggregator.cluster.LiveCache;
import callwatch.common.model.Metrics;
import callwatch.common.protocol.Bounds;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.logging.Logger;

/**
 * Pushes live slot totals to the browsers connected to this node. Whichever node stores a batch
 * publishes the slots it touched cluster-wide ({@link #TOUCHED}); every node, twice a second,
 * reads the current totals of those slots from the replicated cache and sends them, per service,
 * to its browsers. Totals (not deltas) make a missed or repeated message harmless. Detection's
 * tiles (every second) and alert changes reach every browser too, as its role may see them.
 * Event loop, with the cache reads on the worker pool.
 */
public final class LiveHub {
  public static final String TOUCHED = "callwatch.live.touched";
  private static final Logger LOG = Logger.getLogger(LiveHub.class.getName());
  private static final long PUSH_EVERY_MS = 500;
  /** Keeps a quiet connection from the server's idle timeout; browsers answer pings by themselves. */
  public static final long PING_EVERY_MS = 30_000;
  private final Vertx vertx;
  private final LiveCache cache;
  private final WorkerExecutor hz;
  /** The browsers connected here, with their session: an alert is sent as its role may see it. */
  private final Map<ServerWebSocket, Sessions.Session> clients = new HashMap<>();
  /** The alerts firing now, by id, as the detector published them: a browser that connects gets them at once. */
  private final Map<String, JsonObject> firing = new java.util.LinkedHashMap<>();
  private JsonObject tiles;
  private final callwatch.aggregator.watch.AlertIds ids;
  /** The same tiles as partners may read them (see {@link #forPartners}). */
  private JsonObject sharedTiles;
  private final TreeSet<Long> pending = new TreeSet<>();
  private boolean pushing;
  private long pushes;

  public LiveHub(Vertx vertx, LiveCache cache, WorkerExecutor hz, callwatch.aggregator.watch.AlertIds ids) {
    this.ids = ids;
    this.vertx = vertx;
    this.cache = cache;
    this.hz = hz;
    vertx.eventBus().<JsonObject>consumer(TOUCHED, msg -> {
      for (Object s : msg.body().getJsonArray("slots")) pending.add(((Number) s).longValue());
    });
    vertx.eventBus().<JsonObject>consumer(DetectionService.ALERTS, msg -> alert(msg.body()));
    vertx.eventBus().<JsonObject>consumer(DetectionService.TILES, msg -> {
      tiles = forOperators(msg.body());
      sharedTiles = forPartners(msg.body());
      String text = tiles.encode();
      String shared = sharedTiles.encode();
      for (Map.Entry<ServerWebSocket, Sessions.Session> c : clients.entrySet()) {
        if (!c.getKey().writeQueueFull()) c.getKey().writeTextMessage(c.getValue().role().atLeast(Role.OPERATOR) ? text : shared);
      }
    });
    vertx.eventBus().<JsonObject>consumer(DetectionService.SILENCES, msg -> {
      // only a signal: each page reads /api/silences as its role may see them
      String text = new JsonObject().put("type", "silences").encode();
      for (ServerWebSocket ws : clients.keySet()) ws.writeTextMessage(text);
    });
    vertx.setPeriodic(PUSH_EVERY_MS, id -> push());
    vertx.setPeriodic(PING_EVERY_MS, id -> {
      for (ServerWebSocket ws : clients.keySet()) if (!ws.writeQueueFull()) ws.writePing(io.vertx.core.buffer.Buffer.buffer());
    });
  }

  /** Detection's tiles with their reasons as operators read them. */
  private static JsonObject forOperators(JsonObject published) {
    JsonObject o = published.copy().put("type", "tiles");
    for (Object t : o.getJsonArray("tiles", new JsonArray())) ((JsonObject) t).remove("sharedReason");
    return o;
  }

  /** The same for partners: a reason that names a server or an agent is replaced by one that does not. */
  private static JsonObject forPartners(JsonObject published) {
    JsonObject o = published.copy().put("type", "tiles");
    for (Object t : o.getJsonArray("tiles", new JsonArray())) {
      JsonObject tile = (JsonObject) t;
      Object shared = tile.remove("sharedReason");
      tile.put("reason", shared == null ? "" : shared);
    }
    return o;
  }

  /** The alerts firing when this member started (those published later come over the event bus). */
  public void firing(java.util.List<JsonObject> alerts) {
    for (JsonObject a : alerts) firing.putIfAbsent(a.getString("id"), a);
  }

  private void alert(JsonObject a) {
    if (Alert.FIRING.equals(a.getString("state"))) firing.put(a.getString("id"), a);
    else firing.remove(a.getString("id"));
    for (Map.Entry<ServerWebSocket, Sessions.Session> c : clients.entrySet()) {
      // alerts are few and matter: sent even to a browser that is behind with the totals
      c.getKey().writeTextMessage(AlertJson.forRole(a, c.getValue().role(), ids).copy().put("type", "alert").encode());
    }
  }

  /** Closes the connections whose session no longer counts (its account removed, or given another role or password). */
  public void endSessions(java.util.function.Predicate<Sessions.Session> stillValid) {
    for (var it = clients.entrySet().iterator(); it.hasNext();) {
      var c = it.next();
      if (stillValid.test(c.getValue())) continue;
      it.remove();
      c.getKey().close((short) 4401, "the session ended: its account was changed or removed; log in again");
    }
  }

  public void add(ServerWebSocket ws, Sessions.Session session) {
    Role role = session.role();
    clients.put(ws, session);
    ws.closeHandler(v -> clients.remove(ws));
    ws.exceptionHandler(err -> clients.remove(ws));
    // Browsers only listen. Frames are counted as they come (no text handler, which would first
    // assemble a whole message in memory): a message over the bound closes the connection.
    long[] messageBytes = {0};
    ws.frameHandler(frame -> {
      if (!frame.isText() && !frame.isBinary() && !frame.isContinuation()) return; // control frames
      messageBytes[0] = (frame.isContinuation() ? messageBytes[0] : 0) + frame.binaryData().length();
      if (messageBytes[0] > Bounds.MAX_BROWSER_MESSAGE_BYTES) {
        clients.remove(ws);
        ws.close((short) 1009, "message too big: browsers may send at most " + Bounds.MAX_BROWSER_MESSAGE_BYTES + " bytes");
      }
    });
    ws.writeTextMessage(new JsonObject().put("type", "hello").put("metrics", new JsonArray(new java.util.ArrayList<>(Metrics.NAMES))).encode());
    JsonObject current = role.atLeast(Role.OPERATOR) ? tiles : sharedTiles;
    if (current != null) ws.writeTextMessage(current.encode());
    for (JsonObject a : firing.values()) ws.writeTextMessage(AlertJson.forRole(a, role, ids).copy().put("type", "alert").encode());
  }

  public int clients() {
    return clients.size();
  }

  public long pushes() {
    return pushes;
  }

  private void push() {
    if (pending.isEmpty() || pushing) return;
    if (clients.isEmpty()) {
      pending.clear();
      return;
    }
    Set<Long> slots = new LinkedHashSet<>(pending);
    pending.clear();
    pushing = true;
    hz.executeBlocking(() -> totals(slots), false).onComplete(ar -> {
      pushing = false;
      if (ar.failed()) {
        LOG.warning("cannot read live totals: " + ar.cause());
        return;
      }
      String text = ar.result().encode();
      pushes++;
      for (ServerWebSocket ws : clients.keySet()) {
        // a browser that cannot keep up skips a push; the next one carries totals, not deltas
        if (!ws.writeQueueFull()) ws.writeTextMessage(text);
      }
    });
  }

  /** Blocking: the per-service totals of the given slots, summed over all agents. */
  JsonObject totals(Set<Long> slots) {
    Set<String> agents = cache.agentsBlocking().keySet();
    Set<String> keys = new HashSet<>();
    for (String a : agents) for (long s : slots) keys.add(AgentSlot.key(a, s));
    Map<Long, Map<String, long[]>> sums = new HashMap<>();
    for (long s : slots) sums.put(s, new HashMap<>());
    cache.slotsBlocking(keys).forEach((key, slot) -> {
      long t = Long.parseLong(key.substring(key.lastIndexOf('|') + 1));
      Map<String, long[]> perService = sums.get(t);
      slot.rows.forEach((rk, v) -> Metrics.add(perService.computeIfAbsent(AgentSlot.split(rk)[0], x -> new long[Metrics.SIZE]), v));
    });
    JsonArray out = new JsonArray();
    sums.forEach((t, perService) -> {
      JsonObject services = new JsonObject();
      perService.forEach((svc, v) -> {
        JsonArray a = new JsonArray();
        for (long x : v) a.add(x);
        services.put(svc, a);
      });
      out.add(new JsonObject().put("t", t).put("services", services));
    });
    return new JsonObject().put("type", "slots").put("step", 10).put("sentAt", System.currentTimeMillis()).put("slots", out);
  }
}
