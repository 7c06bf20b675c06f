package callwatch.aggregator.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.aggregator.AggregatorConfig;
import callwatch.aggregator.TestNodes;
import callwatch.aggregator.cluster.ClusterSetup;
import callwatch.aggregator.cluster.LiveCache;
import callwatch.aggregator.store.FileRepair;
import callwatch.aggregator.store.RrdRepository;
import callwatch.aggregator.store.SlotWriter;
import callwatch.common.model.Metrics;
import callwatch.common.protocol.AgentStats;
import callwatch.common.protocol.Batch;
import callwatch.common.protocol.SeriesRow;
import callwatch.common.protocol.SlotDelta;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A backlog days old in event time, where the writer has put one agent's slots into the files and
 * not yet another's (it writes agent by agent, two hours each per round): a series over that time
 * must still count both — the second from the cache, which keeps every slot until it is written.
 * Detection learns its profile from such series while a backlog is being stored; a series short of
 * an agent made it expect a third more calls than came (bench/detection-path.sh: false drops of
 * every service at once in the first week of history).
 */
class SeriesQueryBacklogTest {
  @TempDir Path tmp;
  private HazelcastInstance hz;

  @AfterEach
  void stop() {
    if (hz != null) hz.shutdown();
  }

  @Test
  @DisplayName("a series of a backlog counts the agents already in the files and those still only in the cache")
  void writtenAndUnwrittenAgentsBothCount() throws Exception {
    AggregatorConfig cfg = TestNodes.config(tmp.resolve("node"), TestNodes.uniqueClusterName(), 6004, List.of(), Map.of());
    hz = Hazelcast.newHazelcastInstance(ClusterSetup.hazelcastConfig(cfg));
    LiveCache cache = new LiveCache(hz);
    RrdRepository repo = new RrdRepository(tmp.resolve("rrd"), 1000, 64);
    SlotWriter writer = new SlotWriter(cache, repo, tmp.resolve("written.json"), new FileRepair(repo, cache, null, 3600));
    long now = System.currentTimeMillis() / 1000;
    long start = Math.floorDiv(now - 3 * 86400, 600) * 600; // three days ago: far outside the cache's window of wall time
    apply(cache, "a1", "app1", start, 3600, 2);
    writer.writeRoundBlocking(); // a1's hour is in the files now
    apply(cache, "a2", "app2", start, 3600, 3); // a2's arrives after: in the cache, not yet in the files
    assertTrue(writer.writtenUpTo("a1") >= start + 3600, "a1 written");
    assertEquals(Long.MIN_VALUE, writer.writtenUpTo("a2"), "a2 not written yet");

    SeriesQuery query = new SeriesQuery(cache, repo, writer, 3000);
    SeriesQuery.Result r = query.runAlignedBlocking(SeriesSpec.parse("DPP.calls", null, null), start, 600, 6, now);
    for (int i = 0; i < 6; i++) {
      assertTrue(r.known()[i], "row " + i + " known");
      assertEquals(60 * (2 + 3), r.vectors()[i][Metrics.CALLS], 1e-9, "row " + i + ": both agents' calls (2 and 3 a slot)");
    }
  }

  /** {@code perSlot} DPP calls in every 10 s slot of [start, start + seconds) from one agent, in one batch. */
  private static void apply(LiveCache cache, String agent, String host, long start, long seconds, long perSlot) {
    List<SlotDelta> slots = new ArrayList<>();
    for (long t = start; t < start + seconds; t += 10) {
      long[] c = new long[Metrics.SIZE];
      c[Metrics.CALLS] = perSlot;
      slots.add(new SlotDelta(t, List.of(new SeriesRow("DPP", "get", "V", host, c))));
    }
    LiveCache.Welcome w = cache.helloBlocking(agent, new callwatch.common.protocol.Hello(agent, host, "test", "epoch-" + agent, 0), System.currentTimeMillis());
    Batch b = new Batch(1, 10, start + seconds, (start + seconds) * 1000, slots, List.of(), new AgentStats(Map.of(), List.of()));
    cache.applyAllBlocking(agent, "epoch-" + agent, host, "test", List.of(b), new long[] {w.seqBase() + 1});
  }
}
