package callwatch.aggregator.cluster;

import com.hazelcast.map.EntryProcessor;
import java.util.HashMap;
import java.util.Map;

/** Adds one batch's per-pharmacy counts to one {@link PharmacyMinute}, atomically on its owner. */
public final class ApplyPharmacies implements EntryProcessor<String, PharmacyMinute, Boolean> {
  private final long seq;
  private final HashMap<String, long[]> rows;

  public ApplyPharmacies(long seq, Map<String, long[]> rows) {
    this.seq = seq;
    this.rows = new HashMap<>(rows);
  }

  long seq() {
    return seq;
  }

  Map<String, long[]> rows() {
    return rows;
  }

  @Override
  public Boolean process(Map.Entry<String, PharmacyMinute> entry) {
    PharmacyMinute m = entry.getValue() == null ? new PharmacyMinute() : entry.getValue();
    boolean added = m.add(seq, rows);
    if (added) entry.setValue(m);
    return added;
  }
}
