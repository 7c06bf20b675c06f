package callwatch.aggregator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replaying agent keeps many batches in flight and the member stores those that have arrived
 * together (one call per cache entry). Each batch keeps its own seq inside such a group, so
 * however the batches are grouped when they are sent again, each is counted once.
 */
class BacklogReplayTest {
  private static final String SECRET = "replay-secret-1";
  private static final int BATCHES = 300;
  @TempDir Path tmp;
  private AggregatorNode node;
  private Vertx vertx;

  @AfterEach
  void stop() {
    if (vertx != null) vertx.close().await();
    if (node != null) node.closeBlocking();
  }

  /** Batch seq: {@code seq} calls of DPP in one of 30 slots, so that the groups share cache entries. */
  private static String batch(long seq, long base) {
    long slot = base + (seq % 30) * 10;
    return RawAgent.batch(seq, slot, base, "DPP", "op", seq).encode();
  }

  @Test
  @Timeout(120)
  @DisplayName("batches stored in groups are counted exactly once when the connection drops mid-replay and they are sent again, regrouped")
  void regroupedReplayIsExact() {
    node = TestNodes.start(TestNodes.config(tmp.resolve("agg"), TestNodes.uniqueClusterName(), 5987, List.of(), Map.of("replay", SECRET)));
    vertx = Vertx.vertx();
    long base = RawAgent.currentSlot() - 600;
    // first connection: all 300 sent at once, the connection cut after the first acks
    RawAgent first = new RawAgent(vertx, node.port(), "replay", SECRET);
    assertEquals(0, first.hello("replay", "e1", BATCHES));
    for (long seq = 1; seq <= BATCHES; seq++) first.send(batch(seq, base));
    for (int acks = 0; acks < 5; ) if ("ack".equals(first.next().getString("type"))) acks++;
    first.close();
    // second connection: sent again from well before what the member says it holds (regrouped differently)
    RawAgent second = new RawAgent(vertx, node.port(), "replay", SECRET);
    long held = second.hello("replay", "e1", BATCHES);
    assertTrue(held >= 5 && held <= BATCHES, "the member holds what it acknowledged and maybe more: " + held);
    long from = Math.max(1, held - 40);
    for (long seq = from; seq <= BATCHES; seq++) second.send(batch(seq, base));
    long duplicates = 0, acked = 0;
    while (acked < BATCHES - from + 1) {
      JsonObject a = second.next();
      assertEquals("ack", a.getString("type"), a.encode());
      acked++;
      if (a.getBoolean("duplicate", false)) duplicates++;
    }
    // at least what the welcome said the member held; more if the member was still storing the first
    // connection's last group when the second said hello (that group is then held too)
    assertTrue(duplicates >= held - from + 1 && duplicates <= BATCHES - from + 1,
        "what the member held is acknowledged as a duplicate, the rest is new: " + duplicates + " duplicates, the welcome said " + held);
    second.close();
    // third connection: everything once more, all duplicates
    RawAgent third = new RawAgent(vertx, node.port(), "replay", SECRET);
    assertEquals(BATCHES, third.hello("replay", "e1", BATCHES));
    for (long seq = 1; seq <= BATCHES; seq++) third.send(batch(seq, base));
    for (int i = 0; i < BATCHES; i++) assertTrue(third.next().getBoolean("duplicate"), "all held already");
    third.close();

    TreeMap<Long, Long> expected = new TreeMap<>();
    for (long seq = 1; seq <= BATCHES; seq++) expected.merge(base + (seq % 30) * 10, seq, Long::sum);
    String range = "from=" + base + "&to=" + (base + 300);
    TestNodes.await("every call stored once", Duration.ofSeconds(30),
        () -> TestNodes.total(node.port(), "DPP.calls", range) == (long) BATCHES * (BATCHES + 1) / 2);
    TreeMap<Long, Long> actual = new TreeMap<>();
    for (Object o : TestNodes.get(node.port(), "/api/series/DPP.calls?" + range).getJsonArray("points")) {
      io.vertx.core.json.JsonArray p = (io.vertx.core.json.JsonArray) o;
      if (p.getValue(1) != null && p.getLong(1) != 0) actual.put(p.getLong(0), p.getLong(1));
    }
    assertEquals(expected, actual, "per slot, each batch once");
  }
}
