package callwatch.aggregator;

import static callwatch.aggregator.TestNodes.await;
import static callwatch.aggregator.TestNodes.total;
import static org.junit.jupiter.api.Assertions.assertEquals;

import callwatch.aggregator.cluster.ClusterSetup;
import callwatch.aggregator.store.RrdLayout;
import callwatch.aggregator.store.Source;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.io.RandomAccessFile;
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
import org.rrd4j.core.RrdDb;

/**
 * A member killed while it created a round-robin file leaves it half-written; the file must never
 * stop that source's history. Each case ends with every call in the files.
 */
class BrokenFileTest {
  private static final String SECRET = "broken-secret-1";
  private final Cleanup cleanup = new Cleanup();
  @TempDir Path tmp;

  @AfterEach
  void tearDown() {
    cleanup.runAll();
  }

  /** A complete file of the layout, cut to {@code keep} bytes (or zeroed when keep is negative). */
  private static void brokenFileAt(Path target, long start, long keep) throws Exception {
    Files.createDirectories(target.getParent());
    Path whole = target.resolveSibling("whole.tmp");
    try (RrdDb db = RrdDb.getBuilder().setRrdDef(RrdLayout.definition(whole.toString(), start)).build()) {
      // created
    }
    long size = Files.size(whole);
    if (keep >= 0) {
      try (RandomAccessFile f = new RandomAccessFile(whole.toFile(), "rw")) {
        f.setLength(keep);
      }
    } else {
      Files.write(whole, new byte[(int) size]); // allocated, nothing written yet: all zeros
    }
    Files.move(whole, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
  }

  private AggregatorNode start(Path dir, String cluster, int port, List<String> members) {
    AggregatorNode n = TestNodes.start(TestNodes.config(dir, cluster, port, members, Map.of("raw", SECRET)));
    cleanup.add(n::closeBlocking);
    return n;
  }

  @Test
  @Timeout(120)
  @DisplayName("half-created files (cut short, or allocated but zero) are replaced and take their source's calls")
  void halfCreatedFilesAreReplaced() throws Exception {
    Path dir = tmp.resolve("agg");
    Path rrd = dir.resolve("rrd");
    long slot = RawAgent.currentSlot() - 60;
    brokenFileAt(new Source("raw", "h1", "DPP", "cut").path(rrd), slot, 3000);
    brokenFileAt(new Source("raw", "h1", "DPP", "zeros").path(rrd), slot, -1);
    AggregatorNode node = start(dir, TestNodes.uniqueClusterName(), 5871, List.of());
    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    try (RawAgent a = new RawAgent(vertx, node.port(), "raw", SECRET)) {
      a.hello("raw", "e1", 2);
      a.send(RawAgent.batch(1, slot, slot + 10, "DPP", "cut", 5).encode());
      assertEquals("ack", a.next().getString("type"));
      a.send(RawAgent.batch(2, slot + 10, slot + 20, "DPP", "zeros", 6).encode());
      assertEquals("ack", a.next().getString("type"));
    }
    await("the writer went past both slots", Duration.ofSeconds(60), () -> node.writer().writtenUpTo("raw") >= slot + 20);
    String range = "from=" + (slot - 10) + "&to=" + (slot + 30);
    assertEquals(5, total(node.port(), "DPP.cut.calls", range), "read back from the file");
    assertEquals(6, total(node.port(), "DPP.zeros.calls", range), "read back from the file");
    JsonObject health = TestNodes.get(node.port(), "/api/health");
    assertEquals(0, health.getInteger("unwritableSources"), health.encode());
  }

  @Test
  @Timeout(180)
  @DisplayName("a broken file with history is rebuilt from a peer's copy and the cache: no slot is lost")
  void brokenFileRebuiltFromPeer() throws Exception {
    String cluster = TestNodes.uniqueClusterName();
    List<String> members = List.of("127.0.0.1:5873", "127.0.0.1:5874");
    AggregatorNode a = start(tmp.resolve("agg-a"), cluster, 5873, members);
    AggregatorNode b = start(tmp.resolve("agg-b"), cluster, 5874, members);
    long old = RawAgent.currentSlot() - 600;
    long recent = RawAgent.currentSlot() - 60;
    Vertx vertx = Vertx.vertx();
    cleanup.add(() -> vertx.close().await());
    try (RawAgent r = new RawAgent(vertx, a.port(), "raw", SECRET)) {
      r.hello("raw", "e1", 1);
      r.send(RawAgent.batch(1, old, old + 10, "DPP", "kept", 5).encode());
      assertEquals("ack", r.next().getString("type"));
    }
    await("both members wrote the old slot", Duration.ofSeconds(60),
        () -> a.writer().writtenUpTo("raw") > old && b.writer().writtenUpTo("raw") > old);
    // the cache window passes: the old slot now lives only in the files
    a.hazelcast().getMap(ClusterSetup.SLOTS_MAP).evictAll();
    b.closeBlocking();
    Path file = new Source("raw", "h1", "DPP", "kept").path(tmp.resolve("agg-b").resolve("rrd"));
    try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
      f.setLength(f.length() / 2); // b's copy is damaged while it is down
    }
    AggregatorNode b2 = start(tmp.resolve("agg-b"), cluster, 5874, members);
    // a raw agent does not retry as the real one does: its batch waits until b2's join has moved the partitions
    // (sent during the move, the connection was once closed before an ack, in a verify run on a loaded machine)
    await("the cluster of two settled", Duration.ofSeconds(60),
        () -> a.hazelcast().getPartitionService().isClusterSafe() && b2.hazelcast().getPartitionService().isClusterSafe());
    try (RawAgent r = new RawAgent(vertx, a.port(), "raw", SECRET)) {
      r.hello("raw", "e1", 2);
      r.send(RawAgent.batch(2, recent, recent + 10, "DPP", "kept", 6).encode());
      assertEquals("ack", r.next().getString("type"));
    }
    await("b wrote the new slot", Duration.ofSeconds(60), () -> b2.writer().writtenUpTo("raw") > recent);
    String range = "from=" + (old - 10) + "&to=" + (recent + 20);
    assertEquals(11, total(a.port(), "DPP.kept.calls", range), "member a");
    assertEquals(11, total(b2.port(), "DPP.kept.calls", range), "member b: the old slot from a's copy, the new one from the cache");
    assertEquals(0, TestNodes.get(b2.port(), "/api/health").getInteger("unwritableSources"));
  }
}
