package callwatch.aggregator.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.aggregator.AggregatorConfig;
import callwatch.aggregator.AggregatorNode;
import callwatch.aggregator.CallLogWriter;
import callwatch.aggregator.TestNodes;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The series API against a real node fed by a real agent: any range answers its points, gaps are
 * null, rates carry their unit, unknown names are 404 and out-of-range parameters 400 with the limit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeriesApiTest {
  private static final String SECRET = "series-secret-1";
  @TempDir static Path tmp;
  private AggregatorNode node;
  private Vertx agent;
  private CallLogWriter writer;
  /** A slot ten minutes back with calls in it, stored in the files before the tests look. */
  private long slot;

  @BeforeAll
  void start() throws Exception {
    AggregatorConfig cfg = TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5985, List.of(), Map.of("api-agent", SECRET));
    node = TestNodes.start(cfg);
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    writer = new CallLogWriter(logs.resolve("app.log"), "api-host");
    long now = System.currentTimeMillis();
    slot = Math.floorDiv(now / 1000 - 600, 10) * 10;
    writer.write(30, slot * 1000 + 1000);
    writer.write(30, slot * 1000 + 30_000);
    agent = TestNodes.startAgent(TestNodes.agentJson("api-agent", SECRET, tmp.resolve("agent"), node.port(),
        new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app"))));
    writer.write(3, now);
    TestNodes.await("the slot written to the files", Duration.ofSeconds(60), () -> {
      JsonArray agents = TestNodes.get(node.port(), "/api/agents").getJsonArray("agents");
      return !agents.isEmpty() && agents.getJsonObject(0).getLong("writtenUpTo") > slot + 60;
    });
  }

  @AfterAll
  void stop() {
    if (agent != null) agent.close().await();
    if (node != null) node.closeBlocking();
  }

  private JsonObject ok(String path) {
    HttpResponse<String> r = TestNodes.getRaw(node.port(), path);
    assertEquals(200, r.statusCode(), path + " -> " + r.body());
    return new JsonObject(r.body());
  }

  private String refused(int status, String path) {
    HttpResponse<String> r = TestNodes.getRaw(node.port(), path);
    assertEquals(status, r.statusCode(), path + " -> " + r.body());
    String error = new JsonObject(r.body()).getString("error");
    assertNotNull(error, r.body());
    return error;
  }

  @Test
  @DisplayName("a one-slot range already in the files answers its point, as does a range starting one slot before the written mark")
  void shortRangesOnDisk() {
    long dpp = writer.perSlot("DPP").getOrDefault(slot, 0L);
    assertTrue(dpp > 0);
    JsonObject one = ok("/api/series/DPP.calls?from=" + slot + "&to=" + (slot + 10));
    assertEquals(1, one.getJsonArray("points").size(), one.encode());
    assertEquals(dpp, one.getJsonArray("points").getJsonArray(0).getLong(1), one.encode());
    long written = TestNodes.get(node.port(), "/api/agents").getJsonArray("agents").getJsonObject(0).getLong("writtenUpTo");
    ok("/api/series/DPP.calls?from=" + (written - 10) + "&to=" + (written + 20));
    ok("/api/series/DPP.calls?from=" + (written - 10) + "&to=" + written);
    for (long start = slot - 20; start <= slot + 20; start += 10) {
      for (long len : new long[] {1, 10, 20, 60}) ok("/api/series/DPP.calls?from=" + start + "&to=" + (start + len));
    }
  }

  @Test
  @DisplayName("counts as a rate: per=min is calls per minute at every step, and the answer names the unit and the window's totals")
  void ratesWithUnits() {
    long dpp = writer.perSlot("DPP").getOrDefault(slot, 0L);
    JsonObject fine = ok("/api/series/DPP.calls?from=" + slot + "&to=" + (slot + 10) + "&per=min");
    assertEquals("calls/min", fine.getString("unit"));
    assertEquals(dpp * 6.0, fine.getJsonArray("points").getJsonArray(0).getDouble(1), 1e-9);
    JsonObject perSecond = ok("/api/series/DPP.calls?from=" + slot + "&to=" + (slot + 10) + "&per=s");
    assertEquals("calls/s", perSecond.getString("unit"));
    assertEquals(dpp / 10.0, perSecond.getJsonArray("points").getJsonArray(0).getDouble(1), 1e-9);
    long minute = Math.floorDiv(slot, 60) * 60;
    JsonObject coarse = ok("/api/series/DPP.calls?from=" + minute + "&to=" + (minute + 60) + "&step=60&per=min");
    assertEquals(60, coarse.getLong("step"));
    long inMinute = writer.perSlot("DPP").subMap(minute, minute + 60).values().stream().mapToLong(Long::longValue).sum();
    assertEquals((double) inMinute, coarse.getJsonArray("points").getJsonArray(0).getDouble(1), 1e-9);
    assertEquals(inMinute, coarse.getJsonObject("totals").getLong("calls"), coarse.encode());
    JsonObject pct = ok("/api/series/DPP.errorrate?from=-1h&per=min");
    assertEquals("%", pct.getString("unit"));
    for (String bad : new String[] {"per=h", "per=", "per=minute"}) {
      assertTrue(refused(400, "/api/series/DPP.calls?from=-1h&" + bad).contains("'per'"), bad);
    }
  }

  @Test
  @DisplayName("no data is null, not zero, and the answer says where history starts")
  void gapsAreNull() {
    JsonObject day = ok("/api/series/DPP.calls?from=-2d&step=600");
    JsonArray points = day.getJsonArray("points");
    assertNull(points.getJsonArray(0).getValue(1), "two days ago, before the agent's first call: unknown");
    long historyStart = day.getLong("historyStart");
    assertTrue(historyStart <= slot && historyStart > slot - 3600, day.encode());
    long zeros = 0, nulls = 0;
    for (Object o : points) {
      JsonArray p = (JsonArray) o;
      if (p.getLong(0) + 600 <= historyStart) assertNull(p.getValue(1), p.encode());
      if (p.getValue(1) == null) nulls++;
      else if (p.getDouble(1) == 0) zeros++;
    }
    assertTrue(nulls > 200, "the day before the agent began is a gap: " + nulls);
    assertEquals(0, zeros, "an hour with calls is no zero");
    JsonObject fresh = ok("/api/series/*.calls?from=" + (slot - 120) + "&to=" + (slot + 120));
    assertNull(fresh.getJsonArray("points").getJsonArray(0).getValue(1), "before the agent's first slot: unknown");
    // between the two bursts the agent read on and saw no call: zero, not a gap
    JsonArray quiet = fresh.getJsonArray("points").getJsonArray(14);
    assertEquals(slot + 20, quiet.getLong(0));
    assertEquals(0L, quiet.getLong(1), fresh.encode());
  }

  @Test
  @DisplayName("an unknown service, op or host is a 404 that names the ones that exist")
  void unknownNames() {
    String svc = refused(404, "/api/series/NOPE.calls?from=-1h");
    assertTrue(svc.contains("NOPE") && svc.contains("DPP") && svc.contains("RECIPE"), svc);
    String op = refused(404, "/api/series/DPP.nope.calls?from=-1h");
    assertTrue(op.contains("op0") && op.contains("op1"), op);
    String host = refused(404, "/api/series/DPP.calls?from=-1h&host=nohost");
    assertTrue(host.contains("api-host"), host);
    refused(404, "/api/series/DPP.calls?from=-1h&agent=noagent");
    refused(404, "/graph.png?s=NOPE.calls");
    ok("/api/series/DPP.op0.calls?from=-1h&host=api-host");
  }

  @Test
  @DisplayName("every out-of-range parameter is a 400 that says the limit")
  void outOfRange() {
    assertTrue(refused(400, "/api/series/DPP.calls?shift=100y").contains("limit"));
    assertTrue(refused(400, "/api/series/DPP.calls?step=100000y").contains("limit"));
    assertTrue(refused(400, "/api/series/DPP.calls?step=7").contains("multiple of 10"));
    assertTrue(refused(400, "/api/series/DPP.calls?from=-1y&step=10").contains("5000"));
    assertTrue(refused(400, "/api/series/DPP.calls?from=-30y").contains("limit"));
    assertTrue(refused(400, "/graph.png?s=DPP.calls&range=100000y").contains("limit"));
    assertTrue(refused(400, "/graph.png?s=DPP.calls&overlay=100y").contains("limit"));
    assertTrue(refused(400, "/graph.png?s=DPP.calls&width=5000").contains("4000"));
    assertTrue(refused(400, "/graph.png?s=DPP.calls&height=abc").contains("whole number"));
    ok("/api/series/DPP.calls?from=-20y&format=vectors");
  }

  @Test
  @DisplayName("a service or op whose name holds a dot is a series like any other: by its whole name, by op, in the drill-down")
  void dottedNames() throws Exception {
    // service names come from the log lines: "eHealth.DPP" is as good a name as "DPP"
    java.time.format.DateTimeFormatter iso = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
    String at = iso.format(java.time.Instant.now().atOffset(java.time.ZoneOffset.ofHours(1)));
    StringBuilder lines = new StringBuilder();
    for (int i = 0; i < 5; i++) lines.append(at).append(" INFO [api-host] call service=eHealth.DPP op=v1.read pharmacy=1001 vendor=V status=OK code=0 ms=12\n");
    for (int i = 0; i < 3; i++) lines.append(at).append(" INFO [api-host] call service=eHealth.DPP op=consult pharmacy=1002 vendor=V status=OK code=0 ms=12\n");
    Files.writeString(tmp.resolve("logs").resolve("app.log"), lines, java.nio.file.StandardOpenOption.APPEND);
    TestNodes.await("the dotted service's calls stored", Duration.ofSeconds(30), () ->
        TestNodes.getRaw(node.port(), "/api/series/eHealth.DPP.calls?from=-5m").statusCode() == 200
            && ok("/api/series/eHealth.DPP.calls?from=-5m").getJsonObject("totals").getLong("calls") == 8);
    JsonObject byOp = ok("/api/series/eHealth.DPP.v1.read.calls?from=-5m");
    assertEquals(5, byOp.getJsonObject("totals").getLong("calls"));
    assertEquals("eHealth.DPP", byOp.getString("service"), "the answer says how the name was read");
    assertEquals("v1.read", byOp.getString("op"));
    assertEquals(3, ok("/api/series/eHealth.DPP.consult.calls?from=-5m").getJsonObject("totals").getLong("calls"));
    assertEquals(8, ok("/api/drilldown?service=eHealth.DPP&from=-5m").getLong("calls"));
    TestNodes.await("the dotted service in the catalogue once its slot is in the files", Duration.ofSeconds(120), () ->
        new JsonArray().add("consult").add("v1.read").equals(ok("/api/series").getJsonObject("ops").getJsonArray("eHealth.DPP")));
    assertEquals(8, ok("/api/series/eHealth.DPP.calls?from=-5m").getJsonObject("totals").getLong("calls"), "from the files too");
    assertTrue(refused(404, "/api/series/eHealth.DPPX.calls?from=-5m").contains("eHealth.DPP"), "the known names are listed");
    refused(404, "/api/series/eHealth.DPP.nope.calls?from=-5m");
    // a mistyped service in the drill-down is named as such, not answered with an empty table
    assertTrue(refused(404, "/api/drilldown?service=eHealth.DPPX&from=-5m").contains("eHealth.DPP"), "the known names are listed");
    assertEquals(0, ok("/api/drilldown?service=eHealth.DPP&from=-60m&to=-30m").getLong("calls"), "a known service without calls is no error");
  }

  @Test
  @DisplayName("a negative or malformed duration and an unknown format are a 400 that says what is expected, not a guess")
  void malformedParameters() {
    for (String bad : new String[] {"step=-10", "step=-10s", "shift=-1w", "step=10x", "shift=w", "step=1.5m"}) {
      String reason = refused(400, "/api/series/DPP.calls?from=-1h&" + bad);
      assertTrue(reason.contains("like 10s, 5m, 1h, 7d"), bad + ": " + reason);
      assertTrue(!reason.contains("unit '0'"), bad + ": " + reason);
    }
    assertTrue(refused(400, "/graph.png?s=DPP.calls&range=-1d").contains("like 10s, 5m, 1h, 7d"));
    String format = refused(400, "/api/series/DPP.calls?from=-1h&format=xml");
    assertTrue(format.contains("'format'") && format.contains("vectors"), format);
  }

  @Test
  @DisplayName("what a client's HTTP library would never send: broken %-escapes, a huge address or header; a 4xx with the reason (and the limit), never a 5xx")
  void rawRequests() throws Exception {
    String cookie = TestNodes.login(node.port(), TestNodes.OPERATOR, TestNodes.PASSWORD);
    String[][] table = {
        // request line, extra header, expected status, expected in the reason
        {"GET /api/series/%ZZ HTTP/1.1", "", "400", "%-escape"},
        {"GET /api/series/DPP.calls?from=%ZZ HTTP/1.1", "", "400", "%-escape"},
        {"GET /api/series/" + "a".repeat(9000) + " HTTP/1.1", "", "414", "4096"},
        {"GET /api/me HTTP/1.1", "X-Big: " + "b".repeat(17000) + "\r\n", "431", "8192"},
        {"GET /api/me HTTP/1.1", "no host", "400", "Host header"},
    };
    for (String[] row : table) {
      String host = row[1].equals("no host") ? "" : "Host: 127.0.0.1:" + node.port() + "\r\n";
      String extra = row[1].equals("no host") ? "" : row[1];
      String answer = raw(row[0] + "\r\n" + host + "Cookie: " + cookie + "\r\n" + extra + "Connection: close\r\n\r\n");
      String shown = row[0].length() > 60 ? row[0].substring(0, 60) + "…" : row[0];
      assertTrue(answer.matches("(?s)HTTP/1\\.[01] " + row[2] + " .*"), shown + " -> " + answer.lines().findFirst().orElse(""));
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      assertTrue(body.contains("\"error\"") && body.contains(row[3]), shown + " -> " + body);
    }
  }

  /** Sends the bytes as they are over a socket to the member and reads the whole answer. */
  private String raw(String request) throws java.io.IOException {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", node.port())) {
      s.setSoTimeout(10_000);
      s.getOutputStream().write(request.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      return new String(s.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  @Timeout(120)
  @DisplayName("a 20-year vectors query is capped at 5000 points and does not hold up the /live pushes")
  void bigQueriesDoNotStallLive() throws Exception {
    JsonObject big = ok("/api/series/*.calls?from=-20y&format=vectors");
    assertTrue(big.getJsonArray("points").size() <= 5000, "points: " + big.getJsonArray("points").size());
    assertEquals(5000, big.getInteger("maxPoints"));
    Vertx vertx = Vertx.vertx();
    AtomicBoolean going = new AtomicBoolean(true);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    // kept in a variable the test uses to the end: Vert.x closes a client's connections once the
    // client is garbage collected (the hub lost this browser mid-test once, in a loaded verify)
    var wsClient = vertx.createWebSocketClient();
    try {
      var ws = wsClient.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.port())
          .setURI("/live").addHeader("cookie", TestNodes.login(node.port(), TestNodes.OPERATOR, TestNodes.PASSWORD))
          .addHeader("origin", "http://127.0.0.1:" + node.port())).await();
      List<Long> arrivals = new CopyOnWriteArrayList<>();
      List<String> types = new CopyOnWriteArrayList<>(); // to read why, should pushes not come
      ws.textMessageHandler(m -> {
        arrivals.add(System.nanoTime());
        types.add(new JsonObject(m).getString("type"));
      });
      Thread traffic = new Thread(() -> {
        try {
          while (going.get()) {
            writer.write(5, System.currentTimeMillis());
            Thread.sleep(200);
          }
        } catch (Exception e) {
          throw new RuntimeException(e);
        }
      });
      traffic.start();
      try {
        TestNodes.await("live pushes", Duration.ofSeconds(60), () -> arrivals.size() >= 3);
      } catch (AssertionError e) {
        throw new AssertionError(e.getMessage() + "; arrived: " + types + "; the hub's clients " + node.hub().clients()
            + ", pushes " + node.hub().pushes() + "; agents " + TestNodes.getRaw(node.port(), "/api/agents").body(), e);
      }
      long queriesStart = System.nanoTime();
      List<java.util.concurrent.Future<?>> queries = new java.util.ArrayList<>();
      for (int i = 0; i < 4; i++) {
        queries.add(pool.submit(() -> {
          while (System.nanoTime() - queriesStart < 15_000_000_000L) {
            TestNodes.getRaw(node.port(), "/api/series/*.calls?from=-20y&format=vectors");
          }
        }));
      }
      for (var q : queries) q.get();
      going.set(false);
      traffic.join();
      long worstGap = 0;
      for (int i = 1; i < arrivals.size(); i++) {
        if (arrivals.get(i) < queriesStart) continue;
        worstGap = Math.max(worstGap, arrivals.get(i) - arrivals.get(i - 1));
      }
      assertTrue(worstGap < 10_000_000_000L, "a /live push waited " + worstGap / 1_000_000 + " ms behind the big queries");
      ws.close();
    } finally {
      going.set(false);
      pool.shutdownNow();
      wsClient.close().await();
      vertx.close().await();
    }
  }
}
