package callwatch.aggregator.cluster;

import com.hazelcast.map.IMap;
import com.hazelcast.partition.PartitionService;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reads many keys of a map in calls of a few partitions each.
 *
 * <p>Why: Hazelcast's {@code getAll} sends every key to every partition it touches, and each
 * partition hashes them all to find its own: a query over four hours of one agent's slots (1,440
 * keys over all 271 partitions) hashed 390,000 keys: a third of the partition threads' CPU samples
 * in a recording of a backlog being stored. In calls of {@link #PARTITIONS_PER_CALL} partitions the keys are
 * hashed a few times each, not 271; the partition operations are as many as before.
 * {@code bench/cache-read.sh}: 2.6 times less CPU per such read. Blocking.
 */
public final class ManyKeys {
  public static final int PARTITIONS_PER_CALL = 32;

  private ManyKeys() {}

  public static <V> Map<String, V> getAll(IMap<String, V> map, PartitionService partitions, Set<String> keys) {
    if (keys.size() <= PARTITIONS_PER_CALL) return map.getAll(keys);
    TreeMap<Integer, List<String>> byPartition = new TreeMap<>();
    for (String key : keys) byPartition.computeIfAbsent(partitions.getPartition(key).getPartitionId(), p -> new ArrayList<>()).add(key);
    Map<String, V> out = new HashMap<>(keys.size() * 2);
    Set<String> call = new HashSet<>();
    int inCall = 0;
    for (List<String> partitionKeys : byPartition.values()) {
      call.addAll(partitionKeys);
      if (++inCall == PARTITIONS_PER_CALL) {
        out.putAll(map.getAll(call));
        call.clear();
        inCall = 0;
      }
    }
    if (!call.isEmpty()) out.putAll(map.getAll(call));
    return out;
  }
}
