package callwatch.aggregator;

import static callwatch.aggregator.TestNodes.await;
import static callwatch.aggregator.TestNodes.total;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.common.protocol.Bounds;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * What the aggregator does with odd or hostile input from an agent's connection: each case is
 * refused with a reason, or stored exactly, and never loses what a well-behaved agent sends.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HostileInputTest {
  static final String SECRET = "hostile-secret-1";
  private static final List<String> AGENTS = List.of("good", "bad", "seq", "types", "time", "counters", "stats", "slow");
  private Path tmp;
  private AggregatorNode node;
  private Vertx vertx;

  @BeforeAll
  void start() throws java.io.IOException {
    tmp = Files.createTempDirectory("callwatch-hostile-");
    Map<String, String> agents = new HashMap<>();
    for (String a : AGENTS) agents.put(a, SECRET);
    node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5831, List.of(), agents));
    vertx = Vertx.vertx();
  }

  @AfterAll
  void stop() {
    vertx.close().await();
    node.closeBlocking();
    TestNodes.deleteTree(tmp);
  }

  private RawAgent connect(String agent) {
    return new RawAgent(vertx, node.port(), agent, SECRET);
  }

  private static void assertRefused(JsonObject answer, String reasonPart) {
    assertEquals("error", answer.getString("type"), "refused with an error frame: " + answer);
    assertTrue(answer.getString("reason").contains(reasonPart), "the reason names the problem: " + answer.getString("reason"));
  }

  @Test
  @Timeout(90)
  @DisplayName("a label too long for a file name is refused with the limit, and every other agent's history goes on being written")
  void oneBadLabelDoesNotStopHistory() {
    long slot = RawAgent.currentSlot() - 60;
    try (RawAgent bad = connect("bad"); RawAgent good = connect("good")) {
      bad.hello("bad", "e1", 0);
      bad.send(RawAgent.batch(1, slot, slot + 10, "DPP", ".".repeat(90), 3).encode());
      assertRefused(bad.next(), "longer than " + Bounds.MAX_LABEL_CHARS);
      good.hello("good", "e1", 0);
      good.send(RawAgent.batch(1, slot, slot + 10, "DPP", "register", 7).encode());
      assertEquals("ack", good.next().getString("type"));
    }
    await("the good agent's slot is in the round-robin files", Duration.ofSeconds(60),
        () -> node.writer().writtenUpTo("good") >= slot + 10);
    assertEquals(7, total(node.port(), "DPP.calls", "agent=good&from=" + (slot - 10) + "&to=" + (slot + 10)));
  }

  @Test
  @Timeout(60)
  @DisplayName("a seq that jumps past what the agent can have spooled is refused; the agent's real next batch is stored, not taken for a duplicate")
  void seqJumpIsRefused() {
    long slot = RawAgent.currentSlot() - 30;
    try (RawAgent a = connect("seq")) {
      assertEquals(0, a.hello("seq", "e1", 2));
      a.send(RawAgent.batch(1, slot, slot, "RECIPE", "x", 1).encode());
      assertEquals(false, a.next().getBoolean("duplicate"));
      a.send(RawAgent.batch(1_000_000, slot, slot, "RECIPE", "x", 1000).encode());
      assertRefused(a.next(), "jumps ahead");
    }
    try (RawAgent a = connect("seq")) {
      assertEquals(1, a.hello("seq", "e1", 3), "the refused batch did not move the agent's mark");
      a.send(RawAgent.batch(2, slot, slot, "RECIPE", "x", 2).encode());
      JsonObject ack = a.next();
      assertEquals(false, ack.getBoolean("duplicate"), "stored, not acknowledged as a duplicate: " + ack);
      a.send(RawAgent.batch(3, slot, slot, "RECIPE", "x", 4).encode());
      assertEquals(false, a.next().getBoolean("duplicate"));
    }
    assertEquals(7, total(node.port(), "RECIPE.calls", "agent=seq&from=" + (slot - 10) + "&to=" + (slot + 10)));
  }

  @Test
  @Timeout(60)
  @DisplayName("fields of the wrong type, a zero step or a batch before hello get an error frame and a close, never silence")
  void wrongTypesGetAnError() {
    long slot = RawAgent.currentSlot();
    try (RawAgent a = connect("types")) {
      a.send(new JsonObject().put("type", "hello").put("v", 2).put("agent", 5).encode());
      assertRefused(a.next(), "agent");
      assertEquals("closed", a.next().getString("type"));
    }
    try (RawAgent a = connect("types")) {
      a.send(RawAgent.batch(1, slot, slot, "DPP", "x", 1).encode());
      assertRefused(a.next(), "before hello");
    }
    String[][] cases = {
        {"step", "0"}, {"stats", "\"x\""}, {"slots", "{}"}, {"pharmacyCalls", "5"}, {"seq", "\"1\""}, {"closedBefore", "-5"}};
    for (String[] c : cases) {
      try (RawAgent a = connect("types")) {
        a.hello("types", "e1", 1);
        JsonObject b = RawAgent.batch(1, slot, slot, "DPP", "x", 1);
        b.put(c[0], new JsonObject("{\"v\":" + c[1] + "}").getValue("v"));
        a.send(b.encode());
        assertRefused(a.next(), c[0]);
      }
    }
  }

  @Test
  @Timeout(60)
  @DisplayName("slots and closedBefore outside [now - 400 days, now + 1 h] are refused with the limit; nothing moves")
  void timesOutOfBoundsAreRefused() {
    long now = System.currentTimeMillis() / 1000;
    long slot = RawAgent.currentSlot();
    Object[][] cases = {
        {0L, slot, "older than"},                       // a first batch at 1970
        {slot, 4_000_000_000_000L, "ahead"},            // closedBefore far in the future
        {slot + 20 * 3600, slot, "ahead"}};             // a slot 20 h ahead
    for (Object[] c : cases) {
      try (RawAgent a = connect("time")) {
        a.hello("time", "e1", 1);
        a.send(RawAgent.batch(1, (Long) c[0], (Long) c[1], "PCDH", "x", 5).encode());
        assertRefused(a.next(), (String) c[2]);
      }
    }
    JsonObject agent = TestNodes.agentStats(node.port(), "time");
    assertTrue(agent.getLong("closedBefore") <= now + Bounds.MAX_AHEAD_SECONDS, "closedBefore not moved: " + agent);
    assertEquals(0, agent.getLong("lastSeq"));
    // the agent comes back every few seconds and sends the same batch: the agents page must not show it as fine
    TestNodes.await("the agents page says its batches are refused, and why", java.time.Duration.ofSeconds(30), () ->
        TestNodes.agentStats(node.port(), "time").getJsonObject("refused", new JsonObject()).getString("reason", "").contains("ahead"));
    try (RawAgent a = connect("time")) {
      a.hello("time", "e1", 1);
      a.send(RawAgent.batch(1, slot - 60, slot - 50, "PCDH", "x", 5).encode());
      assertEquals("ack", a.next().getString("type"));
    }
    assertEquals(null, TestNodes.agentStats(node.port(), "time").getValue("refused"), "stored again: no longer shown as refused");
  }

  @Test
  @Timeout(60)
  @DisplayName("counters that are not whole numbers or are past the bound are refused, never wrapped or truncated")
  void overflowingCountersAreRefused() {
    long slot = RawAgent.currentSlot() - 20;
    for (String bad : new String[] {"1e300", "18446744073709551621", "3.7", "-1", "1000000000001"}) {
      try (RawAgent a = connect("counters")) {
        a.hello("counters", "e1", 1);
        String text = RawAgent.batch(1, slot, slot, "EFORMS", "x", 424242).encode().replace("424242", bad);
        a.send(text);
        assertRefused(a.next(), "whole number from 0 to " + Bounds.MAX_COUNTER);
      }
    }
    // nothing of EFORMS was stored: the service is unknown (a 404), not a series of zeros
    var r = TestNodes.getRaw(node.port(), "/api/series/EFORMS.calls?from=" + (slot - 10) + "&to=" + (slot + 10));
    assertEquals(404, r.statusCode(), r.body());
  }

  @Test
  @Timeout(60)
  @DisplayName("an agent's figures are kept within bounds: samples per file, characters per sample, files")
  void agentStatsAreBounded() {
    long slot = RawAgent.currentSlot();
    JsonArray samples = new JsonArray();
    for (int i = 0; i < 20; i++) samples.add("x".repeat(500));
    JsonArray files = new JsonArray();
    for (int i = 0; i < 300; i++) files.add(new JsonObject().put("path", "/var/log/" + i).put("samples", samples));
    try (RawAgent a = connect("stats")) {
      a.hello("stats", "e1", 1);
      JsonObject b = RawAgent.batch(1, slot, slot, "RAOTD", "x", 1);
      b.put("stats", new JsonObject().put("counters", new JsonObject().put("parsed", 1)).put("files", files));
      a.send(b.encode());
      JsonObject answer = a.next();
      assertEquals("ack", answer.getString("type"), answer.encode());
    }
    JsonObject stats = TestNodes.agentStats(node.port(), "stats").getJsonObject("stats");
    JsonArray kept = stats.getJsonArray("files");
    assertEquals(Bounds.MAX_STATS_FILES, kept.size());
    JsonArray keptSamples = kept.getJsonObject(0).getJsonArray("samples");
    assertEquals(Bounds.MAX_SAMPLES_PER_FILE, keptSamples.size());
    assertEquals(Bounds.MAX_SAMPLE_CHARS, keptSamples.getString(0).length());
  }

  @Test
  @Timeout(60)
  @DisplayName("a browser message on /live larger than a few KB closes that connection; the node goes on")
  void liveMessagesAreCapped() throws Exception {
    io.vertx.core.http.WebSocketClient client = vertx.createWebSocketClient(new io.vertx.core.http.WebSocketClientOptions().setMaxFrameSize(1 << 20));
    io.vertx.core.http.WebSocket ws = client.connect(new io.vertx.core.http.WebSocketConnectOptions().setHost("127.0.0.1")
        .setPort(node.port()).setURI("/live").addHeader("cookie", TestNodes.login(node.port(), TestNodes.PARTNER, TestNodes.PASSWORD))).await();
    java.util.concurrent.CompletableFuture<Short> closed = new java.util.concurrent.CompletableFuture<>();
    java.util.concurrent.CompletableFuture<String> first = new java.util.concurrent.CompletableFuture<>();
    ws.textMessageHandler(first::complete);
    ws.closeHandler(v -> closed.complete(ws.closeStatusCode()));
    // sent once the member has said something, as a browser sends only once the connection is open: the
    // member watches a client's frames from when it adds it to the live clients, and a frame sent at once
    // may come before (in a CI run on a loaded machine no close came within 30 s)
    assertTrue(first.get(30, java.util.concurrent.TimeUnit.SECONDS).startsWith("{"), "the member's first message");
    ws.writeTextMessage("x".repeat(600_000));
    assertEquals((short) 1009, closed.get(30, java.util.concurrent.TimeUnit.SECONDS), "closed as too big");
    assertEquals(200, TestNodes.getRaw(node.port(), "/api/health").statusCode());
    client.close();
  }

  @Test
  @Timeout(120)
  @DisplayName("a flood of year-long PNG renders gets 503 with Retry-After past the bound, and an agent's batch is still acknowledged")
  void rendersAreBoundedAndIngestGoesOn() throws Exception {
    long slot = RawAgent.currentSlot() - 20;
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(24);
    try {
      List<java.util.concurrent.Future<HttpResponse<String>>> renders = new java.util.ArrayList<>();
      for (int i = 0; i < 24; i++) {
        renders.add(pool.submit(() -> TestNodes.getRaw(node.port(), "/graph.png?s=*.calls&range=1y&overlay=1y&width=4000&height=3000")));
      }
      try (RawAgent a = connect("slow")) {
        a.hello("slow", "e1", 1);
        a.send(RawAgent.batch(1, slot, slot, "ASSURPHARMA", "x", 3).encode());
        assertEquals("ack", a.next().getString("type"), "acknowledged while renders run");
      }
      int busy = 0;
      for (var f : renders) {
        HttpResponse<String> r = f.get(100, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(r.statusCode() == 200 || r.statusCode() == 503, "200 or 503, got " + r.statusCode() + " " + r.body());
        if (r.statusCode() == 503) {
          busy++;
          assertTrue(r.headers().firstValue("retry-after").isPresent(), "503 says when to retry");
          assertTrue(r.body().contains("limit"), r.body());
        }
      }
      assertTrue(busy > 0, "some renders past the bound were turned away");
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  @Timeout(60)
  @DisplayName("health reports what the member can do")
  void healthSaysWhatTheMemberCanDo() {
    JsonObject h = TestNodes.get(node.port(), "/api/health");
    assertEquals("ok", h.getString("status"));
    assertEquals(true, h.getBoolean("quorum"));
    assertTrue(h.containsKey("unwritableSources") && h.containsKey("damagedJournalRecords"), h.encode());
    assertFalse(h.getInteger("members") < 1);
  }
}
