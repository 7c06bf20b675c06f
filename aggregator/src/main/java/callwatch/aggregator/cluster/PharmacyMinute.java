package callwatch.aggregator.cluster;

import java.util.TreeSet;

/**
 * One agent's per-pharmacy counts for one minute: [calls, errors, E401] per (pharmacy, service,
 * vendor). Kept 8 days in {@link ClusterSetup#PHARMACY_MAP} for the drill-down; idempotent like
 * {@link AgentSlot}.
 */
public final class PharmacyMinute implements ApplyParts.Target<PharmacyRows> {
  /** The batches added, so that adding is idempotent whatever order batches are replayed in. */
  public final TreeSet<Long> applied = new TreeSet<>();
  public final PharmacyRows rows;

  public PharmacyMinute() {
    this(new PharmacyRows());
  }

  PharmacyMinute(PharmacyRows rows) {
    this.rows = rows;
  }

  @Override
  public boolean add(long seq, PharmacyRows delta) {
    if (!applied.add(seq)) return false;
    rows.addAll(delta);
    return true;
  }

  public static String key(String agentId, long minute) {
    return agentId + '|' + minute;
  }
}
