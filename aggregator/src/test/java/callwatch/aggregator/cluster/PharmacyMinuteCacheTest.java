package callwatch.aggregator.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import callwatch.common.protocol.AgentStats;
import callwatch.common.protocol.Batch;
import callwatch.common.protocol.Hello;
import callwatch.common.protocol.PharmacyRow;
import com.hazelcast.core.HazelcastInstance;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pharmacy minutes through two real Hazelcast members: batches that share minutes add up exactly,
 * a journal replay adds nothing twice, and the other member's backup holds the same counts when the
 * owner is gone.
 */
class PharmacyMinuteCacheTest {
  @TempDir Path tmp;
  private TwoMembers members;

  @AfterEach
  void stop() {
    if (members != null) members.close();
  }

  @Test
  @Timeout(120)
  @DisplayName("a drill-down's pharmacy counts are exact across batches, replays and the loss of the member that held them")
  void exactThroughReplayAndMemberLoss() {
    members = new TwoMembers(tmp, 6006, 6007);
    HazelcastInstance a = members.a;
    HazelcastInstance b = members.b;
    LiveCache onA = new LiveCache(a);
    long m = (System.currentTimeMillis() / 1000 / 60 - 30) * 60;
    Batch first = batch(1, m + 120, List.of(
        new PharmacyRow(m, "100", "DPP", "Corilus/4.2", 5, 1, 0),
        new PharmacyRow(m, "pharma-x", "RECIPE", "Farmad/2", 3, 3, 3),
        new PharmacyRow(m + 60, "100", "DPP", "Corilus/4.2", 2, 0, 0)));
    Batch second = batch(2, m + 180, List.of(
        new PharmacyRow(m + 60, "100", "DPP", "Corilus/4.2", 4, 1, 0),
        new PharmacyRow(m + 60, "101", "DPP", "Corilus/4.2", 1, 0, 0),
        new PharmacyRow(m + 120, "100", "PCDH", "Corilus/4.2", 7, 0, 0)));
    LiveCache.Welcome w = onA.helloBlocking("ag", new Hello("ag", "app1", "test", "epoch-1", 0), System.currentTimeMillis());
    onA.applyAllBlocking("ag", "epoch-1", "app1", "test", List.of(first, second), new long[] {w.seqBase() + 1, w.seqBase() + 2});
    onA.replayBlocking("ag", "app1", "test", first, w.seqBase() + 1); // a journal read back after a restart

    Map<String, String> expected = Map.of(
        m + "|100|DPP|Corilus/4.2", "5/1/0", m + "|pharma-x|RECIPE|Farmad/2", "3/3/3",
        (m + 60) + "|100|DPP|Corilus/4.2", "6/1/0", (m + 60) + "|101|DPP|Corilus/4.2", "1/0/0",
        (m + 120) + "|100|PCDH|Corilus/4.2", "7/0/0");
    assertEquals(expected, totals(new LiveCache(b), m), "read through the other member");
    a.getLifecycleService().terminate();
    assertEquals(expected, totals(new LiveCache(b), m), "the owner gone: the backup's counts");
  }

  private static Batch batch(long seq, long closedBefore, List<PharmacyRow> pharmacies) {
    return new Batch(seq, 10, closedBefore, closedBefore * 1000, List.of(), pharmacies, new AgentStats(Map.of(), List.of()));
  }

  private static Map<String, String> totals(LiveCache cache, long firstMinute) {
    Map<String, String> out = new TreeMap<>();
    for (long minute = firstMinute; minute <= firstMinute + 120; minute += 60) {
      Set<String> keys = new HashSet<>(List.of(PharmacyMinute.key("ag", minute)));
      for (PharmacyMinute pm : cache.pharmacyMinutesBlocking(keys).values()) {
        Map<String, long[]> sums = new TreeMap<>();
        pm.rows.forEach((p, s, v, c, e, e401) -> {
          long[] t = sums.computeIfAbsent(p + "|" + s + "|" + v, k -> new long[3]);
          t[0] += c;
          t[1] += e;
          t[2] += e401;
        });
        long minuteOf = minute;
        sums.forEach((k, t) -> out.put(minuteOf + "|" + k, t[0] + "/" + t[1] + "/" + t[2]));
      }
    }
    return out;
  }
}
