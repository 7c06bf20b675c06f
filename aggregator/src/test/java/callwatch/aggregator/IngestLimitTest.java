package callwatch.aggregator;

import static callwatch.aggregator.TestNodes.total;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.common.model.Metrics;
import callwatch.common.protocol.Protocol;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A crowd of agents returning with backlogs at once: the member holds no more of their batches
 * than its ingest limit (plus two frames per agent: the one an agent with nothing else in the member
 * always gets in, and the one it was sending when held back), reads
 * the rest as it stores, and loses nothing. Before, every admitted agent's whole window was taken
 * in: 140 agents replaying four hours ran a member out of its 2 GiB heap (docs/performance.md).
 */
class IngestLimitTest {
  private static final String SECRET = "secret-of-the-crowd";
  private static final int AGENTS = 8;
  private static final int BATCHES = 12;
  private static final int ROWS = 1500;

  @TempDir
  Path tmp;
  private AggregatorNode node;
  private Vertx clients;

  @AfterEach
  void stop() {
    if (clients != null) clients.close().await();
    if (node != null) node.closeBlocking();
  }

  @Test
  @DisplayName("agents sending far more than the ingest limit at once: the member never holds more than the limit and two frames per agent, and stores every call once")
  void crowdIsHeldToTheLimit() throws Exception {
    Map<String, String> agents = new HashMap<>();
    for (int a = 0; a < AGENTS; a++) agents.put("crowd-" + a, SECRET);
    node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 6039, List.of(), agents,
        Map.of("ingestQueueMiB", 1)));
    clients = Vertx.vertx();
    long slot = System.currentTimeMillis() / 10_000 * 10;

    List<RawAgent> crowd = new ArrayList<>();
    for (int a = 0; a < AGENTS; a++) {
      RawAgent c = new RawAgent(clients, node.port(), "crowd-" + a, SECRET);
      c.hello("crowd-" + a, "e1", BATCHES);
      crowd.add(c);
    }
    int largestFrame = 0;
    // every agent sends its whole backlog without waiting for an acknowledgement
    for (RawAgent c : crowd) {
      for (int seq = 1; seq <= BATCHES; seq++) {
        String frame = batch(seq, slot);
        largestFrame = Math.max(largestFrame, frame.length());
        c.send(frame);
      }
    }
    long frames = (long) AGENTS * BATCHES * largestFrame;
    assertTrue(frames > 8L << 20, "the crowd sends " + frames + " bytes, far more than the limit");

    for (int a = 0; a < AGENTS; a++) {
      for (int seq = 1; seq <= BATCHES; seq++) {
        JsonObject ack = crowd.get(a).next();
        assertEquals("ack", ack.getString("type"), "crowd-" + a + ": " + ack);
        assertEquals(seq, ack.getLong("seq"), "crowd-" + a);
      }
    }
    String range = "from=" + (slot - 10) + "&to=" + (slot + 10);
    for (int a = 0; a < AGENTS; a++) {
      assertEquals((long) BATCHES * ROWS, total(node.port(), "DPP.calls", "agent=crowd-" + a + "&" + range), "crowd-" + a);
    }

    JsonObject health = TestNodes.get(node.port(), "/api/health");
    long limit = 1L << 20;
    assertEquals(limit, health.getLong("ingestLimitBytes"));
    long peak = health.getLong("ingestPeakBytes");
    assertTrue(peak >= limit, "the crowd reached the limit: peak " + peak);
    long bound = limit + 2L * AGENTS * largestFrame;
    assertTrue(peak <= bound, "held at most the limit and two frames per agent (" + bound + " bytes), held " + peak);
    assertEquals(0, health.getLong("ingestPendingBytes"));
  }

  /**
   * The reason an agent with nothing else in the member always gets its batch in. In a backlog, a
   * fast agent's batches that run too far ahead of detection wait in the member (DetectionPace) and
   * may fill it; detection waits for the slowest agent's slots. Were the slowest agent held back
   * too, both would wait until the agents' acknowledgements time out. Two rules let it in (an agent
   * with nothing else in the member is not held; one whose batches are all stored is let go); with
   * both taken out, the slow agent's second batch is never read and this test fails.
   */
  @Test
  @DisplayName("a member full of a fast agent's batches waiting for detection still takes the slowest agent's batch, and then stores the fast agent's")
  void slowestAgentGetsInWhileTheMemberIsFull() throws Exception {
    // the slow agent says nothing for a few seconds: it must not be called silent meanwhile (a silent
    // agent leaves detection's clock, which would let the fast agent's batches go without the rule)
    node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 6039, List.of(),
        Map.of("fast", SECRET, "slow", SECRET), Map.of("ingestQueueMiB", 1, "detection", Map.of("silentAgentSeconds", 600))));
    long t0 = (System.currentTimeMillis() / 1000 - 6 * 3600) / 10 * 10; // a backlog six hours old
    RawAgent[] agents = slowAndFastFrom(t0, 4, 3 + BATCHES);
    RawAgent slow = agents[0];
    RawAgent fast = agents[1];

    // the fast agent runs ahead: 80 minutes is within the lead detection allows (half the cache's window)
    fast.send(batch(2, t0 + 80 * 60, 1));
    assertEquals(2, fast.next().getLong("seq"));
    // then 100 minutes ahead: its batches wait for detection, far more of them than the member's limit
    long ahead = t0 + 100 * 60;
    for (int seq = 3; seq < 3 + BATCHES; seq++) fast.send(batch(seq, ahead));
    TestNodes.await("the fast agent's waiting batches fill the member", java.time.Duration.ofSeconds(30),
        () -> TestNodes.get(node.port(), "/api/health").getLong("ingestPendingBytes") >= 1L << 20);

    // the slowest agent moves on in two batches, the first not far enough for the fast agent's: both
    // are read although the member is full, and detection follows them
    slow.send(batch(2, t0 + 10, 1));
    slow.send(batch(3, t0 + 20 * 60, 1));
    for (int seq = 2; seq <= 3; seq++) {
      JsonObject ack = slow.next();
      assertEquals("ack", ack.getString("type"), "the slow agent's batch is stored: " + ack);
      assertEquals(seq, ack.getLong("seq"));
    }
    for (int seq = 3; seq < 3 + BATCHES; seq++) {
      JsonObject a = fast.next();
      assertEquals("ack", a.getString("type"), "fast: " + a);
      assertEquals(seq, a.getLong("seq"), "fast");
    }
    String range = "from=" + ahead + "&to=" + (ahead + 10);
    // both read on past that slot: it is history once every agent has closed it
    fast.send(batch(3 + BATCHES, ahead + 10, 1));
    assertEquals(3 + BATCHES, fast.next().getLong("seq"));
    slow.send(batch(4, ahead + 10, 1));
    assertEquals(4, slow.next().getLong("seq"));
    TestNodes.await("the fast agent's calls in its history", java.time.Duration.ofSeconds(30),
        () -> total(node.port(), "DPP.calls", range) >= (long) BATCHES * ROWS);
    assertEquals((long) BATCHES * ROWS, total(node.port(), "DPP.calls", range));
    assertEquals(0, TestNodes.get(node.port(), "/api/health").getLong("ingestPendingBytes"));
  }

  /**
   * A server whose log has a quiet stretch longer than detection's lead (half the cache's window:
   * a night without calls, read in a backlog the next morning). Its next batch is far ahead of
   * what detection has judged, and detection has judged all this agent stored, so it waits for this
   * very agent: holding the batch for detection held it for good (no ack, the agent reconnecting
   * every 30 s, nothing more stored). An agent detection has caught up with is never held.
   */
  @Test
  @DisplayName("an agent whose backlog has a gap longer than detection's lead: its next batch is stored, not held for good")
  void agentDetectionWaitsForIsNeverHeld() throws Exception {
    node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 6039, List.of(),
        Map.of("solo", SECRET), Map.of()));
    java.util.concurrent.atomic.AtomicLong judged = judgedUpTo();
    long t0 = sixHoursAgo();
    RawAgent solo = firstBatchStored("solo", t0);
    TestNodes.await("detection judges the agent's first slot", java.time.Duration.ofSeconds(30), () -> judged.get() >= (t0 - 10) * 1000);

    long afterTheNight = t0 + 4 * 3600;
    solo.send(batch(2, afterTheNight, 7));
    JsonObject ack = solo.next();
    assertEquals("ack", ack.getString("type"), ack.encode());
    assertEquals(2, ack.getLong("seq"));
    String range = "from=" + afterTheNight + "&to=" + (afterTheNight + 10);
    TestNodes.await("the calls after the gap in the cache", java.time.Duration.ofSeconds(30), () -> total(node.port(), "DPP.calls", range) == 7);
  }

  /**
   * An agent waits 30 s for an ack before it takes the member for gone and reconnects (sending its
   * window again). A batch held for detection may wait longer, while detection walks a slower
   * agent's backlog: the member tells the agent that its batch waits, and why, before that time is out.
   */
  @Test
  @DisplayName("a batch held for detection: the member tells the agent to wait, within 15 s and again while it holds it, shows it as heard, then stores it")
  void heldBatchIsAnnouncedToItsAgent() throws Exception {
    node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 6039, List.of(),
        Map.of("fast", SECRET, "slow", SECRET), Map.of("detection", Map.of("silentAgentSeconds", 600))));
    long t0 = sixHoursAgo();
    RawAgent[] agents = slowAndFastFrom(t0, 3, 3);
    RawAgent slow = agents[0];
    RawAgent fast = agents[1];
    // the fast agent moves ahead within the lead, then beyond it: held until the slow agent moves on
    fast.send(batch(2, t0 + 80 * 60, 1));
    assertEquals(2, fast.next().getLong("seq"));
    long ahead = t0 + 100 * 60;
    fast.send(batch(3, ahead, 1));
    long heldAt = System.currentTimeMillis();
    JsonObject first = fast.next();
    assertEquals("wait", first.getString("type"), "the held batch is announced, not left to the agent's ack timer: " + first);
    assertEquals(3, first.getLong("seq"));
    assertTrue(first.getString("reason").contains("detection"), first.encode());
    assertTrue(System.currentTimeMillis() - heldAt < 15_000, "announced within 15 s");
    JsonObject again = fast.next();
    assertEquals("wait", again.getString("type"), "announced again while held: " + again);
    // the operators' agents page: an agent whose batch the member holds is heard, not "silent 10 s"
    JsonObject held = TestNodes.agentStats(node.port(), "fast");
    assertTrue(held.getLong("silentSeconds") <= 3, "a held agent is not silent: " + held.encode());

    slow.send(batch(2, ahead - 60, 1));
    assertEquals(2, slow.next().getLong("seq"));
    JsonObject ack = fast.next();
    for (int waits = 0; "wait".equals(ack.getString("type")) && waits < 12; waits++) ack = fast.next();
    assertEquals("ack", ack.getString("type"), ack.encode());
    assertEquals(3, ack.getLong("seq"));
  }

  /**
   * The agent's side of the same: a real agent waits 30 s for an ack before it takes the member for
   * gone and reconnects. Told that its batch waits for detection, it waits on without reconnecting,
   * however long detection takes (before the member told it, it reconnected every 30 s and sent its
   * window again for nothing).
   */
  @Test
  @DisplayName("a real agent whose batch is held past its 30 s wait for an ack: told to wait, it stays connected, and every call is stored once")
  void realAgentHeldPastItsAckWaitStaysConnected() throws Exception {
    node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 6039, List.of(),
        Map.of("real", SECRET, "slow", SECRET), Map.of("detection", Map.of("silentAgentSeconds", 600))));
    java.util.concurrent.atomic.AtomicLong judged = judgedUpTo();
    long t0 = sixHoursAgo();
    RawAgent slow = firstBatchStored("slow", t0);

    Path logs = java.nio.file.Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter log = new CallLogWriter(logs.resolve("app.log"), "real-host");
    log.write(3, t0 * 1000);
    Vertx agent = TestNodes.startAgent(TestNodes.agentJson("real", SECRET, tmp.resolve("agent"), node.port(),
        new JsonArray().add(new JsonObject().put("glob", logs + "/app.log").put("format", "app"))));
    try {
      String all = "from=" + (t0 - 60) + "&to=" + (t0 + 3 * 3600);
      TestNodes.await("the agent's first calls stored", java.time.Duration.ofSeconds(60), () -> total(node.port(), "*.calls", all) == 1 + 3);
      TestNodes.await("detection judges the first slot", java.time.Duration.ofSeconds(30), () -> judged.get() >= (t0 - 10) * 1000);
      // the agent moves ahead within detection's lead (stored), then beyond it (held while "slow" stays behind)
      log.write(3, (t0 + 80 * 60) * 1000);
      TestNodes.await("the calls within the lead stored", java.time.Duration.ofSeconds(60), () -> total(node.port(), "*.calls", all) == 1 + 6);
      log.write(3, (t0 + 100 * 60) * 1000);
      Thread.sleep(45_000); // longer than the agent's wait for an ack
      assertEquals(1 + 6, total(node.port(), "*.calls", all), "the batch beyond detection's lead was held");

      slow.send(batch(2, t0 + 110 * 60, 1));
      assertEquals(2, slow.next().getLong("seq"));
      TestNodes.await("every call stored once", java.time.Duration.ofSeconds(60), () -> total(node.port(), "*.calls", all) == 2 + 9);
      assertEquals(0, TestNodes.counter(node.port(), "real", "reconnects"), "the agent waited on the connection it had");
    } finally {
      agent.close().await();
    }
  }

  /** A slot six hours back: a backlog's. */
  private static long sixHoursAgo() {
    return (System.currentTimeMillis() / 1000 - 6 * 3600) / 10 * 10;
  }

  /** A raw agent that has spooled two batches, with the first (one call at {@code t0}) stored. */
  private RawAgent firstBatchStored(String id, long t0) {
    if (clients == null) clients = Vertx.vertx();
    RawAgent agent = new RawAgent(clients, node.port(), id, SECRET);
    agent.hello(id, "e1", 2);
    agent.send(batch(1, t0, 1));
    assertEquals(1, agent.next().getLong("seq"));
    return agent;
  }

  /** Agents "slow" and "fast" with their first batch (at {@code t0}) stored and judged by detection. */
  private RawAgent[] slowAndFastFrom(long t0, long slowSpooled, long fastSpooled) {
    java.util.concurrent.atomic.AtomicLong judged = judgedUpTo();
    clients = Vertx.vertx();
    RawAgent slow = new RawAgent(clients, node.port(), "slow", SECRET);
    RawAgent fast = new RawAgent(clients, node.port(), "fast", SECRET);
    slow.hello("slow", "e1", slowSpooled);
    fast.hello("fast", "e1", fastSpooled);
    slow.send(batch(1, t0, 1));
    fast.send(batch(1, t0, 1));
    assertEquals(1, slow.next().getLong("seq"));
    assertEquals(1, fast.next().getLong("seq"));
    TestNodes.await("detection judges the agents' first slot", java.time.Duration.ofSeconds(30), () -> judged.get() >= (t0 - 10) * 1000);
    return new RawAgent[] {slow, fast};
  }

  /** What detection reports it has judged up to (event ms), as it reports it. */
  private java.util.concurrent.atomic.AtomicLong judgedUpTo() {
    java.util.concurrent.atomic.AtomicLong judged = new java.util.concurrent.atomic.AtomicLong(Long.MIN_VALUE);
    node.vertx().eventBus().<JsonObject>consumer(callwatch.aggregator.watch.DetectionService.TILES, m -> {
      Long upTo = m.body().getLong("judgedUpTo");
      if (upTo != null) judged.set(upTo);
    });
    return judged;
  }

  /** One series row per vendor, each one call: a frame of about 200 KB. */
  private static String batch(long seq, long slot) {
    return batch(seq, slot, slot, ROWS);
  }

  /** {@code rows} series rows (one call each) in one slot, which the agent has then read to its end. */
  private static String batch(long seq, long slot, int rows) {
    return batch(seq, slot, slot + 10, rows);
  }

  private static String batch(long seq, long slot, long closedBefore, int vendors) {
    JsonArray rows = new JsonArray();
    for (int v = 0; v < vendors; v++) {
      JsonArray c = new JsonArray();
      for (int i = 0; i < Metrics.SIZE; i++) c.add(i == Metrics.CALLS || i == Metrics.OK ? 1L : 0L);
      rows.add(new JsonArray().add("DPP").add("read").add("vendor-" + v).add("h1").add(c));
    }
    return new JsonObject().put("type", "batch").put("v", Protocol.VERSION).put("seq", seq).put("step", 10).put("closedBefore", closedBefore)
        .put("slots", new JsonArray().add(new JsonObject().put("t", slot).put("rows", rows)))
        .put("stats", new JsonObject().put("counters", new JsonObject()).put("files", new JsonArray())).encode();
  }
}
