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

  /** One series row per vendor, each one call: a frame of about 200 KB. */
  private static String batch(long seq, long slot) {
    JsonArray rows = new JsonArray();
    for (int v = 0; v < ROWS; v++) {
      JsonArray c = new JsonArray();
      for (int i = 0; i < Metrics.SIZE; i++) c.add(i == Metrics.CALLS || i == Metrics.OK ? 1L : 0L);
      rows.add(new JsonArray().add("DPP").add("read").add("vendor-" + v).add("h1").add(c));
    }
    return new JsonObject().put("type", "batch").put("v", Protocol.VERSION).put("seq", seq).put("step", 10).put("closedBefore", slot)
        .put("slots", new JsonArray().add(new JsonObject().put("t", slot).put("rows", rows)))
        .put("stats", new JsonObject().put("counters", new JsonObject()).put("files", new JsonArray())).encode();
  }
}
