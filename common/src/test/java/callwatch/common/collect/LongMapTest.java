package callwatch.common.collect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class LongMapTest {
  @Test
  void holdsWhatAHashMapHoldsThroughGrowthAndOverwrites() {
    Random random = new Random(7);
    LongMap<String> map = new LongMap<>(2);
    Map<Long, String> expected = new HashMap<>();
    for (int i = 0; i < 20_000; i++) {
      // clustered keys (pharmacy numbers, minutes) and spread ones, some put twice
      long key = i % 3 == 0 ? 100_000 + random.nextInt(5_000) : random.nextLong() >>> 1;
      map.put(key, "v" + i);
      expected.put(key, "v" + i);
    }
    assertEquals(expected.size(), map.size());
    for (Map.Entry<Long, String> e : expected.entrySet()) assertEquals(e.getValue(), map.get(e.getKey()));
    Map<Long, String> walked = new HashMap<>();
    map.forEach(walked::put);
    assertEquals(expected, walked);
    assertNull(map.get(99L));
    map.clear();
    assertEquals(0, map.size());
    assertNull(map.get(100_001L));
  }
}
