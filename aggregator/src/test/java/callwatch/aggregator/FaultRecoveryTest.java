package callwatch.aggregator;

import static callwatch.aggregator.TestNodes.await;
import static callwatch.aggregator.TestNodes.total;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.common.protocol.Protocol;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Faults that used to lose acknowledged calls or stop a node: each ends with every call stored once. */
class FaultRecoveryTest {
  private static final String SECRET = "fault-secret-12";
  private final List<Runnable> cleanup = new ArrayList<>();
  @TempDir Path tmp;

  @AfterEach
  void tearDown() {
    for (int i = cleanup.size() - 1; i >= 0; i--) cleanup.get(i).run();
  }

  private AggregatorConfig config(int httpPort) {
    return TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5851, List.of(), Map.of("agent-a", SECRET, "raw", SECRET))
        .withHttpPort(httpPort);
  }

  private Vertx agent(int port, Path logs, Path state) {
    JsonObject cfg = TestNodes.agentJson("agent-a", SECRET, state, port,
        new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app")));
    return agent(cfg);
  }

  private Vertx agent(JsonObject cfg) {
    Vertx v = TestNodes.startAgent(cfg);
    cleanup.add(() -> v.close().await());
    return v;
  }

  @Test
  @Timeout(120)
  @DisplayName("a batch whose JSON holds raw newlines is journalled whole: the node restarts, replays it and serves")
  void rawNewlineInABatchDoesNotStopARestart() {
    AggregatorConfig cfg = config(0);
    AggregatorNode node = TestNodes.start(cfg);
    long slot = RawAgent.currentSlot();
    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    try (RawAgent a = new RawAgent(vertx, node.port(), "raw", SECRET)) {
      a.hello("raw", "e1", 1);
      // legal JSON whitespace between every field; the slot stays open, so only the journal has it on disk
      String text = RawAgent.batch(1, slot, slot - 10, "DPP", "x", 11).encodePrettily();
      assertTrue(text.contains("\n"));
      a.send(text);
      assertEquals("ack", a.next().getString("type"));
    }
    node.crashBlocking();
    AggregatorNode again = TestNodes.start(cfg);
    cleanup.add(again::closeBlocking);
    assertEquals(11, total(again.port(), "DPP.calls", "from=" + (slot - 10) + "&to=" + (slot + 20)));
    assertEquals(0, TestNodes.get(again.port(), "/api/health").getLong("damagedJournalRecords"));
  }

  @Test
  @Timeout(180)
  @DisplayName("a server whose agent state was wiped starts a new epoch: its new calls are stored, the re-read old ones are not counted twice")
  void wipedAgentStateStartsANewEpoch() throws Exception {
    AggregatorNode node = TestNodes.start(config(0));
    cleanup.add(node::closeBlocking);
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    long start = System.currentTimeMillis() / 1000;
    Vertx first = agent(node.port(), logs, tmp.resolve("state"));
    for (int i = 0; i < 20; i++) {
      w.write(20, System.currentTimeMillis());
      Thread.sleep(20);
    }
    long lastLineSlot = System.currentTimeMillis() / 10_000 * 10;
    await("the first agent's calls are stored and their slots closed", Duration.ofSeconds(60),
        () -> TestNodes.counter(node.port(), "agent-a", "parsed") == w.written()
            && TestNodes.agentStats(node.port(), "agent-a").getLong("closedBefore") > lastLineSlot);
    long before = TestNodes.agentStats(node.port(), "agent-a").getLong("lastSeq");
    assertTrue(before > 3, "the first state sent several batches: " + before);
    first.close().await();
    TestNodes.deleteTree(tmp.resolve("state")); // a reinstalled server: same id, no state
    agent(node.port(), logs, tmp.resolve("state"));
    for (int i = 0; i < 20; i++) {
      w.write(20, System.currentTimeMillis());
      Thread.sleep(20);
    }
    await("the new epoch's agent has read every line, old and new", Duration.ofSeconds(60),
        () -> TestNodes.counter(node.port(), "agent-a", "parsed") == w.written());
    JsonObject a = TestNodes.agentStats(node.port(), "agent-a");
    assertEquals(1, a.getInteger("epochs"), "the new epoch shows on the agents page: " + a);
    assertEquals(400, a.getLong("rereadCalls"), "the first epoch's calls, read again, are not added twice");
    long end = System.currentTimeMillis() / 1000 + 20;
    for (String svc : CallLogWriter.services()) {
      assertEquals(w.written(svc), total(node.port(), svc + ".calls", "from=" + (start - 20) + "&to=" + end), svc + ": 0 lost, 0 double");
    }
  }

  @Test
  @Timeout(120)
  @DisplayName("an agent whose state folder is deleted while it runs makes it again and goes on: every call stored once")
  void deletedStateFolderIsMadeAgain() throws Exception {
    AggregatorNode node = TestNodes.start(config(0));
    cleanup.add(node::closeBlocking);
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    Path state = tmp.resolve("state");
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    agent(node.port(), logs, state);
    long start = System.currentTimeMillis() / 1000;
    w.write(60, System.currentTimeMillis());
    await("the first calls stored", Duration.ofSeconds(60),
        () -> total(node.port(), "DPP.calls", "from=" + (start - 20) + "&to=" + (start + 120)) == w.written("DPP"));
    TestNodes.deleteTree(state); // a careless clean-up of /var/lib
    for (int i = 0; i < 20; i++) {
      w.write(10, System.currentTimeMillis());
      Thread.sleep(100);
    }
    for (String svc : CallLogWriter.services()) {
      await(svc + " exact", Duration.ofSeconds(60),
          () -> total(node.port(), svc + ".calls", "from=" + (start - 20) + "&to=" + (start + 120)) == w.written(svc));
    }
    assertTrue(Files.isDirectory(state), "the state folder is there again");
  }

  @Test
  @Timeout(120)
  @DisplayName("one line stamped 10 minutes ahead (within the bound) is counted in its own slot and does not close the slots of the calls after it")
  void strayLineAheadDoesNotMoveTheClock() throws Exception {
    AggregatorNode node = TestNodes.start(config(0));
    cleanup.add(node::closeBlocking);
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    agent(node.port(), logs, tmp.resolve("state"));
    long start = System.currentTimeMillis() / 1000;
    w.write(10, System.currentTimeMillis());
    Thread.sleep(300);
    w.write(1, System.currentTimeMillis() + Duration.ofMinutes(10).toMillis()); // a clock set wrong for a moment
    for (int i = 0; i < 30; i++) {
      w.write(10, System.currentTimeMillis());
      Thread.sleep(50);
    }
    await("the agent read every line", Duration.ofSeconds(60),
        () -> TestNodes.counter(node.port(), "agent-a", "linesRead") == w.written());
    JsonObject a = TestNodes.agentStats(node.port(), "agent-a");
    assertTrue(a.getLong("closedBefore") <= System.currentTimeMillis() / 1000 + 10, "slots not closed ahead of time: " + a);
    assertEquals(0, a.getLong("lateCalls"), "no call moved out of its own slot");
    assertEquals(0, TestNodes.counter(node.port(), "agent-a", "late"));
    for (String svc : CallLogWriter.services()) {
      var perSlot = w.perSlot(svc);
      await(svc + " in its own slots", Duration.ofSeconds(60), () -> {
        for (var e : perSlot.entrySet()) {
          if (total(node.port(), svc + ".calls", "from=" + e.getKey() + "&to=" + (e.getKey() + 10)) != e.getValue()) return false;
        }
        return total(node.port(), svc + ".calls", "from=" + (start - 20) + "&to=" + (start + 700)) == w.written(svc);
      });
    }
  }

  @Test
  @Timeout(120)
  @DisplayName("a line stamped 20 h ahead is rejected as such and does not close the slots of the calls after it")
  void lineFarAheadIsRejected() throws Exception {
    AggregatorNode node = TestNodes.start(config(0));
    cleanup.add(node::closeBlocking);
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    CallLogWriter ahead = new CallLogWriter(logs.resolve("app.log"), "web-1");
    agent(node.port(), logs, tmp.resolve("state"));
    long start = System.currentTimeMillis() / 1000;
    ahead.write(1, System.currentTimeMillis() + Duration.ofHours(20).toMillis());
    for (int i = 0; i < 30; i++) {
      w.write(10, System.currentTimeMillis());
      Thread.sleep(50);
    }
    await("the agent read every line", Duration.ofSeconds(60),
        () -> TestNodes.counter(node.port(), "agent-a", "linesRead") == w.written() + 1);
    assertEquals(1, TestNodes.counter(node.port(), "agent-a", "rejected"));
    JsonObject a = TestNodes.agentStats(node.port(), "agent-a");
    assertTrue(a.getLong("closedBefore") <= System.currentTimeMillis() / 1000 + 10, "slots not closed ahead of time: " + a);
    assertEquals(0, a.getLong("lateCalls"), "no call moved out of its own slot");
    String sample = a.getJsonObject("stats").getJsonArray("files").getJsonObject(0).getJsonArray("samples").getString(0);
    assertTrue(sample.contains("ahead of this host's clock"), sample);
    for (String svc : CallLogWriter.services()) {
      assertEquals(w.written(svc), total(node.port(), svc + ".calls", "from=" + (start - 20) + "&to=" + (start + 120)), svc);
    }
  }

  @Test
  @Timeout(120)
  @DisplayName("an unwritable round-robin file is counted and shown; the agent's other sources go on being written;"
      + " once it can be written (a full disk with room again), the slots it missed are written from the cache")
  void unwritableFileIsIsolated() throws Exception {
    AggregatorConfig cfg = config(0);
    AggregatorNode node = TestNodes.start(cfg);
    cleanup.add(node::closeBlocking);
    long slot = RawAgent.currentSlot() - 60;
    // a folder where the file of (raw, h1, DPP, broken) would go: it can never be created
    Path blocker = new callwatch.aggregator.store.Source("raw", "h1", "DPP", "broken").path(cfg.dataDir().resolve("rrd"));
    Files.createDirectories(blocker);
    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    try (RawAgent a = new RawAgent(vertx, node.port(), "raw", SECRET)) {
      a.hello("raw", "e1", 2);
      a.send(RawAgent.batch(1, slot, slot + 10, "DPP", "broken", 5).encode());
      assertEquals("ack", a.next().getString("type"));
      a.send(RawAgent.batch(2, slot + 10, slot + 20, "DPP", "fine", 6).encode());
      assertEquals("ack", a.next().getString("type"));
    }
    await("the writer went past both slots", Duration.ofSeconds(60), () -> node.writer().writtenUpTo("raw") >= slot + 20);
    assertEquals(6, total(node.port(), "DPP.fine.calls", "from=" + (slot - 10) + "&to=" + (slot + 30)));
    JsonObject health = TestNodes.get(node.port(), "/api/health");
    assertEquals(1, health.getInteger("unwritableSources"), health.encode());
    JsonArray shown = TestNodes.get(node.port(), "/api/agents").getJsonArray("unwritableSources");
    assertEquals("broken", shown.getJsonObject(0).getString("op"));
    assertEquals(1, shown.getJsonObject(0).getLong("slotsLost"));

    // the cause goes (room again on the disk, the stray folder removed): no new call of that source comes,
    // and the slot it missed is still in the cache
    Files.delete(blocker);
    await("the file is written again", Duration.ofSeconds(60),
        () -> TestNodes.get(node.port(), "/api/health").getInteger("unwritableSources") == 0);
    assertTrue(Files.isRegularFile(blocker), "the round-robin file exists");
    assertEquals(5, total(node.port(), "DPP.broken.calls", "from=" + (slot - 10) + "&to=" + (slot + 30)), "the missed slot, from the cache");
    assertEquals(6, total(node.port(), "DPP.fine.calls", "from=" + (slot - 10) + "&to=" + (slot + 30)));
  }

  @Test
  @Timeout(120)
  @DisplayName("an aggregator that welcomes or acks batches the agent never sent is dropped; the agent keeps its spool and delivers to the next one")
  void agentDoesNotTrustABogusAggregator() throws Exception {
    for (String lie : new String[] {"welcome", "ack"}) {
      Vertx vertx = Vertx.vertx();
      cleanup.add(() -> vertx.close().await());
      HttpServer liar = vertx.createHttpServer().webSocketHandler(ws -> ws.textMessageHandler(t -> {
        JsonObject m = new JsonObject(t);
        if (m.getString("type").equals("hello")) {
          ws.writeTextMessage(new JsonObject().put("type", "welcome").put("v", Protocol.VERSION).put("agent", "agent-a")
              .put("lastSeq", lie.equals("welcome") ? 1_000_000_000_000L : 0).encode());
        } else if (lie.equals("ack")) {
          ws.writeTextMessage(new JsonObject().put("type", "ack").put("v", Protocol.VERSION).put("seq", 1_000_000_000L)
              .put("duplicate", false).encode());
        }
      })).listen(0, "127.0.0.1").await();
      Path logs = Files.createDirectories(tmp.resolve("logs-" + lie));
      CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
      long start = System.currentTimeMillis() / 1000;
      for (int i = 0; i < 10; i++) w.write(10, System.currentTimeMillis());
      JsonObject cfg = TestNodes.agentJson("agent-a", SECRET, tmp.resolve("state-" + lie), liar.actualPort(),
          new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app")));
      int realPort = freePort();
      cfg.put("aggregators", new JsonArray().add("ws://127.0.0.1:" + liar.actualPort() + "/agent").add("ws://127.0.0.1:" + realPort + "/agent"));
      Vertx agent = agent(cfg);
      Thread.sleep(3000); // the agent meets the liar first, and again after each failover
      tmp.resolve("agg").toFile().mkdirs();
      AggregatorNode node = TestNodes.start(TestNodes.config(tmp.resolve("agg-" + lie), TestNodes.uniqueClusterName(), 5851, List.of(),
          Map.of("agent-a", SECRET)).withHttpPort(realPort));
      try {
        await("the real aggregator holds every line", Duration.ofSeconds(60),
            () -> TestNodes.counter(node.port(), "agent-a", "parsed") == w.written());
        for (String svc : CallLogWriter.services()) {
          assertEquals(w.written(svc), total(node.port(), svc + ".calls", "from=" + (start - 20) + "&to=" + (start + 60)), lie + " " + svc);
        }
      } finally {
        agent.close().await();
        node.closeBlocking();
        liar.close().await();
      }
    }
  }

  private static int freePort() throws java.io.IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
