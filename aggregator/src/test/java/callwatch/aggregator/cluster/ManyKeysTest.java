package callwatch.aggregator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.map.IMap;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Reading many keys in calls of a few partitions each gives exactly what one getAll gives, on two real members. */
class ManyKeysTest {
  @TempDir Path tmp;
  @Test
  @Timeout(120)
  @DisplayName("every present key comes back once with its value, absent keys do not, few keys or many, from either member")
  void sameAsOneGetAll() {
    try (TwoMembers members = new TwoMembers(tmp, 6036, 6037)) {
      readsAsOneGetAll(members.a, members.b);
    }
  }

  private static void readsAsOneGetAll(HazelcastInstance a, HazelcastInstance b) {
    IMap<String, String> onA = a.getMap("many-keys-test");
    Map<String, String> stored = new HashMap<>();
    for (int i = 0; i < 3000; i += 2) stored.put("agent|" + (1_700_000_000L + 10L * i), "v" + i); // every other slot
    onA.putAll(stored);
    for (HazelcastInstance reader : List.of(a, b)) {
      IMap<String, String> map = reader.getMap("many-keys-test");
      for (int n : new int[] {0, 1, 7, ManyKeys.PARTITIONS_PER_CALL, ManyKeys.PARTITIONS_PER_CALL + 1, 500, 3000}) {
        Set<String> keys = new LinkedHashSet<>();
        Map<String, String> expected = new HashMap<>();
        for (int i = 0; i < n; i++) {
          String key = "agent|" + (1_700_000_000L + 10L * i);
          keys.add(key);
          if (stored.containsKey(key)) expected.put(key, stored.get(key));
        }
        assertEquals(expected, ManyKeys.getAll(map, reader.getPartitionService(), keys), n + " keys through " + reader.getName());
      }
    }
  }
}
