package callwatch.aggregator.status;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * The public status on this member: what detection's tiles say (every second, over the event bus)
 * and what operators set in open incidents make each service's public state; its changes are
 * recorded in the cluster's store ({@link #HISTORY_MAP}, for the uptime); every few seconds the
 * page is rendered again from the store into memory, so a crowd costs one string each and never
 * touches the round-robin files. When the store or detection stops answering, the last page goes
 * on being served and says since when it is stale.
 */
public final class StatusBoard {
  private static final Logger LOG = Logger.getLogger(StatusBoard.class.getName());
  public static final String HISTORY_MAP = "callwatch.statusHistory";
  /** Published by whoever changes an incident: every member renders its page again at once. */
  public static final String INCIDENTS_CHANGED = "callwatch.incidents.changed";
  static final long REFRESH_MS = 5000;
  /** Detection's word is older than this: the page says it is stale. */
  static final long STALE_AFTER_SECONDS = 30;
  static final int DAYS = 90;
  private final IMap<String, String> history;
  private final IncidentStore incidents;
  private final WorkerExecutor pool;
  private final StatusPage page;
  private final ZoneId zone;
  /** Detection's public state of each service, as the tiles last said (unknown tiles leave it). */
  private final Map<String, PublicState> detected = new ConcurrentHashMap<>();
  private final Map<String, PublicState> recorded = new ConcurrentHashMap<>();
  private volatile long tilesAt;
  private volatile long storeAt;
  private volatile Rendered rendered;
  private boolean refreshing;

  /** The page as served: HTML per language, JSON, Atom. */
  public record Rendered(Map<String, String> html, String json, String atom, StatusSnapshot snapshot) {}

  /** The services the page may name (empty: all). */
  private final java.util.Set<String> shown;

  public StatusBoard(Vertx vertx, HazelcastInstance hz, IncidentStore incidents, WorkerExecutor pool, ZoneId zone, String tilesAddress,
                     List<String> publicServices) {
    this.shown = java.util.Set.copyOf(publicServices);
    this.history = hz.getMap(HISTORY_MAP);
    this.incidents = incidents;
    this.pool = pool;
    this.zone = zone;
    this.page = new StatusPage(zone);
    long now = System.currentTimeMillis() / 1000;
    this.storeAt = now;
    this.tilesAt = now;
    this.rendered = render(StatusSnapshot.empty(now));
    vertx.eventBus().<JsonObject>consumer(tilesAddress, m -> {
      for (Object o : m.body().getJsonArray("tiles", new JsonArray())) {
        JsonObject t = (JsonObject) o;
        PublicState s = PublicState.fromTile(t.getString("state"), t.getString("kind"));
        if (s != null) detected.put(t.getString("service"), s);
      }
      tilesAt = System.currentTimeMillis() / 1000;
    });
    vertx.eventBus().consumer(INCIDENTS_CHANGED, m -> refresh());
    vertx.setPeriodic(1000, REFRESH_MS, id -> refresh());
  }

  public Rendered rendered() {
    return rendered;
  }

  private void refresh() {
    if (refreshing) return;
    refreshing = true;
    long now = System.currentTimeMillis() / 1000;
    // read and rendered on the pool: the event loop only swaps the finished page in
    pool.executeBlocking(() -> render(snapshotBlocking(now)), false).onComplete(ar -> {
      refreshing = false;
      if (ar.succeeded()) {
        storeAt = now;
        rendered = ar.result();
      } else {
        // the store does not answer: the last page goes on, saying since when
        StatusSnapshot last = rendered.snapshot();
        long since = last.staleSince() > 0 ? Math.min(last.staleSince(), storeAt) : storeAt;
        rendered = render(new StatusSnapshot(last.services(), last.incidents(), last.updatedAt(), since));
        LOG.fine("status: the cluster's store did not answer: " + ar.cause());
      }
    });
  }

