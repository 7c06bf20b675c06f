package callwatch.aggregator;

import callwatch.aggregator.cluster.ClusterSetup;
import callwatch.aggregator.cluster.LiveCache;
import callwatch.aggregator.query.SeriesQuery;
import callwatch.aggregator.store.FileRepair;
import callwatch.aggregator.store.RrdRepository;
import callwatch.aggregator.store.SlotWriter;
import callwatch.common.protocol.AgentStats;
import callwatch.common.protocol.Batch;
import callwatch.common.protocol.Hello;
import callwatch.common.protocol.SlotDelta;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A member's store without its web side: one real Hazelcast member (a cluster of its own on
 * 127.0.0.1), its live cache, round-robin files in a folder and the writer between them; for tests
 * of what reads them (series queries, detection's profiles).
 */
public final class OneMemberStore implements AutoCloseable {
  public final HazelcastInstance hz;
  public final LiveCache cache;
  public final RrdRepository repo;
  public final SlotWriter writer;

  public OneMemberStore(Path dir) throws IOException {
    AggregatorConfig cfg = TestNodes.config(dir.resolve("node"), TestNodes.uniqueClusterName(), 6004, List.of(), Map.of());
    hz = Hazelcast.newHazelcastInstance(ClusterSetup.hazelcastConfig(cfg));
    cache = new LiveCache(hz);
    repo = new RrdRepository(dir.resolve("rrd"), 1000, 0, 64);
    writer = new SlotWriter(cache, repo, dir.resolve("written.json"), new FileRepair(repo, cache, null, 3600));
  }

  /** A series query over this store, with the cache's window of wall time in seconds. */
  public SeriesQuery query(long cacheWindowSeconds) {
    return new SeriesQuery(cache, repo, writer, cacheWindowSeconds);
  }

  /** {@code agent} (on {@code host}) says hello and its first batch, these slots closed before {@code end}, is stored. */
  public void storeBlocking(String agent, String host, List<SlotDelta> slots, long end) {
    LiveCache.Welcome w = cache.helloBlocking(agent, new Hello(agent, host, "test", "epoch-" + agent, 0), System.currentTimeMillis());
    Batch b = new Batch(1, 10, end, end * 1000, slots, List.of(), new AgentStats(Map.of(), List.of()));
    cache.applyAllBlocking(agent, "epoch-" + agent, host, "test", List.of(b), new long[] {w.seqBase() + 1});
  }

  @Override
  public void close() {
    hz.shutdown();
  }
}
