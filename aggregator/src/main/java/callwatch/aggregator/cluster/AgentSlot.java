package callwatch.aggregator.cluster;

import callwatch.common.model.Metrics;
import java.util.HashMap;
import java.util.Map;

/**
 * What one agent sent for one time slot, summed over its batches: counter vectors per
 * (service, op, vendor, host), plus the sequence numbers of the batches added, which makes
 * adding a batch idempotent entry by entry, in any order. Lives in the replicated {@link ClusterSetup#SLOTS_MAP}.
 */
public final class AgentSlot implements ApplyParts.Target<Map<String, long[]>> {
  /** The batches added, so that adding is idempotent whatever order batches are replayed in. */
  public final java.util.TreeSet<Long> applied = new java.util.TreeSet<>();
  public final HashMap<String, long[]> rows = new HashMap<>();

  /** Adds the rows of batch {@code seq} unless this entry already holds it; returns whether it added. */
  @Override
  public boolean add(long seq, Map<String, long[]> delta) {
    if (!applied.add(seq)) return false;
    delta.forEach((k, v) -> Metrics.add(rows.computeIfAbsent(k, x -> new long[Metrics.SIZE]), v));
    return true;
  }

  public static String rowKey(String service, String op, String vendor, String host) {
    return service + '\u0001' + op + '\u0001' + vendor + '\u0001' + host;
  }

  /** [service, op, vendor, host] of a row key. */
  public static String[] split(String rowKey) {
    return rowKey.split("\u0001", 4);
  }

  public static String key(String agentId, long slot) {
    return agentId + '|' + slot;
  }
}
