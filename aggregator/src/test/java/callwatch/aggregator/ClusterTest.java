package callwatch.aggregator;

import static callwatch.aggregator.TestNodes.await;
import static callwatch.aggregator.TestNodes.total;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Three real aggregator members on 127.0.0.1; one dies; nothing is lost or counted twice. */
class ClusterTest {
  private static final Map<String, String> AGENTS = Map.of("agent-1", "cluster-secret-1", "agent-2", "cluster-secret-2");
  private final Cleanup cleanup = new Cleanup();
  @TempDir Path tmp;

  @AfterEach
  void tearDown() {
    cleanup.runAll();
  }

  @Test
  @Timeout(240)
  @DisplayName("a member killed while agents write: survivors hold every call exactly, the restarted member catches up")
  void memberKilledLosesNothing() throws Exception {
    String cluster = TestNodes.uniqueClusterName();
    int base = 5931;
    List<String> members = List.of("127.0.0.1:" + base, "127.0.0.1:" + (base + 1), "127.0.0.1:" + (base + 2));
    AggregatorNode[] nodes = new AggregatorNode[3];
    for (int i = 0; i < 3; i++) {
      nodes[i] = TestNodes.start(TestNodes.config(tmp.resolve("agg-" + i), cluster, base + i, members, AGENTS));
    }
    cleanup.add(() -> nodes[1].closeBlocking());
    cleanup.add(() -> nodes[2].closeBlocking());
    int victimPort = nodes[0].port();
    JsonArray addresses = new JsonArray();
    for (AggregatorNode n : nodes) addresses.add("ws://127.0.0.1:" + n.port() + "/agent");

    long start = System.currentTimeMillis() / 1000;
    List<CallLogWriter> writers = new ArrayList<>();
    for (int a = 1; a <= 2; a++) {
      Path logs = Files.createDirectories(tmp.resolve("logs-" + a));
      CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-" + a);
      writers.add(w);
      JsonObject cfg = TestNodes.agentJson("agent-" + a, AGENTS.get("agent-" + a), tmp.resolve("agent-" + a), victimPort,
          new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app")));
      cfg.put("aggregators", addresses).put("graceMillis", 3000); // all start on member 0, the one that dies
      var agent = TestNodes.startAgent(cfg);
      cleanup.add(() -> agent.close().await());
    }
    AtomicBoolean writing = new AtomicBoolean(true);
    Thread writer = new Thread(() -> {
      try {
        while (writing.get()) {
          for (CallLogWriter w : writers) w.write(20, System.currentTimeMillis());
          Thread.sleep(20);
        }
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    writer.start();
    Thread.sleep(3000);
    nodes[0].crashBlocking();              // not a graceful stop
    Thread.sleep(4000);
    writing.set(false);
    writer.join();

    long written = writers.stream().mapToLong(CallLogWriter::written).sum();
    String range = "from=" + (start - 60) + "&to=" + (start + 300);
    for (int i = 1; i < 3; i++) {
      int port = nodes[i].port();
      await("member " + i + " holds every call", Duration.ofSeconds(90), () -> total(port, "*.calls", range) >= written);
    }
    Thread.sleep(1500); // a double count would arrive with the next batches
    for (int i = 1; i < 3; i++) assertExact(nodes[i].port(), writers, range, "survivor " + i);
    for (int a = 1; a <= 2; a++) {
      assertEquals(true, TestNodes.counter(nodes[1].port(), "agent-" + a, "reconnects") >= 1, "agent-" + a + " moved to another member");
    }

    // the killed member comes back with its old disk and catches up from the cluster
    AggregatorNode back = TestNodes.start(TestNodes.config(tmp.resolve("agg-0"), cluster, base, members, AGENTS));
    cleanup.add(back::closeBlocking);
    long lastSlot = System.currentTimeMillis() / 1000 - 30;
    await("the restarted member has written the slots it missed", Duration.ofSeconds(90),
        () -> TestNodes.agentStats(back.port(), "agent-1") != null
            && TestNodes.agentStats(back.port(), "agent-1").getLong("writtenUpTo") > lastSlot
            && TestNodes.agentStats(back.port(), "agent-2").getLong("writtenUpTo") > lastSlot);
    assertExact(back.port(), writers, range, "restarted member");
  }

  @Test
  @Timeout(180)
  @DisplayName("a member that rejoins replays its journal without rolling the agents' figures back; its health says when its history is complete")
  void rejoinKeepsNewestFigures() throws Exception {
    String cluster = TestNodes.uniqueClusterName();
    List<String> members = List.of("127.0.0.1:5941", "127.0.0.1:5942");
    AggregatorNode a = TestNodes.start(TestNodes.config(tmp.resolve("agg-a"), cluster, 5941, members, AGENTS));
    cleanup.add(a::closeBlocking);
    AggregatorNode b = TestNodes.start(TestNodes.config(tmp.resolve("agg-b"), cluster, 5942, members, AGENTS));
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    JsonObject cfg = agentCfg(1, logs, b.port());
    cfg.put("aggregators", new JsonArray().add("ws://127.0.0.1:" + b.port() + "/agent").add("ws://127.0.0.1:" + a.port() + "/agent"));
    var agent = TestNodes.startAgent(cfg);
    cleanup.add(() -> agent.close().await());
    w.write(500, System.currentTimeMillis());
    await("b holds the first calls", Duration.ofSeconds(60), () -> TestNodes.counter(b.port(), "agent-1", "parsed") == 500);
    b.crashBlocking(); // its journal holds batches with parsed = 500
    w.write(2000, System.currentTimeMillis());
    await("the agent moved to a", Duration.ofSeconds(60), () -> TestNodes.counter(a.port(), "agent-1", "parsed") == 2500);
    AggregatorNode back = TestNodes.start(TestNodes.config(tmp.resolve("agg-b"), cluster, 5942, members, AGENTS));
    cleanup.add(back::closeBlocking);
    // the journal was replayed before the member started serving: the figures must still be the newest
    assertEquals(2500, TestNodes.counter(a.port(), "agent-1", "parsed"), "member a after b's replay");
    assertEquals(2500, TestNodes.counter(back.port(), "agent-1", "parsed"), "member b after its replay");
    await("b's history is complete", Duration.ofSeconds(60), () -> TestNodes.get(back.port(), "/api/health").getBoolean("historyComplete"));
    JsonObject health = TestNodes.get(back.port(), "/api/health");
    assertEquals(2, health.getInteger("members"), health.encode());
    assertEquals(2, health.getInteger("expectedMembers"), health.encode());
    assertEquals(true, health.getLong("writerLagSeconds") <= 60, health.encode());
    assertEquals(true, health.getLong("journalBytes") >= 0, health.encode());
  }

  @Test
  @Timeout(180)
  @DisplayName("an agent's backlog from a 30-minute outage lands in its own slots while another agent kept the series moving")
  void backlogLandsInTheRightSlots() throws Exception {
    AggregatorNode node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5951, List.of(), AGENTS));
    cleanup.add(node::closeBlocking);
    long now = System.currentTimeMillis();
    // agent-2's server logged for 30 minutes while its agent could not deliver
    Path lateLogs = Files.createDirectories(tmp.resolve("late"));
    CallLogWriter late = new CallLogWriter(lateLogs.resolve("app.log"), "web-2");
    for (long t = now - Duration.ofMinutes(30).toMillis(); t < now; t += 2000) late.write(3, t);
    // agent-1 was live all along: its part of the last 30 minutes is already stored
    Path liveLogs = Files.createDirectories(tmp.resolve("live"));
    CallLogWriter live = new CallLogWriter(liveLogs.resolve("app.log"), "web-1");
    for (long t = now - Duration.ofMinutes(30).toMillis(); t < now; t += 1000) live.write(2, t);
    var agent1 = TestNodes.startAgent(agentCfg(1, liveLogs, node.port()));
    cleanup.add(() -> agent1.close().await());
    await("agent-1 is delivered", Duration.ofSeconds(60), () -> TestNodes.counter(node.port(), "agent-1", "parsed") == live.written());
    await("agent-1's slots are in the files", Duration.ofSeconds(60),
        () -> TestNodes.agentStats(node.port(), "agent-1").getLong("writtenUpTo") > now / 1000 - 60);
    for (int i = 0; i < 20; i++) live.write(2, System.currentTimeMillis()); // and keeps going
    var agent2 = TestNodes.startAgent(agentCfg(2, lateLogs, node.port()));   // the outage ends
    cleanup.add(() -> agent2.close().await());
    await("the backlog is delivered", Duration.ofSeconds(60), () -> TestNodes.counter(node.port(), "agent-2", "parsed") == late.written());
    await("agent-1 is delivered", Duration.ofSeconds(60), () -> TestNodes.counter(node.port(), "agent-1", "parsed") == live.written());
    long from = now / 1000 - 1900, to = System.currentTimeMillis() / 1000 + 60;
    for (String svc : CallLogWriter.services()) {
      java.util.TreeMap<Long, Long> expected = live.perSlot(svc);
      late.perSlot(svc).forEach((slot, n) -> expected.merge(slot, n, Long::sum));
      JsonObject r = TestNodes.get(node.port(), "/api/series/" + svc + ".calls?from=" + from + "&to=" + to);
      java.util.TreeMap<Long, Long> actual = new java.util.TreeMap<>();
      for (Object o : r.getJsonArray("points")) {
        JsonArray p = (JsonArray) o;
        if (p.getValue(1) != null && p.getLong(1) != 0) actual.put(p.getLong(0), p.getLong(1));
      }
      assertEquals(expected, actual, svc + ": every slot holds both agents' calls of that slot");
    }
    assertEquals(0L, TestNodes.counter(node.port(), "agent-2", "late"), "nothing of the backlog was late");
  }

  @Test
  @Timeout(180)
  @DisplayName("a member with an empty disk takes the history beyond the cache window from a peer before it serves")
  void newMemberTakesHistoryFromAPeer() throws Exception {
    String cluster = TestNodes.uniqueClusterName();
    List<String> members = List.of("127.0.0.1:5961", "127.0.0.1:5962");
    AggregatorNode a = TestNodes.start(TestNodes.config(tmp.resolve("agg-a"), cluster, 5961, members, AGENTS));
    cleanup.add(a::closeBlocking);
    long now = System.currentTimeMillis();
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    for (long t = now - Duration.ofMinutes(20).toMillis(); t < now - 60_000; t += 1000) w.write(2, t);
    var agent = TestNodes.startAgent(agentCfg(1, logs, a.port()));
    cleanup.add(() -> agent.close().await());
    long lastSlot = (now - 60_000) / 1000;
    await("member a has written every slot to its files", Duration.ofSeconds(60),
        () -> TestNodes.counter(a.port(), "agent-1", "parsed") == w.written()
            && TestNodes.agentStats(a.port(), "agent-1").getLong("writtenUpTo") > lastSlot);
    String range = "from=" + (now / 1000 - 1500) + "&to=" + (now / 1000 + 60);
    assertExact(a.port(), List.of(w, new CallLogWriter(logs.resolve("none"), "web-2")), range, "member a");

    // the cache window passes: those slots now exist only in member a's files
    a.hazelcast().getMap(callwatch.aggregator.cluster.ClusterSetup.SLOTS_MAP).evictAll();
    AggregatorNode b = TestNodes.start(TestNodes.config(tmp.resolve("agg-b"), cluster, 5962, members, AGENTS));
    cleanup.add(b::closeBlocking);
    assertEquals(a.repository().allSources().size(), b.repository().allSources().size(),
        "member b holds every round-robin file of member a from its start");
    assertExact(b.port(), List.of(w, new CallLogWriter(logs.resolve("none"), "web-2")), range, "member b");
  }

  @Test
  @Timeout(180)
  @DisplayName("a member cut off from the majority acknowledges nothing; once the majority is back, every call counts once")
  void minorityStopsAcknowledging() throws Exception {
    String cluster = TestNodes.uniqueClusterName();
    List<String> members = List.of("127.0.0.1:5981", "127.0.0.1:5982", "127.0.0.1:5983");
    AggregatorNode a = TestNodes.start(TestNodes.config(tmp.resolve("agg-a"), cluster, 5981, members, AGENTS));
    cleanup.add(a::closeBlocking);
    AggregatorNode b = TestNodes.start(TestNodes.config(tmp.resolve("agg-b"), cluster, 5982, members, AGENTS));
    long start = System.currentTimeMillis() / 1000;
    Path logs = Files.createDirectories(tmp.resolve("logs"));
    CallLogWriter w = new CallLogWriter(logs.resolve("app.log"), "web-1");
    w.write(50, System.currentTimeMillis());
    callwatch.agent.AgentVerticle agent = new callwatch.agent.AgentVerticle(callwatch.agent.config.AgentConfig.from(
        new callwatch.common.config.ConfigSection("test", "", agentCfg(1, logs, a.port()))));
    io.vertx.core.Vertx agentVertx = io.vertx.core.Vertx.vertx();
    cleanup.add(() -> agentVertx.close().await());
    agentVertx.deployVerticle(agent).await();
    await("the first calls are stored", Duration.ofSeconds(60), () -> TestNodes.counter(a.port(), "agent-1", "parsed") == 50);

    b.crashBlocking(); // a is now alone: one of three, below the majority of two
    for (int i = 0; i < 10; i++) {
      w.write(30, System.currentTimeMillis());
      Thread.sleep(300);
    }
    Thread.sleep(3000);
    var cutOff = agent.pipeline().stats();
    assertEquals(true, cutOff.get("spoolBatches") >= 1 && cutOff.get("parsed") == w.written(),
        "the agent read everything but holds it unacknowledged in its spool: " + cutOff.counters());
    assertEquals(true, TestNodes.getRaw(a.port(), "/api/agents").statusCode() >= 500,
        "the minority member does not answer from a cache it cannot trust");

    AggregatorNode c = TestNodes.start(TestNodes.config(tmp.resolve("agg-c"), cluster, 5983, members, AGENTS));
    cleanup.add(c::closeBlocking);  // the majority is back
    await("the held batches are stored once the majority is back", Duration.ofSeconds(90),
        () -> TestNodes.getRaw(a.port(), "/api/agents").statusCode() == 200
            && TestNodes.counter(a.port(), "agent-1", "parsed") == w.written()
            && agent.pipeline().stats().get("spoolBatches") == 0);
    String range = "from=" + (start - 60) + "&to=" + (start + 300);
    CallLogWriter none = new CallLogWriter(logs.resolve("none"), "web-2");
    assertExact(a.port(), List.of(w, none), range, "member a");
    assertExact(c.port(), List.of(w, none), range, "member c");
  }

  private JsonObject agentCfg(int a, Path logs, int port) {
    return TestNodes.agentJson("agent-" + a, AGENTS.get("agent-" + a), tmp.resolve("agent-" + a), port,
        new JsonArray().add(new JsonObject().put("glob", logs + "/app.log*").put("format", "app"))).put("graceMillis", 3000);
  }

  private static void assertExact(int port, List<CallLogWriter> writers, String range, String who) {
    for (String svc : CallLogWriter.services()) {
      long expected = writers.stream().mapToLong(w -> w.written(svc)).sum();
      assertEquals(expected, total(port, svc + ".calls", range), who + ": " + svc + " 0 lost, 0 double");
    }
    for (int a = 1; a <= 2; a++) {
      CallLogWriter w = writers.get(a - 1);
      long perHost = 0;
      for (String svc : CallLogWriter.services()) perHost += w.written(svc);
      assertEquals(perHost, total(port, "*.calls", range + "&host=web-" + a), who + ": host web-" + a);
    }
  }
}
