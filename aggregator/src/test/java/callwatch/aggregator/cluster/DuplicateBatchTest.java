package callwatch.aggregator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import callwatch.aggregator.TestNodes;
import callwatch.common.model.Metrics;
import callwatch.common.protocol.AgentStats;
import callwatch.common.protocol.Batch;
import callwatch.common.protocol.Hello;
import callwatch.common.protocol.SeriesRow;
import callwatch.common.protocol.SlotDelta;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch sent again after its member died. The agent's state (its last seq) and the slot entries
 * live in different partitions: a member dying between them, or a replica promoted without the
 * last update (seen in TwoMembersKilledTest, under load: a slot 67 calls short on every member),
 * leaves the state saying "stored" while a slot entry lacks the batch. Answering "duplicate"
 * alone then loses those calls for good, since the agent drops the batch from its spool.
 */
class DuplicateBatchTest {
  @TempDir Path tmp;
  private HazelcastInstance hz;

  @AfterEach
  void stop() {
    if (hz != null) hz.getLifecycleService().terminate();
  }

  @Test
  @Timeout(120)
  @DisplayName("a batch sent again that a slot entry lacks is put back into it, and counted once however often it comes")
  void duplicateMissingFromAnEntryIsPutBack() {
    hz = Hazelcast.newHazelcastInstance(ClusterSetup.hazelcastConfig(
        TestNodes.config(tmp.resolve("m"), TestNodes.uniqueClusterName(), 6009, List.of("127.0.0.1:6009"), Map.of())));
    LiveCache cache = new LiveCache(hz);
    long slot = (System.currentTimeMillis() / 1000 / 10 - 30) * 10;
    LiveCache.Welcome w = cache.helloBlocking("ag", new Hello("ag", "web-1", "test", "epoch-1", 0), System.currentTimeMillis());
    Batch first = batch(1, slot, 40);
    Batch second = batch(2, slot + 10, 25);
    long[] seqs = {w.seqBase() + 1, w.seqBase() + 2};
    cache.applyAllBlocking("ag", "epoch-1", "web-1", "test", List.of(first, second), seqs);

    // the slot entry of the second batch loses it; the agent's state still says it is stored
    hz.getMap(ClusterSetup.SLOTS_MAP).delete(AgentSlot.key("ag", slot + 10));

    for (int again = 0; again < 2; again++) {
      List<LiveCache.Applied> applied = cache.applyAllBlocking("ag", "epoch-1", "web-1", "test", List.of(first, second), seqs);
      assertTrue(applied.get(0).duplicate() && applied.get(1).duplicate(), "the agent is told both are stored (it drops them)");
      assertEquals(40, calls(cache, slot), "the first batch's slot, which held it: counted once");
      assertEquals(25, calls(cache, slot + 10), "the second batch's slot: put back, counted once");
    }
  }

  private static long calls(LiveCache cache, long slot) {
    AgentSlot s = cache.slotsBlocking(Set.of(AgentSlot.key("ag", slot))).get(AgentSlot.key("ag", slot));
    return s == null ? 0 : s.rows.values().stream().mapToLong(r -> r[Metrics.CALLS]).sum();
  }

  private static Batch batch(long seq, long slot, long calls) {
    long[] counters = new long[Metrics.SIZE];
    counters[Metrics.CALLS] = calls;
    List<SlotDelta> slots = List.of(new SlotDelta(slot, List.of(new SeriesRow("DPP", "get", "Corilus/4.2", "web-1", counters))));
    return new Batch(seq, 10, slot, slot * 1000, slots, List.of(), new AgentStats(Map.of(), List.of()));
  }
}