  private Rendered render(StatusSnapshot s) {
    Map<String, String> html = new HashMap<>();
    for (String lang : StatusText.LANGUAGES) html.put(lang, page.html(s, lang));
    return new Rendered(html, page.json(s).encode(), page.atom(s), s);
  }

  private StatusSnapshot snapshotBlocking(long now) {
    List<JsonObject> all = incidents.listBlocking(now - DAYS * 86400L);
    // what operators set in open incidents wins over detection: they know more
    Map<String, PublicState> set = new HashMap<>();
    Map<String, Map<String, String>> said = new HashMap<>();
    List<StatusSnapshot.Incident> shown = new ArrayList<>();
    for (JsonObject i : all) {
      if (i.getValue("publicState") == null && i.getJsonObject("publicMessage", new JsonObject()).isEmpty()) continue; // internal
      List<String> services = i.getJsonArray("services", new JsonArray()).stream().map(String::valueOf).filter(this::isPublic).toList();
      if (services.isEmpty()) continue; // about services the page does not name
      PublicState state = i.getString("publicState") == null ? PublicState.DEGRADED : PublicState.of(i.getString("publicState"));
      Map<String, String> message = new HashMap<>();
      i.getJsonObject("publicMessage", new JsonObject()).forEach(e -> message.put(e.getKey(), String.valueOf(e.getValue())));
      boolean open = i.getLong("closedAt") == null;
      shown.add(new StatusSnapshot.Incident(i.getString("id"), services, i.getLong("openedAt"),
          open ? 0 : i.getLong("closedAt"), state, message));
      if (!open) continue;
      for (String s : services) {
        if (i.getString("publicState") != null) set.putIfAbsent(s, state);
        said.putIfAbsent(s, message);
      }
    }
    TreeSet<String> names = new TreeSet<>(detected.keySet());
    names.addAll(set.keySet());
    names.addAll(history.keySet());
    names.removeIf(n -> !isPublic(n));
    List<StatusSnapshot.Service> services = new ArrayList<>();
    for (String name : names) {
      PublicState state = set.getOrDefault(name, detected.get(name));
      List<Uptime.Change> changes = recordBlocking(name, state, now);
      if (state == null) state = changes.isEmpty() ? PublicState.OPERATIONAL : changes.get(changes.size() - 1).state();
      List<Uptime.Day> days = Uptime.days(changes, now, DAYS, zone);
      services.add(new StatusSnapshot.Service(name, state, said.getOrDefault(name, Map.of()), days, Uptime.overall(days)));
    }
    long stale = now - tilesAt > STALE_AFTER_SECONDS ? tilesAt : 0;
    return new StatusSnapshot(services, shown, now, stale);
  }

  private boolean isPublic(String service) {
    return shown.isEmpty() || shown.contains(service);
  }

  /** Records a change of the service's public state (once across the members: under the entry's lock); returns its history. */
  private List<Uptime.Change> recordBlocking(String service, PublicState state, long now) {
    if (state != null && state != recorded.get(service)) {
      history.lock(service);
      try {
        JsonArray h = history.get(service) == null ? new JsonArray() : new JsonArray(history.get(service));
        JsonArray last = h.isEmpty() ? null : h.getJsonArray(h.size() - 1);
        if (last == null || !last.getString(1).equals(state.key())) {
          h.add(new JsonArray().add(now).add(state.key()));
          while (h.size() > 1 && h.getJsonArray(1).getLong(0) < now - (DAYS + 10) * 86400L) h.remove(0);
          history.set(service, h.encode());
        }
      } finally {
        history.unlock(service);
      }
      recorded.put(service, state);
    }
    String v = history.get(service);
    List<Uptime.Change> out = new ArrayList<>();
    if (v != null) for (Object o : new JsonArray(v)) out.add(new Uptime.Change(((JsonArray) o).getLong(0), PublicState.of(((JsonArray) o).getString(1))));
    return out;
  }
}
