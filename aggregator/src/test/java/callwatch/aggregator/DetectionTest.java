package callwatch.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

/**
 * Detection through the real path: a real agent tails a real file into a real aggregator; the
 * calls of one service stop; the alert comes out of /api/alerts and over a /live connection.
 */
// mostly waiting on real clocks, on ports of its own: runs beside the other test classes (junit-platform.properties)
@Execution(ExecutionMode.CONCURRENT)
class DetectionTest {
  private static final String SECRET = "detect-secret-1";
  @TempDir Path tmp;
  /** The hold-down itself is DetectorTest's: here a resolution need not wait the default minute. */
  static final Map<String, Object> SHORT_HOLD_DOWN = Map.of("detection", Map.of("holdDownSeconds", 10));
  private final List<Runnable> cleanup = new ArrayList<>();

  @AfterEach
  void stop() {
    for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).run();
  }

  private static List<JsonObject> alerts(int port, String query) {
    var r = TestNodes.getAs(port, "/api/alerts" + query, TestNodes.OPERATOR);
    assertEquals(200, r.statusCode(), r.body());
    List<JsonObject> out = new ArrayList<>();
    for (Object o : new JsonObject(r.body()).getJsonArray("alerts")) out.add((JsonObject) o);
    return out;
  }

  private static JsonObject find(List<JsonObject> alerts, String kind, String key, String value) {
    return alerts.stream().filter(a -> kind.equals(a.getString("kind")) && value.equals(a.getString(key))).findFirst().orElse(null);
  }

  @Test
  @Timeout(300)
  @DisplayName("a service whose calls stop is a stall in /api/alerts and on /live within seconds; it resolves when calls resume;"
      + " a stopped agent is a silent agent and no stall")
  void stallThroughTheRealPath() throws Exception {
    AggregatorConfig cfg = TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5988, List.of(), Map.of("det-agent", SECRET),
        SHORT_HOLD_DOWN);
    AggregatorNode node = TestNodes.start(cfg);
    cleanup.add(node::closeBlocking);
    WatchedApp app = WatchedApp.start(tmp, "det-agent", SECRET, node.port());
    cleanup.add(app::close);
    ServiceWriter writer = app.writer;

    // a browser's /live connection, as an operator
    List<JsonObject> live = new CopyOnWriteArrayList<>();
    Vertx client = Vertx.vertx();
    cleanup.add(() -> client.close().await());
    // kept in a variable the test uses to the end: Vert.x closes a client's connections once the client is garbage collected
    var wsClient = client.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 20));
    cleanup.add(() -> wsClient.close().await());
    var ws = wsClient.connect(new WebSocketConnectOptions()
        .setHost("127.0.0.1").setPort(node.port()).setURI("/live")
        .addHeader("cookie", TestNodes.login(node.port(), TestNodes.OPERATOR, TestNodes.PASSWORD))).await();
    ws.textMessageHandler(t -> live.add(new JsonObject(t)));

    try {
      TestNodes.await("DPP's tile says ok (detection knows its rate)", Duration.ofSeconds(180), () -> live.stream().anyMatch(m ->
          "tiles".equals(m.getString("type")) && m.getJsonArray("tiles").stream().anyMatch(t ->
              "DPP".equals(((JsonObject) t).getString("service")) && "ok".equals(((JsonObject) t).getString("state")))));
    } catch (AssertionError e) {
      JsonObject last = live.stream().filter(m -> "tiles".equals(m.getString("type"))).reduce((x, y) -> y).orElse(null);
      throw new AssertionError(e.getMessage() + "; the last tiles: " + last + "; agents: " + TestNodes.getAs(node.port(), "/api/agents",
          TestNodes.OPERATOR).body(), e);
    }
    assertTrue(alerts(node.port(), "").isEmpty(), "nothing fires while calls flow: " + alerts(node.port(), ""));

    long stoppedAt = System.currentTimeMillis();
    writer.flowing.remove("DPP");
    TestNodes.await("a DPP stall in /api/alerts", Duration.ofSeconds(60),
        () -> find(alerts(node.port(), "?state=firing"), "stall", "service", "DPP") != null);
    JsonObject stall = find(alerts(node.port(), "?state=firing"), "stall", "service", "DPP");
    assertEquals("firing", stall.getString("state"));
    assertFalse(stall.getBoolean("late"));
    assertNotNull(stall.getString("id"));
    assertTrue(Math.abs(stall.getLong("since") - stoppedAt / 1000) <= 12, "since " + stall.getLong("since") + " vs " + stoppedAt / 1000);
    assertTrue(stall.getLong("firedAt") >= stall.getLong("since"));
    assertTrue(stall.getLong("firedAtWallMillis") - stoppedAt < 30_000, "called " + (stall.getLong("firedAtWallMillis") - stoppedAt) + " ms after");
    JsonObject evidence = stall.getJsonObject("evidence");
    assertTrue(evidence.getDouble("expected") > 0 && evidence.getDouble("observed") == 0 && evidence.getDouble("window") > 0
        && evidence.getDouble("score") > 0, evidence.encode());
    assertTrue(stall.getString("reason").startsWith("no DPP call for "), stall.getString("reason"));
    assertEquals(Map.of("service", "DPP"), stall.getJsonObject("subject").getMap(), "the finest subject: the service, not its server");
    try {
      TestNodes.await("the alert on /live", Duration.ofSeconds(10), () -> live.stream().anyMatch(m ->
          "alert".equals(m.getString("type")) && stall.getString("id").equals(m.getString("id"))));
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + ": " + live.size() + " messages, the last: " + live.get(live.size() - 1)
          + "; alerts: " + live.stream().filter(m -> "alert".equals(m.getString("type"))).toList() + "; stall " + stall, e);
    }
    TestNodes.await("DPP's tile says outage with its reason", Duration.ofSeconds(10), () -> live.stream().anyMatch(m ->
        "tiles".equals(m.getString("type")) && m.getJsonArray("tiles").stream().anyMatch(t -> "DPP".equals(((JsonObject) t).getString("service"))
            && "outage".equals(((JsonObject) t).getString("state")) && ((JsonObject) t).getString("reason").startsWith("no DPP call"))));
    assertTrue(find(alerts(node.port(), "?state=firing"), "stall", "service", "RECIPE") == null, "RECIPE goes on");

    writer.flowing.add("DPP");
    TestNodes.await("the stall resolved", Duration.ofSeconds(150),
        () -> find(alerts(node.port(), "?state=resolved"), "stall", "service", "DPP") != null);
    JsonObject resolved = find(alerts(node.port(), "?state=resolved"), "stall", "service", "DPP");
    assertEquals(stall.getString("id"), resolved.getString("id"), "the same alert, now resolved");
    assertTrue(resolved.getLong("resolvedAt") >= resolved.getLong("firedAt"));
    assertEquals(1, alerts(node.port(), "").stream().filter(a -> "stall".equals(a.getString("kind"))).count(), "one alert for one stall");

    // the agent stops: "we cannot see", not "nobody calls"
    app.stopAgent();
    TestNodes.await("a silent agent", Duration.ofSeconds(60),
        () -> find(alerts(node.port(), "?state=firing"), "silent-agent", "agent", "det-agent") != null);
    Thread.sleep(10_000);
    List<JsonObject> after = alerts(node.port(), "?state=firing");
    assertTrue(after.stream().noneMatch(a -> Set.of("stall", "drop", "silent-host").contains(a.getString("kind"))),
        "no stall for the services a silent agent carries: " + after);

    // it comes back, says hello every 2 s, and every batch it sends is refused (its clock runs 20 h ahead):
    // nothing of it can be seen, so it stays a silent agent, never "nobody calls"
    JsonObject silent = find(after, "silent-agent", "agent", "det-agent");
    long refusingUntil = System.currentTimeMillis() + 30_000;
    while (System.currentTimeMillis() < refusingUntil) {
      try (RawAgent refused = new RawAgent(client, node.port(), "det-agent", SECRET)) {
        refused.hello("det-agent", "refused-epoch", 1);
        refused.send(RawAgent.batch(1, RawAgent.currentSlot() + 20 * 3600, RawAgent.currentSlot() + 20 * 3600 + 10, "DPP", "read", 5).encode());
        assertEquals("error", refused.next().getString("type"));
      }
      Thread.sleep(2_000);
    }
    List<JsonObject> whileRefused = alerts(node.port(), "");
    assertTrue(whileRefused.stream().noneMatch(a -> Set.of("stall", "drop", "silent-host").contains(a.getString("kind"))
            && a.getLong("firedAt") >= silent.getLong("firedAt")),
        "no stall for the services of an agent whose batches are refused: " + whileRefused);
    assertEquals("firing", find(alerts(node.port(), ""), "silent-agent", "agent", "det-agent").getString("state"),
        "an agent heard only in refused batches is still silent: " + whileRefused);

    // partners see the alerts without the agent or server
    var partner = TestNodes.getAs(node.port(), "/api/alerts?state=firing", TestNodes.PARTNER);
    assertEquals(200, partner.statusCode());
    assertFalse(partner.body().contains("det-agent"), partner.body());
    var bad = TestNodes.getAs(node.port(), "/api/alerts?state=open", TestNodes.OPERATOR);
    assertEquals(400, bad.statusCode());
    assertTrue(bad.body().contains("state must be firing or resolved"), bad.body());
  }

  @Test
  @Timeout(400)
  @DisplayName("hours of steady calls read from a file faster than detection walks them raise no stall: the cache keeps what detection has not judged")
  void backlogReadFasterThanDetectionWalksIt() throws Exception {
    AggregatorConfig cfg = TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 6003, List.of(), Map.of("det-agent", SECRET),
        Map.of("cacheWindowMinutes", 130));
    AggregatorNode node = TestNodes.start(cfg);
    cleanup.add(node::closeBlocking);
    Path logs = java.nio.file.Files.createDirectories(tmp.resolve("logs"));
    Path log = logs.resolve("app.log");
    long now = System.currentTimeMillis() / 1000 * 1000;
    long from = now - 6 * 3600_000L;
    // the backlog's first minute, so that detection has a clock at its start ...
    appendSteadyCalls(log, from, from + 60_000);
    Vertx agent = TestNodes.startAgent(TestNodes.agentJson("det-agent", SECRET, tmp.resolve("agent"), node.port(),
        new io.vertx.core.json.JsonArray().add(new JsonObject().put("glob", logs + "/*.log").put("format", "app"))));
    cleanup.add(() -> agent.close().await());
    List<JsonObject> live = live(node.port());
    TestNodes.await("detection has the backlog's start as its clock", Duration.ofSeconds(60), () -> {
      Long t = detectionTime(live);
      return t != null && t < from + 30 * 60_000L;
    });
    // ... then the rest of six hours at once (the agent reads it in seconds), and the application goes on live
    long upTo = System.currentTimeMillis();
    appendSteadyCalls(log, from + 60_000, upTo);
    ServiceWriter application = new ServiceWriter(log, "DPP", "RECIPE");
    cleanup.add(application::close);
    try {
      TestNodes.await("detection has walked the backlog", Duration.ofSeconds(240), () -> {
        Long t = detectionTime(live);
        return t != null && t >= upTo;
      });
    } catch (AssertionError e) {
      JsonObject last = live.stream().filter(m -> "tiles".equals(m.getString("type"))).reduce((x, y) -> y).orElse(null);
      throw new AssertionError(e.getMessage() + " (up to " + upTo + "); the last tiles: " + last + "; alerts: " + alerts(node.port(), ""), e);
    }
    List<JsonObject> found = alerts(node.port(), "");
    assertTrue(found.isEmpty(), "steady calls all along, so no alert: " + found);
  }

  /** The event time detection has judged up to, from the tiles it publishes on /live (null before it has a clock). */
  private Long detectionTime(List<JsonObject> live) {
    JsonObject last = null;
    for (JsonObject m : live) if ("tiles".equals(m.getString("type"))) last = m;
    return last == null ? null : last.getLong("judgedUpTo");
  }

  /** A browser's /live connection as an operator: what it receives. */
  private List<JsonObject> live(int port) {
    List<JsonObject> live = new CopyOnWriteArrayList<>();
    Vertx client = Vertx.vertx();
    cleanup.add(() -> client.close().await());
    // a backlog's pushes are large: a browser takes them whole
    var wsClient = client.createWebSocketClient(new WebSocketClientOptions().setMaxMessageSize(1 << 26).setMaxFrameSize(1 << 26));
    cleanup.add(() -> wsClient.close().await());
    var ws = wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/live")
        .addHeader("cookie", TestNodes.login(port, TestNodes.OPERATOR, TestNodes.PASSWORD))).await();
    ws.textMessageHandler(t -> live.add(new JsonObject(t)));
    return live;
  }

  /** 10 calls a second of DPP and of RECIPE, as {@link ServiceWriter} writes them live, stamped from {@code fromMillis} to {@code toMillis}. */
  private static void appendSteadyCalls(Path log, long fromMillis, long toMillis) throws java.io.IOException {
    java.time.format.DateTimeFormatter iso = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    try (var out = java.nio.file.Files.newBufferedWriter(log, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
      long n = 0;
      for (long t = fromMillis; t < toMillis; t += 200) {
        String stamp = iso.format(java.time.Instant.ofEpochMilli(t).atOffset(java.time.ZoneOffset.UTC));
        for (String svc : new String[] {"DPP", "RECIPE"}) {
          for (int i = 0; i < 2; i++, n++) {
            out.write(stamp + " INFO [app-01] call service=" + svc + " op=read pharmacy=" + (100100 + n % 50)
                + " vendor=Corilus/4.2 status=OK code=0 ms=40\n");
          }
        }
      }
    }
  }

  @Test
  @Timeout(300)
  @DisplayName("when the member running detection is killed, another goes on with the same alert: one alert for one stall, resolved once")
  void detectorTakeover() throws Exception {
    String cluster = TestNodes.uniqueClusterName();
    List<String> members = List.of("127.0.0.1:5990", "127.0.0.1:5991");
    AggregatorNode a = TestNodes.start(TestNodes.config(tmp.resolve("agg-a"), cluster, 5990, members, Map.of("det-agent", SECRET), SHORT_HOLD_DOWN));
    AggregatorNode b = TestNodes.start(TestNodes.config(tmp.resolve("agg-b"), cluster, 5991, members, Map.of("det-agent", SECRET), SHORT_HOLD_DOWN));
    AtomicBoolean aDead = new AtomicBoolean();
    cleanup.add(b::closeBlocking);
    cleanup.add(() -> {
      if (!aDead.get()) a.closeBlocking();
    });
    WatchedApp app = WatchedApp.start(tmp, "det-agent", SECRET, b.port()); // connected to b: a (the oldest) runs detection
    cleanup.add(app::close);
    ServiceWriter writer = app.writer;
    TestNodes.await("calls stored", Duration.ofSeconds(60), () -> TestNodes.total(b.port(), "DPP.calls", "from=-10m") > 100);
    Thread.sleep(70_000); // a minute of DPP's calls: detection knows its rate (there is no history yet)
    writer.flowing.remove("DPP");
    TestNodes.await("a DPP stall", Duration.ofSeconds(180), () -> find(alerts(b.port(), "?state=firing"), "stall", "service", "DPP") != null);
    String id = find(alerts(b.port(), "?state=firing"), "stall", "service", "DPP").getString("id");
    aDead.set(true);
    a.crashBlocking();
    Thread.sleep(15_000); // b runs detection now; the stall goes on
    List<JsonObject> all = alerts(b.port(), "");
    assertEquals(1, all.stream().filter(x -> "stall".equals(x.getString("kind")) && "DPP".equals(x.getString("service"))).count(),
        "one alert for the stall across the takeover: " + all);
    assertEquals("firing", find(all, "stall", "service", "DPP").getString("state"));
    assertEquals(id, find(all, "stall", "service", "DPP").getString("id"));
    writer.flowing.add("DPP");
    TestNodes.await("the same alert resolved by the new detector", Duration.ofSeconds(150), () -> {
      JsonObject r = find(alerts(b.port(), "?state=resolved"), "stall", "service", "DPP");
      return r != null && id.equals(r.getString("id"));
    });
    assertEquals(1, alerts(b.port(), "").stream().filter(x -> "stall".equals(x.getString("kind")) && "DPP".equals(x.getString("service"))).count());
  }
}
