package callwatch.aggregator.bench;

import callwatch.aggregator.cluster.ManyKeys;
import com.hazelcast.config.Config;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The member's CPU to read four hours of one agent's slots from the cache (1,440 keys, what a
 * series query or the rrd writer asks for during a catch-up): Hazelcast's getAll in one call, and
 * {@link ManyKeys} in calls of a few partitions each. One member of its own on 127.0.0.1, small
 * values (the keys' hashing is what differs, not the values' reading). Process CPU per read, median
 * of the rounds. Usage: bench/cache-read.sh [ROUNDS] [READS_PER_ROUND]
 */
public final class CacheReadBench {
  private CacheReadBench() {}

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
    int perRound = args.length > 1 ? Integer.parseInt(args[1]) : 200;
    Config config = new Config().setClusterName("cache-read-bench-" + ProcessHandle.current().pid());
    config.setProperty("hazelcast.logging.type", "none");
    config.getNetworkConfig().setPort(5990).getJoin().getMulticastConfig().setEnabled(false);
    config.getNetworkConfig().getInterfaces().setEnabled(true).addInterface("127.0.0.1");
    HazelcastInstance hz = Hazelcast.newHazelcastInstance(config);
    try {
      IMap<String, byte[]> map = hz.getMap("slots");
      Set<String> keys = new LinkedHashSet<>();
      for (int i = 0; i < 1440; i++) {
        String key = "agent-07|" + (1_700_000_000L + 10L * i);
        keys.add(key);
        map.set(key, new byte[200]);
      }
      var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
      double[] oneCall = new double[rounds];
      double[] byPartitions = new double[rounds];
      long sink = 0;
      for (int r = 0; r < rounds; r++) {
        long c0 = os.getProcessCpuTime();
        for (int i = 0; i < perRound; i++) sink += map.getAll(keys).size();
        long c1 = os.getProcessCpuTime();
        for (int i = 0; i < perRound; i++) sink += ManyKeys.getAll(map, hz.getPartitionService(), keys).size();
        long c2 = os.getProcessCpuTime();
        oneCall[r] = (c1 - c0) / 1e6 / perRound;
        byPartitions[r] = (c2 - c1) / 1e6 / perRound;
        System.out.printf(Locale.ROOT, "round %d: one getAll %.2f ms CPU a read, %d partitions a call %.2f ms%n",
            r + 1, oneCall[r], ManyKeys.PARTITIONS_PER_CALL, byPartitions[r]);
      }
      Arrays.sort(oneCall);
      Arrays.sort(byPartitions);
      double a = oneCall[rounds / 2];
      double b = byPartitions[rounds / 2];
      System.out.printf(Locale.ROOT, "1,440 keys: one getAll %.2f ms CPU a read, in calls of %d partitions %.2f ms (%.1fx less; %d reads)%n",
          a, ManyKeys.PARTITIONS_PER_CALL, b, a / b, sink / 2 / 1440 / rounds);
    } finally {
      hz.shutdown();
    }
  }
}
