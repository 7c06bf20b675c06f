package callwatch.aggregator.watch;

import callwatch.aggregator.cluster.AgentState;
import callwatch.aggregator.cluster.LiveCache;
import callwatch.aggregator.detect.AgentClock;
import callwatch.aggregator.detect.Alert;
import callwatch.aggregator.detect.Detector;
import callwatch.aggregator.detect.Rules;
import callwatch.aggregator.detect.WeeklyProfile;
import callwatch.aggregator.query.SeriesQuery;
import com.hazelcast.core.HazelcastInstance;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Runs the {@link Detector} on one member of the cluster: the oldest (Hazelcast's member list is
 * in join order, the same on every member), so when it dies the next oldest takes over at its
 * next tick, within seconds. The new detector adopts the alerts still firing and re-learns the
 * last {@link #WARMUP_SECONDS} from the cache, so a condition that goes on keeps its alert and one
 * that ended meanwhile is resolved: never two alerts for one condition.
 *
 * <p>Every member tells the others, every {@link #HEARD_EVERY_MS}, which agents it heard from
 * (any frame, also one it had to turn away while busy): an agent is silent only if no member heard
 * it, never because the aggregator was slow to store its batches. Alert changes and the tiles go
 * to every member's browsers over the event bus.
 */
public final class DetectionService {
  private static final Logger LOG = Logger.getLogger(DetectionService.class.getName());
  public static final String ALERTS = "callwatch.alerts.changed";
  public static final String TILES = "callwatch.detect.tiles";
  /** A silence made or ended: the wallboards show the running ones. */
  public static final String SILENCES = "callwatch.silences.changed";
  static final String HEARD = "callwatch.detect.heard";
  static final long TICK_MS = 1000;
  static final long HEARD_EVERY_MS = 2000;
  static final long WARMUP_SECONDS = 15 * 60;
  static final long PROFILE_EVERY_MS = 3600_000;
  /** An agent not heard for this long is retired: it no longer counts as silent. */
  static final long RETIRED_MILLIS = 6 * 3600_000L;
  private final Vertx vertx;
  private final HazelcastInstance hz;
  private final LiveCache cache;
  private final SeriesQuery query;
  private final AlertStore store;
  private final Rules rules;
  private final WorkerExecutor pool;
  private final Map<String, Long> heardHere;
  private final Map<String, Long> heardAnywhere = new ConcurrentHashMap<>();
  private Detector detector;
  /** How many slots a round may walk through a backlog: sized by what they cost on this machine. */
  private final callwatch.aggregator.detect.WalkBudget walk = new callwatch.aggregator.detect.WalkBudget();
  private final Map<String, WeeklyProfile> profiles = new ConcurrentHashMap<>();
  private long profilesAt;
  private static final callwatch.common.log.LogLimiter FAILURES = new callwatch.common.log.LogLimiter(60_000);
  private boolean ticking;
  private volatile boolean closed;

  private final Outbox outbox;
  private final Silences silences;
  /** An alert nobody acknowledged is sent again this often (0: never). */
  private final long renotifyMillis;
  private long remindedAt;

  public DetectionService(Vertx vertx, HazelcastInstance hz, LiveCache cache, SeriesQuery query, Rules rules,
                          Map<String, Long> heardHere, Alerting alerting,
                          java.util.function.Function<JsonObject, byte[]> graph) {
    this.vertx = vertx;
    this.hz = hz;
    this.cache = cache;
    this.query = query;
    this.rules = rules;
    this.heardHere = heardHere;
    this.store = new AlertStore(hz);
    this.silences = new Silences(hz, query::serviceNamesBlocking);
    this.pool = vertx.createSharedWorkerExecutor("callwatch-detect", 1, 5, java.util.concurrent.TimeUnit.MINUTES);
    this.renotifyMillis = alerting.renotifyMinutes() * 60_000;
    this.outbox = new Outbox(vertx, hz, alerting.webhooks(), alerting.email(), graph,
        vertx.createSharedWorkerExecutor("callwatch-notify", 1, 1, java.util.concurrent.TimeUnit.MINUTES));
    vertx.eventBus().<JsonObject>consumer(HEARD, m -> m.body().forEach(e -> heardAnywhere.merge(e.getKey(), ((Number) e.getValue()).longValue(), Math::max)));
    vertx.setPeriodic(HEARD_EVERY_MS, id -> {
      if (heardHere.isEmpty()) return;
      JsonObject o = new JsonObject();
      heardHere.forEach(o::put);
      vertx.eventBus().publish(HEARD, o);
    });
    vertx.setPeriodic(TICK_MS, id -> tick());
  }

  public AlertStore store() {
    return store;
  }

  /**
   * When any member last heard from the agent (wall ms; 0 if none since this member started): also
   * while a member holds the agent's batches, so a busy aggregator never shows an agent as silent.
   */
  public long lastHeardMillis(String agentId) {
    return Math.max(heardHere.getOrDefault(agentId, 0L), heardAnywhere.getOrDefault(agentId, 0L));
  }

  public Silences silences() {
    return silences;
  }

  public Outbox outbox() {
    return outbox;
  }

  boolean leader() {
    return hz.getLifecycleService().isRunning() && hz.getCluster().getMembers().iterator().next().localMember();
  }

  private void tick() {
    if (ticking || closed) return;
    ticking = true;
    pool.executeBlocking(() -> {
      tickBlocking();
      return null;
    }, false).onComplete(ar -> {
      ticking = false;
      if (ar.failed() && !closed) {
        // without the majority every round fails alike: one line a minute
        long held = FAILURES.allow("round", System.currentTimeMillis());
        if (held >= 0) {
          LOG.warning("detection round failed (it goes on every second): " + ar.cause() + callwatch.common.log.LogLimiter.heldBack(held));
        }
      }
    });
  }

  /** Set once this member has put back its disk copy of the alerts: a detector adopts what is firing only after. */
  private volatile boolean storeRestored;

  public void storeRestored() {
    storeRestored = true;
  }

  private void tickBlocking() throws Exception {
    if (!storeRestored) return;
    if (!leader()) {
      detector = null;
      return;
    }
    long now = System.currentTimeMillis();
    if (detector == null) {
      profiles.clear();
      profilesAt = 0;
      detector = new Detector(rules, profiles::get, WARMUP_SECONDS, now);
      detector.adopt(store.firingBlocking());
      LOG.info("this member runs detection for the cluster");
    }
    // hourly, in the detector's event time (a backlog moves through hours in seconds) or on the wall clock
    long eventNow = detector.clockMillis() == Long.MIN_VALUE ? now : detector.clockMillis();
    if (Math.abs(eventNow - profilesAt) >= PROFILE_EVERY_MS || profilesAt == 0) loadProfiles(eventNow, now);
    Map<String, AgentState> states = cache.agentsBlocking();
    heardHere.forEach((k, v) -> heardAnywhere.merge(k, v, Math::max));
    if (now - refusedAt >= REFUSED_EVERY_MS) {
      refused = cache.refusedBlocking(states);
      refusedAt = now;
    }
    List<AgentClock> clocks = new ArrayList<>();
    for (Map.Entry<String, AgentState> e : states.entrySet()) {
      AgentState s = e.getValue();
      // an agent whose batches are refused says hello every few seconds, but nothing of it can be seen
      long heard = callwatch.aggregator.cluster.Refusal.heard(Math.max(s.lastContactMillis, heardAnywhere.getOrDefault(e.getKey(), 0L)),
          refused.get(e.getKey()));
      if (now - heard > RETIRED_MILLIS) continue;
      clocks.add(new AgentClock(e.getKey(), s.host, s.seenUpToMillis > 0 ? s.seenUpToMillis : s.closedBefore * 1000, heard));
    }
    Detector d = detector;
    long began = System.nanoTime();
    List<Alert> changes = d.tick(now, clocks, new CacheSource(cache, states.keySet()), walk.slots());
    walk.after(d.walked(), System.nanoTime() - began);
    for (Alert a : changes) {
      JsonObject stored = store.putBlocking(a);
      if (a.firing() && stored.getString("silencedBy") == null) {
        String silence = silences.coveringBlocking(stored, now / 1000);
        if (silence != null) stored = store.silenceBlocking(a.id, silence);
      }
      vertx.eventBus().publish(ALERTS, stored);
      outbox.enqueueBlocking(stored);
      if (a.firing()) LOG.info("alert " + a.kind + " " + a.subject + (a.late ? " (late: found in a backlog)" : "") + ": " + a.reason);
      else LOG.info("alert resolved: " + a.kind + " " + a.subject);
    }
    if (renotifyMillis > 0 && now - remindedAt >= REMIND_EVERY_MS) {
      remindedAt = now;
      remindBlocking(now);
    }
    JsonArray tiles = new JsonArray();
    for (Detector.Tile t : d.tiles()) {
      tiles.add(new JsonObject().put("service", t.service()).put("state", t.state()).put("reason", t.reason()).put("sharedReason", t.sharedReason()).put("kind", t.kind())
          .put("expectedPerSecond", Double.isNaN(t.expectedPerSecond()) ? null : Math.round(t.expectedPerSecond() * 100) / 100.0));
    }
    vertx.eventBus().publish(TILES, new JsonObject().put("at", now).put("eventTime", d.clockMillis() == Long.MIN_VALUE ? null : d.clockMillis())
        .put("judgedUpTo", d.judgedUpToMillis() == Long.MIN_VALUE ? null : d.judgedUpToMillis())
        .put("tiles", tiles));
  }

  /** The agents whose batches are refused (see {@link callwatch.aggregator.cluster.Refusal}), read again this often. */
  private static final long REFUSED_EVERY_MS = 5_000;
  private Map<String, callwatch.aggregator.cluster.Refusal> refused = Map.of();
  private long refusedAt;

  /** How often the firing alerts are looked over for a reminder. */
  private static final long REMIND_EVERY_MS = 10_000;

  /**
   * A firing alert nobody acknowledged (and not silenced) is sent again every {@code renotifyMinutes}
   * after it fired: transition {@code reminder-N}. N comes from the time, so a member taking over
   * detection makes the same record and the outbox sends each reminder once.
   */
  private void remindBlocking(long now) {
    for (JsonObject a : store.listBlocking(0, Long.MAX_VALUE, Alert.FIRING)) {
      if (a.getString("acknowledgedBy") != null || a.getString("silencedBy") != null) continue;
      long n = Reminders.due(a.getLong("firedAtWallMillis", now), now, renotifyMillis);
      if (n > 0) outbox.enqueueBlocking(a, "reminder-" + n);
    }
  }

  private void loadProfiles(long eventNow, long now) {
    profilesAt = eventNow;
    java.util.Set<String> services = new java.util.TreeSet<>(detector.services());
    services.addAll(query.serviceNamesBlocking());
    Map<String, List<long[]>> outages = outagesBlocking(eventNow / 1000);
    ProfileLoader loader = new ProfileLoader(query, rules.zone(), rules.holidays(), (service, from, to) ->
        rules.inMaintenance(service, from) || rules.inMaintenance(service, to - 1)
            || outages.getOrDefault(service, List.of()).stream().anyMatch(o -> o[0] < to && o[1] >= from));
    for (String service : services) {
      try {
        WeeklyProfile p = loader.loadBlocking(service, eventNow / 1000, now / 1000);
        profiles.put(service, p);
        detector.profile(service, p);
      } catch (Exception e) {
        LOG.warning("cannot learn the usual traffic of " + service + " from its history: " + e);
      }
    }
  }

  /**
   * Each service's stalls and drops of the last week and more ({@code {since, resolvedAt}}, to the
   * end of time while firing): the times its calls were out, which its dispersion leaves out.
   */
  private Map<String, List<long[]>> outagesBlocking(long asOfSeconds) {
    Map<String, List<long[]>> out = new HashMap<>();
    for (JsonObject a : store.listBlocking(asOfSeconds - 8 * 86400L, asOfSeconds, null)) {
      String kind = a.getString("kind"), service = a.getString("service");
      if (service == null || !("stall".equals(kind) || "drop".equals(kind))) continue;
      Long resolved = a.getLong("resolvedAt");
      out.computeIfAbsent(service, s -> new ArrayList<>())
          .add(new long[] {a.getLong("since", 0L), resolved == null ? Long.MAX_VALUE : resolved});
    }
    return out;
  }

  public void close() {
    closed = true;
  }
}
