package callwatch.aggregator.cluster;

import java.util.HashMap;
import java.util.Map;

/**
 * One agent's per-pharmacy counts for one minute: [calls, errors, E401] per (pharmacy, service,
 * vendor). Kept 8 days in {@link ClusterSetup#PHARMACY_MAP} for the drill-down; idempotent like
 * {@link AgentSlot}.
 */
public final class PharmacyMinute implements ApplyParts.Target {
  /** The batches added, so that adding is idempotent whatever order batches are replayed in. */
  public final java.util.TreeSet<Long> applied = new java.util.TreeSet<>();
  public final HashMap<String, long[]> rows = new HashMap<>();

  @Override
  public boolean add(long seq, Map<String, long[]> delta) {
    if (!applied.add(seq)) return false;
    delta.forEach((k, v) -> {
      long[] c = rows.computeIfAbsent(k, x -> new long[3]);
      for (int i = 0; i < 3; i++) c[i] += v[i];
    });
    return true;
  }

  public static String key(String agentId, long minute) {
    return agentId + '|' + minute;
  }

  public static String rowKey(String pharmacy, String service, String vendor) {
    return pharmacy + '\u0001' + service + '\u0001' + vendor;
  }

  /** [pharmacy, service, vendor] of a row key (labels hold no control character, so the separators are the two). */
  public static String[] split(String rowKey) {
    int a = rowKey.indexOf('\u0001');
    int b = rowKey.indexOf('\u0001', a + 1);
    return new String[] {rowKey.substring(0, a), rowKey.substring(a + 1, b), rowKey.substring(b + 1)};
  }
}
